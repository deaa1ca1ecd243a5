"""Loading the YAML catalog: validation errors name file, entry and field; loads are atomic and idempotent."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from sqlalchemy import func, select

from bot.catalog import models
from bot.catalog.db import session_scope
from bot.catalog.loader import CatalogError, load_catalog, read_catalog


def edit(path: Path, change) -> None:  # type: ignore[no-untyped-def]
    entries = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(entries)
    path.write_text(yaml.safe_dump(entries, allow_unicode=True, sort_keys=False), encoding="utf-8")


def counts(url: str) -> dict[str, int]:
    with session_scope(url) as session:
        return {
            table.__tablename__: session.scalar(select(func.count()).select_from(table))
            for table in (models.Program, models.Criterion, models.Source, models.KeyFact, models.Financing)
        }


def problems(data_dir: Path) -> list[str]:
    with pytest.raises(CatalogError) as caught:
        read_catalog(data_dir)
    return [str(p) for p in caught.value.problems]


def test_seed_catalog_is_valid_and_every_row_cites_a_seed_article() -> None:
    catalog = read_catalog()
    seeds = {source.file for source in catalog["sources"]}
    shared = Path(__file__).resolve().parents[2].parent / "shared" / "seeds"
    if shared.exists():
        assert seeds <= {p.name for p in shared.iterdir()}
    for name, entries in catalog.items():
        if name != "sources":
            assert entries, name
            assert all(entry.source.startswith("seed-") for entry in entries), name


def test_load_twice_changes_nothing(database_url: str) -> None:
    first = load_catalog(url=database_url)
    assert first.counts["programs"]["inserted"] == len(read_catalog()["programs"])
    with session_scope(database_url) as session:
        stamps = {p.id: p.updated_at for p in session.scalars(select(models.Program))}
    before = counts(database_url)
    second = load_catalog(url=database_url)
    assert all(c["inserted"] == c["updated"] == c["deleted"] == 0 for c in second.counts.values())
    assert counts(database_url) == before
    with session_scope(database_url) as session:
        assert stamps == {p.id: p.updated_at for p in session.scalars(select(models.Program))}


def test_edited_entry_is_updated_and_removed_entry_deleted(database_url: str, catalog_copy: Path) -> None:
    load_catalog(catalog_copy, url=database_url)
    with session_scope(database_url) as session:
        created = session.get(models.Program, "e-technopark").created_at

    def change(entries: list[dict]) -> None:
        entries[:] = [e for e in entries if e["id"] != "cgem-technopark"]
        next(e for e in entries if e["id"] == "e-technopark")["duration"] = {"fr": "6 mois", "en": "6 months"}

    edit(catalog_copy / "programs.yml", change)
    edit(
        catalog_copy / "financing.yml",
        lambda es: es.__setitem__(slice(None), [e for e in es if e["id"] != "cgem-network"]),
    )
    report = load_catalog(catalog_copy, url=database_url)
    assert report.counts["programs"]["updated"] == 1
    assert report.counts["programs"]["deleted"] == 1
    with session_scope(database_url) as session:
        program = session.get(models.Program, "e-technopark")
        assert program.duration == {"fr": "6 mois", "en": "6 months"}
        assert program.created_at == created
        assert program.criteria[0].field == "technopark_resident"
        assert session.get(models.Program, "cgem-technopark") is None


@pytest.mark.parametrize(
    ("file", "change", "expected"),
    [
        (
            "programs.yml",
            lambda es: es[0].pop("summary"),
            "programs.yml: entry 'plug-and-play-accelerator' (#1), field 'summary': field required",
        ),
        (
            "programs.yml",
            lambda es: es[1].__setitem__("type", "bootcamp"),
            "field 'type': value is not a valid enumeration member",
        ),
        (
            "programs.yml",
            lambda es: es.append(dict(es[0])),
            "programs.yml: entry 'plug-and-play-accelerator' (#7), field 'id': duplicate id",
        ),
        (
            "programs.yml",
            lambda es: es[0].__setitem__("source", "seed-999"),
            "field 'source': unknown sources id 'seed-999'",
        ),
        (
            "programs.yml",
            lambda es: es[0].__setitem__("sectors", ["quantum"]),
            "field 'sectors': unknown sector ['quantum']",
        ),
        ("programs.yml", lambda es: es[0]["name"].pop("en"), "field 'name.en': field required"),
        (
            "programs.yml",
            lambda es: es[0].__setitem__("deadlin", "2026-01-01"),
            "field 'deadlin': extra fields not permitted",
        ),
        (
            "programs.yml",
            lambda es: es[1]["criteria"][0].__setitem__("operator", "at_most"),
            "field 'criteria.0.value': technopark_resident takes operator 'equals' and true or false",
        ),
        (
            "programs.yml",
            lambda es: es[1]["aliases"].append("PnP"),
            "field 'aliases': 'pnp' already names program 'plug-and-play-accelerator'",
        ),
        (
            "financing.yml",
            lambda es: es[0].__setitem__("organization", "nasa"),
            "field 'organization': unknown organizations id 'nasa'",
        ),
        ("facts.yml", lambda es: es[0].__setitem__("as_of", "janvier"), "field 'as_of': use YYYY-MM or YYYY-MM-DD"),
    ],
)
def test_bad_data_is_reported_with_file_entry_and_field(catalog_copy: Path, file: str, change, expected: str) -> None:  # type: ignore[no-untyped-def]
    edit(catalog_copy / file, change)
    found = problems(catalog_copy)
    assert any(expected in problem for problem in found), found


def test_broken_yaml_wrong_shape_and_missing_file_are_reported(catalog_copy: Path) -> None:
    (catalog_copy / "events.yml").write_text("- id: [unclosed\n", encoding="utf-8")
    (catalog_copy / "sites.yml").write_text("not: a list\n", encoding="utf-8")
    (catalog_copy / "facts.yml").unlink()
    found = problems(catalog_copy)
    assert "sites.yml: entry -: must be a list of entries" in found
    assert any(p.startswith("events.yml: entry -: not valid YAML") for p in found), found
    assert "facts.yml: entry -: file is missing" in found


def test_failed_load_leaves_the_database_as_it_was(database_url: str, catalog_copy: Path) -> None:
    load_catalog(url=database_url)
    before = counts(database_url)
    edit(catalog_copy / "programs.yml", lambda es: es[0].pop("name"))
    with pytest.raises(CatalogError):
        load_catalog(catalog_copy, url=database_url)
    assert counts(database_url) == before


def test_database_error_mid_load_rolls_back(
    database_url: str, catalog_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A failure after the first writes (here: a constraint) must not leave half a catalog."""
    load_catalog(url=database_url)
    before = counts(database_url)
    edit(catalog_copy / "programs.yml", lambda es: es[0].__setitem__("duration", {"fr": "1 an", "en": "1 year"}))
    from bot.catalog import loader

    original = loader._upsert

    def failing(session, table, name, item):  # type: ignore[no-untyped-def]
        if name == "facts":
            raise RuntimeError("disk full")
        return original(session, table, name, item)

    monkeypatch.setattr(loader, "_upsert", failing)
    with pytest.raises(RuntimeError):
        load_catalog(catalog_copy, url=database_url)
    assert counts(database_url) == before
    with session_scope(database_url) as session:
        assert session.get(models.Program, "plug-and-play-accelerator").duration["fr"] == "3 mois"
