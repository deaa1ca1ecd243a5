"""Reading founders' words: canonical values, free-text answers, and the language of a message."""

from __future__ import annotations

import pytest

from bot.language import detect_language
from bot.vocabulary import fold, is_dont_know, label, normalize, parse_company_age, parse_yes_no


@pytest.mark.parametrize(
    ("kind", "text", "expected"),
    [
        ("sector", "Fintech", "fintech"),
        ("sector", "intelligence artificielle", "ai"),
        ("sector", "Énergies Renouvelables", "renewable_energy"),
        ("sector", "fintek", "fintech"),
        ("sector", "on fait de la deep tech", "deeptech"),
        ("stage", "on est en phase MVP", "mvp"),
        ("stage", "amorcage", "seed"),
        ("city", "Casa", "casablanca"),
        ("city", "Fès", "fes"),
        ("legal_status", "nous sommes une SARL", "sarl"),
        ("legal_status", "pas encore immatriculée", "not_registered"),
        ("sector", "", None),
        ("sector", "quantum cooking", None),
        ("stage", None, None),
        ("nonsense-kind", "fintech", None),
    ],
)
def test_normalize(kind: str, text: str | None, expected: str | None) -> None:
    assert normalize(kind, text) == expected


@pytest.mark.parametrize(
    ("text", "years"),
    [
        ("2 ans", 2.0),
        ("18 mois", 1.5),
        ("deux ans", 2.0),
        ("six months", 0.5),
        ("1,5 ans", 1.5),
        ("3", 3.0),
        ("créée en 2021", 5.0),
        ("we started in 2019", 7.0),
        ("pas encore créée", 0.0),
        ("moins d'un an", 0.5),
        ("blah", None),
        ("150", None),
        ("en 2030", None),
    ],
)
def test_company_age(text: str, years: float | None) -> None:
    assert parse_company_age(text, this_year=2026) == years


def test_yes_no_and_dont_know() -> None:
    assert parse_yes_no("oui je suis résident") is True
    assert parse_yes_no("nope") is False
    assert parse_yes_no("peut-être") is None
    assert is_dont_know("Je ne sais pas.") and is_dont_know("skip")
    assert not is_dont_know("je sais")


def test_labels_and_fold() -> None:
    assert label("sector", "ai", "fr") == "intelligence artificielle"
    assert label("sector", "ai", "en") == "artificial intelligence"
    assert label("sector", "ai", "ar") == "intelligence artificielle"  # French until Arabic texts exist
    assert label("city", "casablanca", "fr") == "Casablanca"
    assert fold("  Énergies   Renouvelables ") == "energies renouvelables"


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("bjr c koi le technopark", "fr"),
        ("Bonjour, quels programmes pour ma startup ?", "fr"),
        ("suis-je éligible ?", "fr"),
        ("hello, what programs do you have?", "en"),
        ("am I eligible for PnP", "en"),
        ("مرحبا، ما هي البرامج المتاحة؟", "ar"),
        ("ok", None),
        ("MVP", None),
        ("😀😀", None),
        ("", None),
        ("\x00\x01", None),
    ],
)
def test_detect_language(text: str, language: str | None) -> None:
    assert detect_language(text) == language
