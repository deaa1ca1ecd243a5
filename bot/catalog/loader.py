"""Load the YAML catalog into the database: validate everything, then write everything.

The flow is all-or-nothing: every file is parsed and checked (fields, unique
ids, references) before the first write, and the writes run in one
transaction, so bad data leaves the database exactly as it was. Loading the
same files twice changes nothing: rows are upserted by id, unchanged rows are
left alone (their ``updated_at`` too), rows gone from the YAML are deleted.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError
from sqlalchemy import delete
from sqlalchemy.orm import Session

from bot.catalog import models
from bot.catalog.db import session_scope
from bot.catalog.schema import FILES, Strict
from bot.vocabulary import fold

DATA_DIR = Path(__file__).resolve().parent / "data"

#: YAML file -> table, in an order where every reference points backwards.
TABLES: dict[str, type[Any]] = {
    "sources": models.Source,
    "organizations": models.Organization,
    "sites": models.Site,
    "programs": models.Program,
    "financing": models.Financing,
    "events": models.Event,
    "facts": models.KeyFact,
}

#: (file, field) -> the file whose ids that field must name.
REFERENCES: dict[tuple[str, str], str] = {
    ("organizations", "source"): "sources",
    ("sites", "source"): "sources",
    ("programs", "source"): "sources",
    ("programs", "site"): "sites",
    ("programs", "organizations"): "organizations",
    ("financing", "source"): "sources",
    ("financing", "organization"): "organizations",
    ("financing", "program"): "programs",
    ("events", "source"): "sources",
    ("events", "organizations"): "organizations",
    ("facts", "source"): "sources",
    ("facts", "organization"): "organizations",
}


@dataclass(frozen=True)
class Problem:
    file: str
    entry: str
    field: str
    message: str

    def __str__(self) -> str:
        where = f"{self.file}: entry {self.entry}" + (f", field '{self.field}'" if self.field else "")
        return f"{where}: {self.message}"


class CatalogError(Exception):
    """The catalog did not validate; ``problems`` lists every fault found."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


@dataclass
class LoadReport:
    counts: dict[str, Counter[str]] = field(default_factory=dict)

    def __str__(self) -> str:
        lines = []
        for table, counter in self.counts.items():
            parts = ", ".join(f"{n} {what}" for what, n in sorted(counter.items()) if n)
            lines.append(f"{table}: {parts or 'empty'}")
        return "\n".join(lines)


def read_catalog(data_dir: Path = DATA_DIR) -> dict[str, list[Strict]]:
    """Parse and validate every catalog file; raise CatalogError listing all problems."""
    problems: list[Problem] = []
    entries: dict[str, list[Strict]] = {}
    for name, model in FILES.items():
        entries[name] = list(_parse_file(data_dir / f"{name}.yml", model, problems))
    problems.extend(_check_ids(entries))
    problems.extend(_check_aliases(entries["programs"]))
    problems.extend(_check_references(entries))
    if problems:
        raise CatalogError(problems)
    return entries


def _parse_file(path: Path, model: type[Strict], problems: list[Problem]) -> Iterator[Strict]:
    file = path.name
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        problems.append(Problem(file, "-", "", "file is missing"))
        return
    except (yaml.YAMLError, UnicodeDecodeError) as error:
        problems.append(Problem(file, "-", "", f"not valid YAML: {error}"))
        return
    if raw is None:
        raw = []
    if not isinstance(raw, list):
        problems.append(Problem(file, "-", "", "must be a list of entries"))
        return
    for index, item in enumerate(raw, start=1):
        label = _entry_label(item, index)
        if not isinstance(item, dict):
            problems.append(Problem(file, label, "", "must be a mapping of fields"))
            continue
        try:
            yield model.parse_obj(item)
        except ValidationError as error:
            for fault in error.errors():
                path_text = ".".join(str(part) for part in fault["loc"] if part != "__root__")
                problems.append(Problem(file, label, path_text, fault["msg"]))


def _entry_label(item: object, index: int) -> str:
    if isinstance(item, dict) and isinstance(item.get("id"), str):
        return f"'{item['id']}' (#{index})"
    return f"#{index}"


def _check_ids(entries: dict[str, list[Strict]]) -> Iterator[Problem]:
    for name, items in entries.items():
        seen: set[str] = set()
        for index, item in enumerate(items, start=1):
            ident = item.id  # type: ignore[attr-defined]
            if ident in seen:
                yield Problem(f"{name}.yml", f"'{ident}' (#{index})", "id", "duplicate id")
            seen.add(ident)


