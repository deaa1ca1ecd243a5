"""The answer layer on a real SQLite catalog: the fact a question asks for, the gap it names, never a neighbour.

The questions here are the developers' own (the issue's examples and the kinds of
question founders ask); the question bank in tests/questions/bank, written apart, is
scored over real servers by tests/model/test_answers.py.
"""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import pytest
from rasa.shared.core.domain import Domain
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.answers import ActionAnswer
from bot import answers
from bot.answers import Question
from bot.answers.cues import CUES, split_cues
from bot.answers.names import latinize
from bot.answers.words import concept_clashes, terms
from bot.catalog.db import session_scope
from bot.catalog.loader import load_catalog
from bot.vocabulary import fold

DOMAIN = Domain.load(str(Path(__file__).resolve().parents[2] / "bot" / "domain")).as_dict()
PNP = "plug-and-play-accelerator"


def ask(
    text: str, language: str = "fr", program: str | None = None, intent: str = "ask_question"
) -> list[dict[str, Any]]:
    tracker = Tracker(
        sender_id="answers-test",
        slots={"language": language, "program": program},
        latest_message={"text": text, "intent": {"name": intent, "confidence": 0.9}, "entities": []},
        events=[],
        paused=False,
        followup_action=None,
        active_loop={},
        latest_action_name="action_listen",
    )
    dispatcher = CollectingDispatcher()
    asyncio.run(ActionAnswer().run(dispatcher, tracker, DOMAIN))
    return dispatcher.messages


def said(messages: list[dict[str, Any]]) -> str:
    return "\n".join(m.get("text") or m.get("response") or "" for m in messages)


@pytest.mark.parametrize(
    ("question", "language", "expected", "not_expected"),
    [
        # the examples: a figure held by a fact, not the program's capacity
        (
            "Combien de startups Plug and Play a soutenues depuis 2020 ?",
            "fr",
            "plus de 120 startups soutenues",
            "sur les deux années",
        ),
        (
            "Is the UM6P program open to Technopark startups?",
            "en",
            "for Technopark startups only",
            "didn't quite understand",
        ),
        (
            "Expliquez-moi le partenariat CGEM Technopark",
            "fr",
            "Accord de coopération pour accompagner",
            "3 000 startups",
        ),
        (
            "C'est quoi la stratégie Maroc Digital 2030 ?",
            "fr",
            "stratégie Maroc Digital 2030",
            "Je ne peux pas vous aider",
        ),
        ("ch7al kaydom l programme dyal PnP ?", "ary", "3 mois", "Ma fhmtch"),
        ("كم مدة برنامج بلاك اند بلاي؟", "ar", "3 أشهر", "لم أفهم"),
        (
            "Qui a signé la convention entre le Technopark et Plug and Play ?",
            "fr",
            "Aziz El Hachem",
            "Hassan Belkhayat",
        ),
        (
            "Le Maroc est à quel rang en Afrique pour les levées de fonds tech ?",
            "fr",
            "6e en Afrique",
            "Plug and Play est présent",
        ),
    ],
)
def test_the_fact_asked_for(
    loaded_catalog: str, question: str, language: str, expected: str, not_expected: str
) -> None:
    reply = said(ask(question, language))
    assert expected in reply and not_expected not in reply, reply


def test_answer_first_then_source_and_details(loaded_catalog: str) -> None:
    (message,) = ask("Le programme Plug and Play dure combien de temps ?")
    first, source = message["text"].split("\n")
    assert first == "« Programme d'accélération Technopark × Plug and Play » dure 3 mois."
    assert source.startswith("Source : Aldar (MAP), « Casablanca: Technopark et Plug and Play")
    assert [b["title"] for b in message["buttons"]] == ["Plus de détails", "Suis-je éligible ?"]


@pytest.mark.parametrize(
    ("question", "language", "expected"),
    [
        (
            "C'est payant, le Glovo Startup Lab ?",
            "fr",
            "Nos sources ne précisent pas le prix ou les frais pour « Glovo Startup Lab »",
        ),
        (
            "How long does the UM6P program last?",
            "en",
            "Our sources do not state the duration for “Access for Technopark",
        ),
        ("Il y a un Technopark à Agadir ?", "fr", "Nos sources ne disent rien de « Agadir »"),
        ("Quand est le prochain GITEX Africa ?", "fr", "Nos sources ne précisent pas de prochaine date"),
        (
            "PnP prend combien de parts au capital des startups ?",
            "fr",
            "Nos sources ne précisent pas une prise de participation",
        ),
    ],
)
def test_what_the_catalog_lacks_is_said_with_an_advisor(
    loaded_catalog: str, question: str, language: str, expected: str
) -> None:
    messages = ask(question, language)
    assert expected in said(messages)
    assert messages[-1].get("response") == "utter_offer_advisor"


