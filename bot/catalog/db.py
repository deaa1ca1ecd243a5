"""Sessions on the catalog's tables (programs, organizations, facts, advisor requests)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy.orm import Session

from bot import database
from bot.catalog.models import Base


@contextmanager
def session_scope(url: str | None = None) -> Iterator[Session]:
    """A catalog session on ``url`` (default: ``SANAD_DATABASE_URL``), committed on success."""
    with database.session_scope(Base.metadata, url) as session:
        yield session
