"""The catalog and the staff console on PostgreSQL: same loader, queries, migrations and filters as on SQLite.

Runs when SANAD_TEST_POSTGRES_URL points at a throwaway database (.ci/run
starts one); skipped otherwise, saying so.
"""

from __future__ import annotations

import datetime as dt
import os
import threading
from pathlib import Path

import pytest
import yaml
from sqlalchemy import create_engine, delete, select

from bot.catalog import models, queries
from bot.catalog.db import session_scope
from bot.catalog.loader import CatalogError, load_catalog
from bot.console import analytics, db, indexer
from bot.console import models as console_models
from bot.console import queries as console_queries
from bot.database import get_engine
from bot.handoff import desk
from bot.handoff.models import Handoff, HandoffEvent, HandoffMessage
from tests.support.conversations import generate

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


@pytest.fixture
def postgres_console() -> tuple[str, str]:
    """Sanad's PostgreSQL database without the console's tables, and an empty tracker database beside it
    (Rasa's tracker store needs a database of its own: the catalog also has an ``events`` table)."""
    assert URL
    server = create_engine(URL, future=True, isolation_level="AUTOCOMMIT")
    tracker_url = URL.rsplit("/", 1)[0] + "/sanad_tracker_test"
    with server.connect() as connection:
        if not connection.exec_driver_sql("SELECT 1 FROM pg_database WHERE datname = 'sanad_tracker_test'").first():
            connection.exec_driver_sql("CREATE DATABASE sanad_tracker_test")
        for table in (*console_models.Base.metadata.sorted_tables, db.VERSION_TABLE):
            connection.exec_driver_sql(f"DROP TABLE IF EXISTS {getattr(table, 'name', table)} CASCADE")
    models.Base.metadata.create_all(server)
    server.dispose()
    with get_engine(tracker_url).begin() as connection:
        connection.exec_driver_sql("DROP TABLE IF EXISTS events")
    return URL, tracker_url


def test_console_migrations_index_filters_and_analytics_on_postgres(postgres_console: tuple[str, str]) -> None:
    console_url, tracker_url = postgres_console
    db.prepare(console_url)  # as the console does at start: its schema, and the tables it reads beside it
    generate(tracker_url, 300, seed=5, start=dt.datetime(2026, 11, 20), days=10)
    assert indexer.sync(console_url, tracker_url) > 0
    with db.session_scope(console_url) as session:
        everything = console_queries.list_conversations(session, console_queries.ConversationFilter.parse({}), 0.7)
        assert everything.total == 300
        searched = console_queries.ConversationFilter.parse({"q": "financement", "channel": "web", "low": "1"})
        assert console_queries.list_conversations(session, searched, 0.7).total <= 300
        period = analytics.Period(dt.date(2026, 11, 1), dt.date(2026, 11, 20))
        tables = {name: build(session, period) for name, build in analytics.TABLES.items()}
    assert sum(n for _, _, n in tables["conversations"].rows) == 300


def test_one_taker_of_a_handoff_on_postgres(postgres_console: tuple[str, str]) -> None:
    url = postgres_console[0]
    with desk.session_scope(url) as session:
        session.execute(delete(HandoffEvent))
        session.execute(delete(HandoffMessage))
        session.execute(delete(Handoff))
        handoff_id = desk.request(session, "web-pg", "web", "course", "fr").id
    barrier = threading.Barrier(8)
    won: list[str] = []

    def take(name: str) -> None:
        barrier.wait()
        with desk.session_scope(url) as session:
            if desk.take(session, handoff_id, name):
                won.append(name)

    threads = [threading.Thread(target=take, args=(f"staff{n}",)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(won) == 1
