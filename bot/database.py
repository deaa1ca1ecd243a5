"""Connections to Sanad's own database: one engine per URL, sessions that commit or roll back.

Every package that owns tables (the catalog, the channels) passes its own
``MetaData``; its tables are created on first use. ``SANAD_DATABASE_URL`` takes
any SQLAlchemy URL (``postgresql+psycopg2://...``); unset, it is the SQLite
file ``var/sanad.db`` (see ``bot.settings``), so a fresh clone runs with no
database server.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import MetaData, event
from sqlalchemy.engine import Engine, create_engine, make_url
from sqlalchemy.orm import Session, sessionmaker

from bot.settings import environment


def utcnow() -> dt.datetime:
    """Now in UTC, naive, as every table stores its timestamps."""
    return dt.datetime.now(dt.timezone.utc).replace(tzinfo=None)


def database_url() -> str:
    return environment()["SANAD_DATABASE_URL"]


@functools.lru_cache(maxsize=8)
def get_engine(url: str) -> Engine:
    """One engine per URL for the process."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite" and parsed.database not in (None, "", ":memory:"):
        Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(url, future=True, pool_pre_ping=True)
    if parsed.get_backend_name() == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)
    return engine


@functools.lru_cache(maxsize=32)
def _sessions(url: str, metadata: MetaData) -> sessionmaker[Session]:
    """A session factory for ``url``, once ``metadata``'s tables exist there."""
    engine = get_engine(url)
    metadata.create_all(engine)
    return sessionmaker(bind=engine, future=True, expire_on_commit=False)


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    """Enforce foreign keys and let readers work while another process writes."""
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.close()


@contextmanager
def session_scope(metadata: MetaData, url: str | None = None) -> Iterator[Session]:
    """A session on ``url`` (default: Sanad's database) that commits on success, rolls back on error."""
    with transaction(_sessions(url or database_url(), metadata)) as session:
        yield session


@contextmanager
def transaction(factory: sessionmaker[Session]) -> Iterator[Session]:
    """A session from ``factory`` that commits on success, rolls back on error, and is closed either way."""
    session = factory()
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()
