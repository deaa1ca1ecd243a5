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
        ("city", "الدار البيضاء", "casablanca"),
        ("city", "بالدار البيضاء", "casablanca"),
        ("city", "فالرباط", "rabat"),
        ("city", "اكادير", "agadir"),
        ("city", "أكادير", "agadir"),
        ("city", "للرباط", "rabat"),
        ("city", "f casa", "casablanca"),
        ("sector", "الذكاء الإصطناعي", "ai"),
        ("sector", "الفلاحة", "agritech"),
        ("stage", "fikra", "idea"),
        ("stage", "نموذج أولي", "mvp"),
        ("legal_status", "مقاول ذاتي", "auto_entrepreneur"),
        ("legal_status", "ba9i ma msajlach", "not_registered"),
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
        ("عمر الشركة سنتان", 2.0),
        ("18 شهرا", 1.5),
        ("تأسست الشركة سنة ٢٠٢١", 5.0),
        ("عندي جوج سنين", 2.0),
        ("3andi 2 snin", 2.0),
        ("jouj snin", 2.0),
        ("18 chhar", 1.5),
        ("tsawbat f 2021", 5.0),
        ("باقي ما مسجلاش", 0.0),
        ("mazal ma tsawbatch", 0.0),
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
    assert parse_yes_no("واه") is True and parse_yes_no("iyeh") is True and parse_yes_no("نعم أنا مقيم") is True
    assert parse_yes_no("لا") is False and parse_yes_no("la") is False and parse_yes_no("machi resident") is False
    assert parse_yes_no("oui, dans la pépinière") is True  # "la" alone is Darija's no; here, an article
    assert is_dont_know("ما عرفتش") and is_dont_know("ma3reftch")
    assert is_dont_know("Je ne sais pas.") and is_dont_know("skip")
    assert not is_dont_know("je sais")


def test_labels_and_fold() -> None:
    assert label("sector", "ai", "fr") == "intelligence artificielle"
    assert label("sector", "ai", "en") == "artificial intelligence"
    assert label("sector", "ai", "ar") == "الذكاء الاصطناعي"
    assert label("sector", "ai", "ary") == "intelligence artificielle"  # Darija in Latin letters reads French terms
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