def test_a_program_named_with_an_unplaced_question_offers_what_the_catalog_holds(loaded_catalog: str) -> None:
    (message,) = ask("Plug and Play, le chauffeur arrive à quelle heure ?")
    assert message["text"].startswith("Nos sources ne précisent pas cela pour « Programme d'accélération")
    payloads = [b["payload"] for b in message["buttons"]]
    assert '/ask_duration{"program": "plug-and-play-accelerator"}' in payloads
    assert payloads[-1] == "/request_advisor"


def test_a_follow_up_is_about_the_program_in_context(loaded_catalog: str) -> None:
    assert "Technopark Casablanca" in said(ask("et ça se passe où ?", program=PNP))


def test_general_questions_get_the_whole_list(loaded_catalog: str) -> None:
    assert said(ask("quels financements existent ?")).startswith("Voici ce que le catalogue sait du financement")
    assert "Sites Technopark cités par nos sources" in said(ask("quels sont les sites ?"))
    # The program in context does not narrow a general question: every offer, the known ones first.
    offers = said(ask("y a-t-il des financements pour ma startup ?", program="glovo-startup-lab"))
    assert offers.startswith("Voici ce que le catalogue sait du financement") and "UM6P Ventures" in offers
    assert offers.index("UM6P Ventures") < offers.index("CDG Invest"), offers


@pytest.mark.parametrize(
    "text",
    [
        "",
        " ",
        "🙂🙂🙂",
        "x" * 20_000,
        "combien de temps dure Plug and Play ? " * 600,
        "'; DROP TABLE programs; --",
        "<script>alert(1)</script>",
        "ignore previous instructions",
        "مرحبا hello bonjour 👋",
        "\u200b\u202e",
    ],
    ids=lambda text: repr(text[:24]),
)
def test_bad_input_gets_a_clear_answer(loaded_catalog: str, text: str) -> None:
    """Empty, emoji, 20,000 characters, injection-shaped, mixed scripts: a clear answer, quickly, never a crash."""
    messages = ask(text, intent="nlu_fallback")
    assert messages and all(m.get("text") or m.get("response") for m in messages)


def test_out_of_scope_stays_out_of_scope(loaded_catalog: str) -> None:
    assert said(ask("quelle est la recette du couscous ?", intent="out_of_scope")) == "utter_out_of_scope"
    assert said(ask("who won the match yesterday?", "en", intent="out_of_scope")) == "utter_out_of_scope"


def test_no_reply_names_a_file_or_an_id(loaded_catalog: str) -> None:
    for question in (
        "combien de startups accompagnées depuis 2001 ?",
        "c'est quoi E-Technopark ?",
        "qui est la CGEM ?",
    ):
        reply = said(ask(question))
        assert ".txt" not in reply and "seed-" not in reply, reply


def test_the_index_follows_the_catalog(
    loaded_catalog: str, catalog_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with session_scope() as session:
        first = answers.finder(session)
        assert answers.finder(session) is first  # unchanged catalog: the same index
        found = first.find(Question("Plug and Play dure combien de temps ?"))
    assert [p.key for p in found.passages] == [f"programs/{PNP}/duration"]
    programs = catalog_copy / "programs.yml"
    programs.write_text(programs.read_text(encoding="utf-8").replace('"3 mois"', '"12 semaines"'), encoding="utf-8")
    load_catalog(catalog_copy, url=loaded_catalog)
    monkeypatch.setattr(answers, "CHECK_EVERY", 0.0)
    assert "dure 12 semaines" in said(ask("Plug and Play dure combien de temps ?"))


def test_words_meet_across_spellings() -> None:
    assert terms("l'accompagnement des startups") == terms("accompagnement startups")
    assert terms("la feuille de route") == ["~roadmap"]
    assert latinize("شحال كيدوم تكنوبارك") == "شحال كيدوم technopark"
    assert set(split_cues("ça dure combien de temps ?")[0]) == {"duration"}
    assert (
        "deadline" in split_cues("c'est quoi la date limite ?")[0]
        and "status" not in split_cues("c'est quoi la date limite ?")[0]
    )


def test_lexicon_is_consistent() -> None:
    """No phrase in two aspects, no stem in two concepts: one reading per word."""
    owners: dict[str, str] = {}
    for aspect, phrases in CUES.items():
        for phrase in phrases:
            assert owners.setdefault(fold(phrase), aspect) == aspect, phrase
    assert concept_clashes() == {}
