"""Answers to founders' free questions, from the catalog only (see :mod:`bot.answers.finder` for how).

The index is built from the database once and kept while the catalog is unchanged;
:func:`finder` checks that with one query at most every ``CHECK_EVERY`` seconds, so an
edit of the catalog reaches the answers within seconds without a query per question.
"""

from __future__ import annotations

import threading
import time

from sqlalchemy.orm import Session

from bot.answers.finder import Answer, Finder, Question
from bot.answers.index import Index, catalog_version

__all__ = ["Answer", "Finder", "Question", "finder"]

CHECK_EVERY = 5.0
_lock = threading.Lock()
_cached: tuple[tuple[object, ...], Finder, float] | None = None


def finder(session: Session) -> Finder:
    """The finder over the catalog as ``session`` sees it (as of ``CHECK_EVERY`` seconds at most)."""
    global _cached
    with _lock:
        if _cached is not None and time.monotonic() - _cached[2] < CHECK_EVERY:
            return _cached[1]
        version = catalog_version(session)
        if _cached is None or _cached[0] != version:
            _cached = (version, Finder(Index.from_session(session)), time.monotonic())
        else:
            _cached = (version, _cached[1], time.monotonic())
        return _cached[1]
