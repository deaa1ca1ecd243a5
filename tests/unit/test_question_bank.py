"""The question bank stays a fair test: labels that exist, every catalog row asked about, nothing seen in training."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from bot import answers
from bot.answers.index import EXAMPLES
from bot.answers.passages import Passage
from bot.catalog.db import session_scope
from bot.settings import REPO_ROOT
from bot.vocabulary import fold
from tests.support import bank

FILES = tuple(bank.REPLY_LANGUAGE)


def passages(url: str) -> dict[str, Passage]:
    with session_scope(url) as session:
        return dict(answers.finder(session).index.by_key)


def answerable(url: str) -> set[str]:
    """Every catalog row (and program field) that holds something a founder could ask for."""
    keys = set()
    for key, passage in passages(url).items():
        if not passage.held or passage.kind == "gap":
            continue
        if passage.kind == "organization" and not passage.row.description and not passage.row.name["fr"].endswith(")"):
            continue  # a bare name ("Glovo") is no fact to ask for; "Kaoun International (organisateur…)" is
        keys.add(key)
    return keys


def _same(text: str) -> str:
    return re.sub(r"[^\w]+", " ", fold(text)).strip()


def test_every_label_names_a_catalog_passage(loaded_catalog: str) -> None:
    known = set(passages(loaded_catalog)) | {bank.ABSENT, bank.OUT_OF_SCOPE}
    for folder in (bank.BANK, bank.DEV):
        unknown = {(i.file, label) for i in bank.load(folder) for label in i.expect if label not in known}
        assert not unknown, unknown


def test_every_row_has_questions_in_every_language(loaded_catalog: str) -> None:
    """A new catalog row comes with its questions: in the bank, and among the finder's examples."""
    items = bank.load()
    for key in sorted(answerable(loaded_catalog)):
        missing = [f for f in FILES if not any(key in i.expect for i in items if i.file == f)]
        assert not missing, f"{key}: no bank question in {missing}"
    for path in sorted(EXAMPLES.glob("*.yml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        for key in sorted(answerable(loaded_catalog)):
            if not key.startswith("programs/"):
                assert data["passages"].get(key), f"{key}: no example question in {path.name}"


def test_the_bank_is_big_and_balanced() -> None:
    items = bank.load()
    assert len(items) >= 400
    for file in FILES:
        kinds = {i.kind for i in items if i.file == file}
        assert kinds == {"answer", bank.ABSENT, bank.OUT_OF_SCOPE}, file


def _nlu_examples(folder: Path) -> set[str]:
    texts = set()
    for path in folder.rglob("*.yml"):
        for block in (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("nlu") or []:
            for line in str(block.get("examples") or "").splitlines():
                texts.add(_same(re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", line.lstrip("- "))))
    return texts


@pytest.mark.parametrize("other", ["training data", "examples", "development set"])
def test_no_bank_question_is_in_what_sanad_learned_from(other: str) -> None:
    if other == "training data":
        seen = _nlu_examples(REPO_ROOT / "nlu_data")
    elif other == "examples":
        seen = {
            _same(q)
            for path in EXAMPLES.glob("*.yml")
            for group in yaml.safe_load(path.read_text(encoding="utf-8")).values()
            for questions in group.values()
            for q in questions
        }
    else:
        seen = {_same(t) for i in bank.load(bank.DEV) for t in (i.question, i.after) if t}
    leaked = [i.question for i in bank.load() if _same(i.question) in seen]
    assert not leaked, leaked
