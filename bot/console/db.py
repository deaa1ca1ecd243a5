"""Sessions on the console's tables, once Alembic has brought them to the latest revision.

The console's tables live in Sanad's database (``SANAD_DATABASE_URL``) beside the
catalog; the conversations themselves are read from Rasa's tracker store
(``SANAD_TRACKER_URL``), which may be the same database or another one.
"""

from __future__ import annotations

import functools
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy.orm import Session, sessionmaker

from bot.catalog.db import session_scope as catalog_session
from bot.database import database_url, get_engine, transaction
from bot.handoff.desk import session_scope as handoff_session

MIGRATIONS = Path(__file__).parent / "migrations"
#: Alembic's bookkeeping table, named for the console so another Alembic user of the database is not confused.
VERSION_TABLE = "console_schema_version"


def alembic_config(url: str) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["url"] = url
    return config


def upgrade(url: str | None = None, revision: str = "head") -> None:
    """Apply every migration up to ``revision``; a no-op when the schema is current."""
    command.upgrade(alembic_config(url or database_url()), revision)


def prepare(url: str | None = None) -> None:
    """The console's tables at the latest revision, and the tables it reads beside them (created if missing,
    as their owners do on first use): the catalog's advisor requests and eligibility checks, the handoffs."""
    upgrade(url)
    with catalog_session(url), handoff_session(url):
        pass


@functools.lru_cache(maxsize=8)
def _sessions(url: str) -> sessionmaker[Session]:
    upgrade(url)
    return sessionmaker(bind=get_engine(url), future=True, expire_on_commit=False)


@contextmanager
def session_scope(url: str | None = None) -> Iterator[Session]:
    """A session on the console's tables that commits on success and rolls back on error."""
    with transaction(_sessions(url or database_url())) as session:
        yield session
