"""Custom actions run with rasa-sdk trackers against a real SQLite catalog."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import pytest
from rasa.shared.core.domain import Domain
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy import select

from actions.advisor import ActionSaveAdvisorRequest, ValidateAdvisorForm, find_contact
from actions.answers import ActionAnswer
from actions.eligibility import ActionCheckEligibility, ValidateEligibilityForm
from actions.formatting import payload
from actions.language import ActionSetLanguage
from actions.programs import ActionListPrograms
from bot.catalog.db import session_scope
from bot.catalog.models import AdvisorRequest, EligibilityCheck

DOMAIN = Domain.load(str(Path(__file__).resolve().parents[2] / "bot" / "domain")).as_dict()
PNP = "plug-and-play-accelerator"


def tracker(
    intent: str = "greet",
    entities: list[dict[str, Any]] | None = None,
    text: str = "",
    language: str = "fr",
    **slots: Any,
) -> Tracker:
    return Tracker(
        sender_id="test-founder",
        slots={"language": language, **slots},
        latest_message={"intent": {"name": intent, "confidence": 0.99}, "entities": entities or [], "text": text},
        events=[],
        paused=False,
        followup_action=None,
        active_loop={"name": slots.get("active_loop")} if slots.get("active_loop") else {},
        latest_action_name="action_listen",
    )


def run(action: Any, tr: Tracker) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    dispatcher = CollectingDispatcher()
    events = asyncio.run(action.run(dispatcher, tr, DOMAIN))
    return dispatcher.messages, events


def texts(messages: list[dict[str, Any]]) -> str:
    return "\n".join(m.get("text") or m.get("response") or "" for m in messages)


def entity(kind: str, value: str) -> dict[str, Any]:
    return {"entity": kind, "value": value}


def pressed(intent: str, language: str = "fr", **entities: str) -> Tracker:
    """The tracker after a button: its payload is the text, its entities are in the message."""
    found = [entity(kind, value) for kind, value in entities.items()]
    return tracker(intent, found, text=payload(intent, **entities), language=language)


def test_list_programs_shows_cards_with_buttons(loaded_catalog: str) -> None:
    messages, _ = run(ActionListPrograms(), tracker("list_programs", text="quels programmes ?"))
    assert messages[0]["text"].startswith("Voici les programmes du catalogue (6)")
    cards = messages[1:]
    assert len(cards) == 6
    assert [b["title"] for b in cards[0]["buttons"]] == ["Détails", "Suis-je éligible ?"]
    assert cards[0]["buttons"][0]["payload"] == '/program_details{"program": "cgem-technopark"}'


def test_list_programs_filtered_by_sector_separates_stated_focus(loaded_catalog: str) -> None:
    messages, _ = run(ActionListPrograms(), tracker("list_programs", [entity("sector", "IA")], language="en"))
    assert messages[0]["text"] == "Programs for artificial intelligence (1):"
    assert messages[1]["text"].startswith("Access for Technopark startups to UM6P")
    assert "do not state a sector" in messages[2]["text"]


def test_list_programs_with_no_match_offers_an_advisor(loaded_catalog: str) -> None:
    messages, _ = run(ActionListPrograms(), tracker("list_programs", [entity("program_type", "incubation")]))
    assert "Je ne trouve aucun programme pour incubation" in messages[0]["text"]
    assert messages[1]["response"] == "utter_offer_advisor"


def test_program_details_give_facts_gaps_and_source(loaded_catalog: str) -> None:
    messages, events = run(ActionAnswer(), pressed("program_details", program="PnP"))
    body = messages[0]["text"]
    for fact in ("Durée : 3 mois", "plus de 60 startups", "Technopark Casablanca", "Plug and Play (opérateur)"):
        assert fact in body
    assert "Non précisé par nos sources : la procédure de candidature, la date limite" in body
    # the article as people cite it, never the file it is stored in
    assert "Aldar (MAP), « Casablanca: Technopark et Plug and Play scellent" in body
    assert "2 juin 2025 — vérifié le 2026-11-23" in body and ".txt" not in body
    assert messages[0]["buttons"][0]["title"] == "Suis-je éligible ?"
    assert events == [{"event": "slot", "timestamp": None, "name": "program", "value": PNP}]


def test_program_details_in_english(loaded_catalog: str) -> None:
    messages, _ = run(ActionAnswer(), pressed("program_details", language="en", program=PNP))
    assert "Duration: 3 months" in messages[0]["text"] and "Source:" in messages[0]["text"]


def test_follow_up_uses_the_program_in_context(loaded_catalog: str) -> None:
    messages, _ = run(ActionAnswer(), tracker("ask_question", text="Et combien de startups ?", program=PNP))
    assert messages[0]["text"].startswith(
        "« Programme d'accélération Technopark × Plug and Play » : plus de 60 startups"
    )
    assert "Source :" in messages[0]["text"]
    assert messages[0]["buttons"][0] == {
        "title": "Plus de détails",
        "payload": '/program_details{"program": "plug-and-play-accelerator"}',
    }


def test_unknown_fact_is_said_and_an_advisor_offered(loaded_catalog: str) -> None:
    messages, _ = run(ActionAnswer(), tracker("ask_question", text="c'est quoi la date limite ?", program=PNP))
    assert "Nos sources ne précisent pas la date limite" in messages[0]["text"]
    assert messages[1]["response"] == "utter_offer_advisor"


def test_fact_without_context_asks_which_program(loaded_catalog: str) -> None:
    messages, _ = run(ActionAnswer(), tracker("ask_question", text="ça dure combien de temps ?"))
    assert messages[0]["text"].startswith("De quel programme parlez-vous")
    assert len(messages[0]["buttons"]) == 6
    assert messages[0]["buttons"][0]["payload"] == '/ask_duration{"program": "cgem-technopark"}'


def test_unknown_program_is_not_invented(loaded_catalog: str) -> None:
    messages, events = run(ActionAnswer(), pressed("program_details", program="Y Combinator"))
    assert messages[0]["text"].startswith("Je ne connais pas ce programme")
    assert events[0]["value"] is None


def test_e_technopark_details(loaded_catalog: str) -> None:
    messages, _ = run(ActionAnswer(), pressed("ask_e_technopark"))
    assert "non résidents" in messages[0]["text"]


def test_financing_lists_partners_and_says_what_it_does_not_know(loaded_catalog: str) -> None:
    messages, _ = run(ActionAnswer(), pressed("ask_financing", stage="seed"))
    body = messages[0]["text"]
    for name in ("UM6P Ventures", "CDG Invest", "Réseau d'investisseurs et d'entreprises de la CGEM"):
        assert name in body
    assert "La source ne dit pas quel financement CDG Invest propose" in body
    assert "Aucune de ces offres ne précise le stade visé" in body
    assert messages[1]["response"] == "utter_offer_advisor"


def test_about_technopark_shows_both_dated_figures(loaded_catalog: str) -> None:
    messages, _ = run(ActionAnswer(), pressed("about_technopark"))
    body = messages[0]["text"]
    assert "plus de 1 700 entreprises innovantes accompagnées" in body and "(au 2026-01)" in body
    assert "plus de 3 000 startups accompagnées depuis 2001" in body and "(au 2023-01)" in body


def test_sites_events_and_contact_stay_within_the_sources(loaded_catalog: str) -> None:
    sites, _ = run(ActionAnswer(), pressed("ask_sites"))
    assert "Technopark Casablanca" in sites[0]["text"] and "4 sites Technopark opérationnels" in sites[0]["text"]
    assert "ne figurent pas dans nos sources" in sites[0]["text"]
    events, _ = run(ActionAnswer(), pressed("ask_events", language="en"))
    assert "GITEX Africa 2024 (May 2024)" in events[0]["text"]
    assert "no upcoming event date" in events[0]["text"]
    contact, _ = run(ActionAnswer(), pressed("ask_contact"))
    assert "Je n'ai pas les coordonnées" in contact[0]["text"]


def test_eligibility_verdicts_with_reasons(loaded_catalog: str) -> None:
    profile = {
        "stage": "mvp",
        "sector": "ai",
        "city": "casablanca",
        "company_age_years": 2.0,
        "technopark_resident": True,
        "legal_status": "sarl",
    }
    messages, _ = run(ActionCheckEligibility(), tracker("inform", **profile, program="e-technopark"))
    lines = messages[0]["text"].splitlines()
    assert lines[0].startswith("Votre profil : stade : MVP / prototype; secteur : intelligence artificielle")
    assert lines[1].startswith(
        "❌ E-Technopark (plateforme à distance) : non éligible — conçu pour les startups non résidentes"
    )
    assert "« permettra aux porteurs de projets et startups « non-résidentes »" in lines[1]
    assert any(line.startswith("✅ Accès des startups de Technopark") for line in lines)
    assert any(
        "Programme d'accélération Technopark × Plug and Play : les critères d'éligibilité ne sont pas publiés" in line
        for line in lines
    )
    with session_scope() as session:
        recorded = dict(
            session.execute(
                select(EligibilityCheck.program_id, EligibilityCheck.status).where(
                    EligibilityCheck.conversation_id == "test-founder"
                )
            ).all()
        )
    assert recorded["e-technopark"] == "not_eligible"
    assert recorded[PNP] == "unknown"
    assert len(recorded) == len(lines) - 2  # one verdict stored per program line (intro and advisor lines aside)


def test_eligibility_names_the_missing_answer(loaded_catalog: str) -> None:
    messages, _ = run(ActionCheckEligibility(), tracker("inform", technopark_resident="unknown", language="en"))
    assert "❔ E-Technopark (remote platform): I can't tell, I'm missing: Technopark resident." in messages[0]["text"]


def form_tracker(requested: str, text: str, intent: str = "inform", **slots: Any) -> Tracker:
    return tracker(intent, text=text, requested_slot=requested, active_loop="eligibility_form", **slots)


def slot_events(events: list[dict[str, Any]]) -> dict[str, Any]:
    return {e["name"]: e["value"] for e in events if e["event"] == "slot" and e["name"] != "requested_slot"}


@pytest.mark.parametrize(
    ("requested", "text", "intent", "value"),
    [
        ("stage", "on est en phase prototype", "inform", "mvp"),
        ("sector", "je ne sais pas", "inform", "unknown"),
        ("city", "casa", "inform", "casablanca"),
        ("company_age_years", "18 mois", "inform", 1.5),
        ("company_age_years", "pas encore créée", "inform", 0.0),
        ("technopark_resident", "oui", "affirm", True),
        ("technopark_resident", "non on n'est pas résidents", "inform", False),
        ("legal_status", "SARL", "inform", "sarl"),
    ],
)
def test_form_reads_free_text_answers(loaded_catalog: str, requested: str, text: str, intent: str, value: Any) -> None:
    _, events = run(ValidateEligibilityForm(), form_tracker(requested, text, intent))
    assert slot_events(events)[requested] == value


def test_form_rejects_an_unreadable_answer_and_asks_again(loaded_catalog: str) -> None:
    messages, events = run(ValidateEligibilityForm(), form_tracker("company_age_years", "🚀🚀🚀"))
    assert slot_events(events)["company_age_years"] is None
    assert messages[0]["text"] == "Je n'ai pas compris cette réponse."


def test_form_leaves_stop_to_the_rules(loaded_catalog: str) -> None:
    _, events = run(ValidateEligibilityForm(), form_tracker("stage", "annuler", intent="stop"))
    assert "stage" not in slot_events(events)


@pytest.mark.parametrize(
    ("text", "contact"),
    [
        ("salma@startup.ma", "salma@startup.ma"),
        ("mon numéro: +212 6 12 34 56 78", "+212 6 12 34 56 78"),
        ("@salma_founder", "@salma_founder"),
        ("demain", None),
    ],
)
def test_contact_formats(text: str, contact: str | None) -> None:
    assert find_contact(text) == contact


def test_advisor_form_and_request_is_stored(loaded_catalog: str) -> None:
    form = tracker("inform", text="Salma Benali", requested_slot="advisor_name", active_loop="advisor_form")
    _, events = run(ValidateAdvisorForm(), form)
    assert slot_events(events) == {"advisor_name": "Salma Benali"}
    answers = {"advisor_name": "Salma", "advisor_contact": "salma@startup.ma", "advisor_topic": "financement seed"}
    messages, events = run(ActionSaveAdvisorRequest(), tracker("inform", **answers))
    assert "Votre demande n°1 est enregistrée" in messages[0]["text"] and "sous 2 jours ouvrés" in messages[0]["text"]
    assert slot_events(events) == dict.fromkeys(answers)
    with session_scope() as session:
        (row,) = session.scalars(select(AdvisorRequest)).all()
        assert (row.conversation_id, row.contact, row.topic) == ("test-founder", "salma@startup.ma", "financement seed")


DOWN = "postgresql+psycopg2://sanad:sanad@127.0.0.1:9/sanad"  # nothing listens on port 9


def test_database_down_gives_a_clear_answer(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SANAD_DATABASE_URL", DOWN)
    messages, events = run(ActionListPrograms(), tracker("list_programs"))
    assert len(messages) == 1
    assert messages[0]["text"].startswith("Le catalogue des programmes est momentanément indisponible")
    answers = {"advisor_name": "Salma", "advisor_contact": "salma@startup.ma", "advisor_topic": "x"}
    messages, events = run(ActionSaveAdvisorRequest(), tracker("inform", language="en", **answers))
    assert messages[0]["text"].startswith("I couldn't record your request right now")
    assert events == []  # the answers stay in the slots: nothing typed is lost


@pytest.mark.parametrize(
    ("text", "entities", "current", "expected"),
    [
        ('/greet{"language":"ar"}', [entity("language", "ar")], "fr", "ar"),  # the founder chose
        ('/program_details{"program":"plug-and-play-accelerator"}', [], "fr", "fr"),  # a button's words
        ("/list_programs", [], None, None),
        ("merci", [], "en", "en"),  # one ambiguous word
        ("what programs do you have for my startup?", [], "fr", "en"),
        ("واش كاين شي تمويل ف كازا؟", [], "fr", "ar"),
        ("levée de fonds seed 3fa9c2", [], "fr", "fr"),  # a pasted id is not Arabizi
    ],
)
def test_set_language(text: str, entities: list[dict[str, Any]], current: str | None, expected: str | None) -> None:
    _, events = run(ActionSetLanguage(), tracker(text=text, entities=entities, language=current))  # type: ignore[arg-type]
    assert events == (
        [] if expected == current else [{"event": "slot", "timestamp": None, "name": "language", "value": expected}]
    )


def test_advisor_form_takes_a_name_the_model_reads_as_stop_unless_it_is_sure() -> None:
    """ "Salma Bennani" came out as `stop` at 0.75: a name, not a cancel; "annule" scores 0.99."""
    name = tracker(intent="stop", text="Salma Bennani", requested_slot="advisor_name")
    name.latest_message["intent"]["confidence"] = 0.75
    form = ValidateAdvisorForm()
    assert form.extract_advisor_name(CollectingDispatcher(), name, DOMAIN) == {"advisor_name": "Salma Bennani"}
    cancel = tracker(intent="stop", text="annule", requested_slot="advisor_name")
    assert form.extract_advisor_name(CollectingDispatcher(), cancel, DOMAIN) == {}
