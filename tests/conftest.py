"""Fixtures shared by the fast and the slow tests: a real SQLite catalog in a temp folder."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.catalog.loader import DATA_DIR, load_catalog


@pytest.fixture
def database_url(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """A fresh SQLite file, made the default database for this test."""
    url = f"sqlite:///{tmp_path / 'catalog.db'}"
    monkeypatch.setenv("SANAD_DATABASE_URL", url)
    return url


@pytest.fixture
def loaded_catalog(database_url: str) -> str:
    """The real seed catalog loaded into a fresh database."""
    load_catalog(url=database_url)
    return database_url


@pytest.fixture
def catalog_copy(tmp_path: Path) -> Iterator[Path]:
    """A writable copy of the catalog's YAML files, to break on purpose."""
    target = tmp_path / "data"
    shutil.copytree(DATA_DIR, target)
    yield target
