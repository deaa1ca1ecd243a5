"""Every sentence Sanad says exists in its four languages, with the same placeholders and buttons."""

from __future__ import annotations

import re
import string

import pytest
import yaml

from actions.texts import TEXTS as ACTION_TEXTS
from bot.channels.telegram import texts as telegram_texts
from bot.handoff.texts import TEXTS as HANDOFF_TEXTS
from bot.language import LANGUAGES
from bot.settings import REPO_ROOT

TABLES = {"actions": ACTION_TEXTS, "telegram": telegram_texts.TEXTS, "handoff": HANDOFF_TEXTS}


def fields(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


@pytest.mark.parametrize("table", TABLES)
def test_sentence_tables_have_every_language_with_the_same_placeholders(table: str) -> None:
    for key, variants in TABLES[table].items():
        assert set(variants) == set(LANGUAGES), (table, key)
        assert all(variants.values()), (table, key)
        assert len({frozenset(fields(text)) for text in variants.values()}) == 1, (table, key)


def test_telegram_commands_and_language_names_cover_every_language() -> None:
    assert list(telegram_texts.LANGUAGE_NAMES) == list(LANGUAGES)
    names = {language: [name for name, _ in commands] for language, commands in telegram_texts.COMMANDS.items()}
    assert set(names) == set(LANGUAGES)
    assert all(re.fullmatch(r"[a-z0-9_]{1,32}", name) for commands in names.values() for name in commands)


def responses() -> dict[str, list[dict]]:
    found: dict[str, list[dict]] = {}
    for path in sorted((REPO_ROOT / "bot" / "domain").glob("*.yml")):
        found.update(yaml.safe_load(path.read_text(encoding="utf-8")).get("responses") or {})
    return found


def test_every_response_has_a_variant_per_language_with_the_same_buttons() -> None:
    for name, variants in responses().items():
        by_language: dict[str, dict] = {}
        for variant in variants:
            conditions = variant.get("condition") or []
            language = next((c["value"] for c in conditions if c.get("name") == "language"), "fr")
            by_language[language] = variant
        assert set(by_language) == set(LANGUAGES), name
        payloads = {tuple(b["payload"] for b in v.get("buttons") or []) for v in by_language.values()}
        assert len(payloads) == 1, name
        slots = {frozenset(re.findall(r"\{(\w+)\}", v.get("text", ""))) for v in by_language.values()}
        assert len(slots) == 1, name


def test_the_widget_speaks_every_language() -> None:
    script = (REPO_ROOT / "bot" / "channels" / "web" / "static" / "sanad-widget.js").read_text(encoding="utf-8")
    declared = re.search(r"var LANGUAGES = \[([^\]]*)\]", script)
    assert declared is not None
    assert re.findall(r'"(\w+)"', declared.group(1)) == list(LANGUAGES)
    for language in LANGUAGES:
        assert re.search(rf"^    {language}: {{$", script, re.MULTILINE), language


def test_the_catalog_speaks_arabic() -> None:
    for path in sorted((REPO_ROOT / "bot" / "catalog" / "data").glob("*.yml")):
        text = path.read_text(encoding="utf-8")
        assert text.count("fr:") == text.count("ar:"), path.name