def _check_aliases(programs: list[Strict]) -> Iterator[Problem]:
    """A name may point to one program only, or "PnP" would mean two things."""
    owners: dict[str, str] = {}
    for index, program in enumerate(programs, start=1):
        names = {fold(n) for n in (*program.aliases, program.name.fr, program.name.en)}  # type: ignore[attr-defined]
        for name in names:
            owner = owners.setdefault(name, program.id)  # type: ignore[attr-defined]
            if owner != program.id:  # type: ignore[attr-defined]
                label = f"'{program.id}' (#{index})"  # type: ignore[attr-defined]
                yield Problem("programs.yml", label, "aliases", f"'{name}' already names program '{owner}'")


def _check_references(entries: dict[str, list[Strict]]) -> Iterator[Problem]:
    known = {name: {item.id for item in items} for name, items in entries.items()}  # type: ignore[attr-defined]
    for (name, field_name), target in REFERENCES.items():
        for index, item in enumerate(entries[name], start=1):
            for ref in _refs(getattr(item, field_name)):
                if ref not in known[target]:
                    label = f"'{item.id}' (#{index})"  # type: ignore[attr-defined]
                    yield Problem(f"{name}.yml", label, field_name, f"unknown {target} id '{ref}'")


def _refs(value: object) -> Iterable[str]:
    if value is None:
        return []
    if isinstance(value, str):
        return [value]
    return [getattr(v, "id", v) for v in value]  # list of ids or of {id, role}


def load_catalog(data_dir: Path = DATA_DIR, url: str | None = None) -> LoadReport:
    """Validate the YAML in ``data_dir`` and upsert it into the database at ``url``."""
    entries = read_catalog(data_dir)
    report = LoadReport({name: Counter() for name in TABLES})
    with session_scope(url) as session:
        # Deletions run children-first; upserts run parents-first.
        for name in reversed(TABLES):
            keep = [item.id for item in entries[name]]  # type: ignore[attr-defined]
            table = TABLES[name]
            gone = session.execute(delete(table).where(table.id.not_in(keep)))
            report.counts[name]["deleted"] = gone.rowcount or 0
        for name, table in TABLES.items():
            for item in entries[name]:
                outcome = _upsert(session, table, name, item)
                report.counts[name][outcome] += 1
    return report


def _upsert(session: Session, table: type[Any], name: str, item: Strict) -> str:
    payload = item.dict()
    digest = hashlib.sha256(json.dumps(payload, sort_keys=True, default=str).encode()).hexdigest()
    row = session.get(table, payload["id"])
    if row is not None and row.content_hash == digest:
        return "unchanged"
    columns, children = _columns(name, payload)
    if row is None:
        row = table(**columns, content_hash=digest)
        session.add(row)
        outcome = "inserted"
    else:
        for key, value in columns.items():
            setattr(row, key, value)
        row.content_hash = digest
        outcome = "updated"
        if children:
            for key in children:
                getattr(row, key).clear()
            session.flush()
    for key, value in children.items():
        getattr(row, key).extend(value)
    return outcome


def _columns(name: str, payload: dict[str, Any]) -> tuple[dict[str, Any], dict[str, list[Any]]]:
    """Turn a validated entry into column values and child rows."""
    columns = {_column_name(key): _localized(value) for key, value in payload.items()}
    children: dict[str, list[Any]] = {}
    if name == "programs":
        program_id = payload["id"]
        columns.pop("organizations")
        columns.pop("criteria")
        tags = [
            models.ProgramTag(program_id=program_id, kind=kind, value=value)
            for kind, key in (("sector", "sectors"), ("stage", "stages"), ("city", "cities"))
            for value in columns.pop(key)
        ]
        children = {
            "organizations": [
                models.ProgramOrganization(organization_id=org["id"], role=org["role"].value, position=i)
                for i, org in enumerate(payload["organizations"])
            ],
            "tags": tags,
            "criteria": [
                models.Criterion(
                    position=i,
                    field=c["field"].value,
                    operator=c["operator"].value,
                    value=c["value"],
                    quote=c["quote"],
                )
                for i, c in enumerate(payload["criteria"])
            ],
        }
        columns["type"] = payload["type"].value
    return columns, children


def _column_name(key: str) -> str:
    return {
        "source": "source_id",
        "site": "site_id",
        "organization": "organization_id",
        "program": "program_id",
    }.get(key, key)


def _localized(value: Any) -> Any:
    """Drop absent languages so the JSON holds only real text."""
    if isinstance(value, dict) and {"fr", "en"} <= value.keys():
        return {lang: text for lang, text in value.items() if text is not None}
    if isinstance(value, list):
        return [_localized(v) for v in value]
    return value
