"""Founder goal: "am I eligible?". A short form, then one verdict per program, with reasons.

Flow: ``check_eligibility`` starts ``eligibility_form``, which asks stage, sector,
city, company age, Technopark residency and legal status (skipping what the
founder already said). ``validate_eligibility_form`` reads free text as well as
entities and buttons; "je ne sais pas" is a valid answer recorded as
``unknown``. ``action_check_eligibility`` runs ``bot.eligibility`` on every
program's criteria from the catalog.
"""

from __future__ import annotations

import datetime as dt
from functools import partialmethod
from typing import Any

from rasa_sdk import FormValidationAction, Tracker
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict
from sqlalchemy.orm import Session

from actions.base import CatalogAction, language_of, latest_intent, leaves_form
from actions.formatting import profile_summary, verdict_line
from actions.texts import text
from bot.catalog import queries
from bot.eligibility import FounderProfile, evaluate
from bot.vocabulary import is_dont_know, normalize, parse_company_age, parse_yes_no

UNKNOWN = "unknown"
#: Intents that leave the form instead of answering its question.
LEAVING_INTENTS = {"stop", "request_advisor"}
CATEGORICAL = ("stage", "sector", "city", "legal_status")


def _latest_text(tracker: Tracker) -> str:
    return tracker.latest_message.get("text") or ""


def _answering(tracker: Tracker, slot: str) -> bool:
    """True when the latest message answers the form's question for ``slot``."""
    return tracker.get_slot("requested_slot") == slot and not leaves_form(tracker, LEAVING_INTENTS)


def profile_from_slots(tracker: Tracker) -> FounderProfile:
    """The founder's answers; "unknown" and anything unparsed count as missing."""

    def known(name: str) -> Any:
        value = tracker.get_slot(name)
        return None if value in (None, UNKNOWN, "") else value

    categorical = {name: normalize(name, known(name)) for name in CATEGORICAL}
    age = known("company_age_years")
    resident = known("technopark_resident")
    return FounderProfile(
        company_age_years=float(age) if isinstance(age, (int, float)) else None,
        technopark_resident=resident if isinstance(resident, bool) else None,
        **categorical,
    )


class ValidateEligibilityForm(FormValidationAction):
    def name(self) -> str:
        return "validate_eligibility_form"

    async def extract_company_age_years(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        if not _answering(tracker, "company_age_years"):
            return {}
        message = _latest_text(tracker)
        if is_dont_know(message):
            return {"company_age_years": UNKNOWN}
        years = parse_company_age(message, dt.date.today().year)
        return {"company_age_years": message if years is None else years}

    async def extract_technopark_resident(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        if not _answering(tracker, "technopark_resident"):
            return {}
        message = _latest_text(tracker)
        intent = latest_intent(tracker)
        if is_dont_know(message):
            return {"technopark_resident": UNKNOWN}
        answer = {"affirm": True, "deny": False}.get(intent or "")
        if answer is None:
            answer = parse_yes_no(message)
        return {"technopark_resident": message if answer is None else answer}

    def _extract_categorical(
        self, slot: str, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        """Entity first (already mapped by the domain), then the free text, then "don't know"."""
        if not _answering(tracker, slot) or tracker.get_slot(slot):
            return {}
        message = _latest_text(tracker)
        if is_dont_know(message):
            return {slot: UNKNOWN}
        return {slot: normalize(slot, message) or message}

    def _validate_categorical(
        self, slot: str, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        if value == UNKNOWN:
            return {slot: UNKNOWN}
        canonical = normalize(slot, value)
        if canonical is None:
            dispatcher.utter_message(text=text("invalid_answer", language_of(tracker)))
        return {slot: canonical}

    def validate_company_age_years(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        if value == UNKNOWN or (isinstance(value, (int, float)) and not isinstance(value, bool) and 0 <= value <= 100):
            return {"company_age_years": value}
        dispatcher.utter_message(text=text("invalid_answer", language_of(tracker)))
        return {"company_age_years": None}

    def validate_technopark_resident(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        if isinstance(value, bool) or value == UNKNOWN:
            return {"technopark_resident": value}
        dispatcher.utter_message(text=text("invalid_answer", language_of(tracker)))
        return {"technopark_resident": None}


# rasa-sdk looks up ``extract_<slot>`` and ``validate_<slot>`` by name: one shared
# implementation serves the four slots whose answers come from the vocabulary.
for _slot in CATEGORICAL:
    setattr(
        ValidateEligibilityForm, f"extract_{_slot}", partialmethod(ValidateEligibilityForm._extract_categorical, _slot)
    )
    setattr(
        ValidateEligibilityForm,
        f"validate_{_slot}",
        partialmethod(ValidateEligibilityForm._validate_categorical, _slot),
    )


class ActionCheckEligibility(CatalogAction):
    """One verdict per program, the program in context first."""

    def name(self) -> str:
        return "action_check_eligibility"

    def answer(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, session: Session, language: str
    ) -> list[dict[str, Any]]:
        profile = profile_from_slots(tracker)
        programs = queries.all_programs(session)
        focus = tracker.get_slot("program")
        programs.sort(key=lambda p: p.id != focus)
        verdicts = [(program, evaluate(program.criteria, profile)) for program in programs]
        queries.record_eligibility(session, tracker.sender_id, [(p.id, v.status.value) for p, v in verdicts])
        lines = [text("eligibility_intro", language, profile=profile_summary(profile, language))]
        lines += [verdict_line(p, verdict, language) for p, verdict in verdicts]
        lines.append(text("eligibility_advisor", language))
        dispatcher.utter_message(text="\n".join(lines))
        dispatcher.utter_message(response="utter_offer_advisor")
        return []
