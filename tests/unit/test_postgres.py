"""The catalog on PostgreSQL: same loader, same queries, same atomicity as on SQLite.

Runs when SANAD_TEST_POSTGRES_URL points at a throwaway database (.ci/run
starts one); skipped otherwise, saying so.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
import yaml
from sqlalchemy import create_engine, select

from bot.catalog import models, queries
from bot.catalog.db import session_scope
from bot.catalog.loader import CatalogError, load_catalog

URL = os.environ.get("SANAD_TEST_POSTGRES_URL")
pytestmark = pytest.mark.skipif(not URL, reason="SANAD_TEST_POSTGRES_URL not set (.ci/run starts PostgreSQL)")


@pytest.fixture
def postgres() -> str:
    assert URL
    engine = create_engine(URL, future=True)
    models.Base.metadata.drop_all(engine)  # every test starts from empty tables
    models.Base.metadata.create_all(engine)
    engine.dispose()
    return URL


def test_load_query_and_reload_on_postgres(postgres: str) -> None:
    first = load_catalog(url=postgres)
    assert first.counts["programs"]["inserted"] == 6
    second = load_catalog(url=postgres)
    assert all(c["inserted"] == c["updated"] == 0 for c in second.counts.values())
    with session_scope(postgres) as session:
        assert [p.id for p in queries.search_programs(session, sector="ai").matching] == ["technopark-um6p"]
        assert queries.find_program(session, "PnP").id == "plug-and-play-accelerator"
        request = queries.save_advisor_request(session, "pg-1", "Salma", "+212600000000", "seed", "fr")
        assert request.id


def test_failed_load_leaves_postgres_unchanged(postgres: str, catalog_copy: Path) -> None:
    load_catalog(url=postgres)
    path = catalog_copy / "programs.yml"
    entries = yaml.safe_load(path.read_text(encoding="utf-8"))
    entries[0]["source"] = "seed-404"
    path.write_text(yaml.safe_dump(entries, allow_unicode=True), encoding="utf-8")
    with pytest.raises(CatalogError):
        load_catalog(catalog_copy, url=postgres)
    with session_scope(postgres) as session:
        assert len(session.scalars(select(models.Program)).all()) == 6
