"""The NLU synonyms and lookups generated from the catalog, and the training/test split."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import yaml

from bot import nlu_catalog
from bot.catalog.loader import read_catalog
from bot.language import detect_language

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


def test_training_data_has_25_examples_per_intent_in_each_language() -> None:
    """Counted with Sanad's own detector, so only clearly French or English sentences count."""
    per_language: Counter[tuple[str, str | None]] = Counter()
    for path in (ROOT / "nlu_data").glob("*.yml"):
        for intent, sentences in examples(path).items():
            per_language.update((intent, detect_language(s)) for s in sentences)
    intents = {intent for intent, _ in per_language}
    assert len(intents) >= 20
    short = {
        i: (per_language[i, "fr"], per_language[i, "en"])
        for i in intents
        if min(per_language[i, "fr"], per_language[i, "en"]) < 25
    }
    assert not short, short


def test_test_set_is_held_out() -> None:
    train = {squash(s) for path in (ROOT / "nlu_data").glob("*.yml") for ss in examples(path).values() for s in ss}
    test = examples(ROOT / "tests" / "nlu" / "test_nlu.yml")
    leaked = [s for ss in test.values() for s in ss if squash(s) in train]
    assert not leaked, leaked
    assert set(test) >= {"out_of_scope", "list_programs", "check_eligibility", "request_advisor"}
