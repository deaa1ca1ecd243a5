"""The NLU synonyms and lookups generated from the catalog, and the training/test split."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from bot import nlu_catalog
from bot.catalog.loader import read_catalog
from bot.language import LANGUAGES, detect_language

ROOT = Path(__file__).resolve().parents[2]


def examples(path: Path) -> dict[str, list[str]]:
    """intent -> example sentences, entity markup removed."""
    found: dict[str, list[str]] = {}
    for block in yaml.safe_load(path.read_text(encoding="utf-8")).get("nlu", []):
        if "intent" in block:
            lines = [line[2:].strip() for line in block["examples"].splitlines() if line.startswith("- ")]
            found.setdefault(block["intent"], []).extend(re.sub(r"\[([^\]]+)\]\([^)]+\)", r"\1", s) for s in lines)
    return found


def squash(sentence: str) -> str:
    return re.sub(r"[\W_]+", " ", sentence.lower()).strip()


def test_generated_file_is_current() -> None:
    assert nlu_catalog.is_current(), "run `python -m bot nlu generate` (make catalog) and commit the result"


def test_every_program_alias_is_a_synonym_of_its_id() -> None:
    generated = yaml.safe_load(nlu_catalog.OUTPUT.read_text(encoding="utf-8"))["nlu"]
    synonyms = {b["synonym"]: b["examples"].lower().splitlines() for b in generated if "synonym" in b}
    for program in read_catalog()["programs"]:
        for alias in program.aliases:
            assert f"- {alias.lower()}" in synonyms[program.id], alias


#: Where each language's training data lives: French and English share the goal files at the top.
TRAINING = {
    "fr": ROOT / "nlu_data",
    "en": ROOT / "nlu_data",
    "ar": ROOT / "nlu_data" / "arabic",
    "ary": ROOT / "nlu_data" / "darija",
}


def training_sentences(language: str) -> dict[str, list[str]]:
    """intent -> training sentences of ``language`` (French and English told apart by Sanad's detector)."""
    folder = TRAINING[language]
    found: dict[str, list[str]] = {}
    for path in folder.glob("*.yml") if language in ("fr", "en") else folder.rglob("*.yml"):
        for intent, sentences in examples(path).items():
            kept = [s for s in sentences if language not in ("fr", "en") or detect_language(s) == language]
            found.setdefault(intent, []).extend(kept)
    return found


@pytest.mark.parametrize("language", LANGUAGES)
def test_training_data_has_25_examples_per_intent_in_each_language(language: str) -> None:
    intents = set(training_sentences("fr"))
    found = training_sentences(language)
    assert len(intents) >= 27
    short = {i: len(found.get(i, [])) for i in intents if len(found.get(i, [])) < 25}
    assert not short, short


def test_darija_is_trained_in_both_scripts() -> None:
    arabic = re.compile(r"[\u0600-\u06FF]")
    for intent, sentences in training_sentences("ary").items():
        in_arabic = sum(1 for s in sentences if arabic.search(s))
        assert min(in_arabic, len(sentences) - in_arabic) >= 20, (intent, in_arabic, len(sentences))


def test_every_language_has_a_held_out_set_apart_from_training() -> None:
    train = {squash(s) for path in (ROOT / "nlu_data").rglob("*.yml") for ss in examples(path).values() for s in ss}
    for language in LANGUAGES:
        test = examples(ROOT / "tests" / "nlu" / f"{language}.yml")
        leaked = [s for ss in test.values() for s in ss if squash(s) in train]
        assert not leaked, (language, leaked)
        assert set(test) >= {"out_of_scope", "list_programs", "check_eligibility", "request_advisor"}
        assert len(test["out_of_scope"]) >= 20, language
