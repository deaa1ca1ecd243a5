"""Answers to founders' free questions, from the catalog only (see :mod:`bot.answers.finder` for how).

The index is built from the database once and kept while the catalog is unchanged;
:func:`finder` checks that with one cheap query per question.
"""

from __future__ import annotations

import threading

from sqlalchemy.orm import Session

from bot.answers.finder import Answer, Finder, Question
from bot.answers.index import Index, catalog_version

__all__ = ["Answer", "Finder", "Question", "finder"]

_lock = threading.Lock()
_cached: tuple[tuple[object, ...], Finder] | None = None


def finder(session: Session) -> Finder:
    """The finder over the catalog as ``session`` sees it now."""
    global _cached
    version = catalog_version(session)
    with _lock:
        if _cached is None or _cached[0] != version:
            _cached = (version, Finder(Index.from_session(session)))
        return _cached[1]
