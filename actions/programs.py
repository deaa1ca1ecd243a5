"""Founder goal: find programs and learn about one.

Flow: ``list_programs`` (optionally filtered by type, sector, stage, city) shows
cards with "Détails" / "Suis-je éligible ?" buttons; ``program_details`` shows one
program and remembers it in the ``program`` slot; follow-ups such as "Et combien
de startups ?" (``ask_capacity`` …) answer about that remembered program.
"""

from __future__ import annotations

from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy.orm import Session

from actions.base import CatalogAction, latest_intent
from actions.formatting import fact_value, program_card, program_details, program_name, source_line
from actions.texts import text
from bot.catalog import queries
from bot.catalog.models import Program
from bot.vocabulary import label, normalize

#: intent -> the program field it asks about
FACT_INTENTS = {
    "ask_capacity": "capacity",
    "ask_duration": "duration",
    "ask_location": "location",
    "ask_benefits": "benefits",
    "ask_how_to_apply": "how_to_apply",
    "ask_deadline": "deadline",
    "ask_partners": "organizations",
}


def latest_entity(tracker: Tracker, kind: str) -> str | None:
    """The canonical value of an entity in the latest message (not an older slot)."""
    for entity in tracker.latest_message.get("entities", []):
        if entity.get("entity") == kind:
            value = normalize(kind, entity.get("value"))
            if value:
                return value
    return None


def send_cards(dispatcher: CollectingDispatcher, programs: list[Program], language: str) -> None:
    for program in programs:
        body, buttons = program_card(program, language)
        dispatcher.utter_message(text=body, buttons=buttons)


def program_mentions(tracker: Tracker) -> list[str]:
    """Program names in the latest message, as extracted (and mapped to ids by synonyms)."""
    return [e.get("value") for e in tracker.latest_message.get("entities", []) if e.get("entity") == "program"]


def resolve_program(tracker: Tracker, session: Session) -> Program | None:
    """The program named in this message, else the one the conversation is about."""
    for mention in program_mentions(tracker):
        found = queries.find_program(session, mention)
        if found:
            return found
    return queries.find_program(session, tracker.get_slot("program"))


def ask_which_program(dispatcher: CollectingDispatcher, session: Session, language: str, unknown: bool) -> None:
    """No program to talk about: say so (unknown name or none given) and show the ones Sanad knows."""
    dispatcher.utter_message(text=text("program_unknown" if unknown else "which_program", language))
    send_cards(dispatcher, queries.all_programs(session), language)


class ActionListPrograms(CatalogAction):
    def name(self) -> str:
        return "action_list_programs"

    def answer(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, session: Session, language: str
    ) -> list[dict[str, Any]]:
        filters = {kind: latest_entity(tracker, kind) for kind in ("program_type", "sector", "stage", "city")}
        result = queries.search_programs(session, **filters)
        asked = [label(kind, value, language) for kind, value in filters.items() if value]
        if not asked:
            dispatcher.utter_message(text=text("programs_intro", language, count=len(result.matching)))
            send_cards(dispatcher, result.matching, language)
            return []
        described = ", ".join(asked)
        if result.matching:
            dispatcher.utter_message(
                text=text("programs_filtered_intro", language, filters=described, count=len(result.matching))
            )
            send_cards(dispatcher, result.matching, language)
        elif not result.unstated:
            dispatcher.utter_message(text=text("programs_none", language, filters=described))
            dispatcher.utter_message(response="utter_offer_advisor")
        if result.unstated:
            kinds = ", ".join(
                text("profile_" + kind, language) for kind in ("sector", "stage", "city") if filters[kind]
            )
            dispatcher.utter_message(text=text("programs_unstated_intro", language, kinds=kinds or described))
            send_cards(dispatcher, result.unstated, language)
        return []


class ActionProgramDetails(CatalogAction):
    """Details of the program named in the message or in context."""

    def name(self) -> str:
        return "action_program_details"

    def fixed_program(self) -> str | None:
        """Subclasses that always answer about one program return its id."""
        return None

    def answer(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, session: Session, language: str
    ) -> list[dict[str, Any]]:
        fixed = self.fixed_program()
        program = queries.get_program(session, fixed) if fixed else resolve_program(tracker, session)
        if program is None:
            unknown = bool(tracker.get_slot("program") or program_mentions(tracker))
            ask_which_program(dispatcher, session, language, unknown)
            return [SlotSet("program", None)]
        _, buttons = program_card(program, language)
        dispatcher.utter_message(text=program_details(program, language), buttons=buttons[1:])
        return [SlotSet("program", program.id)]


class ActionETechnopark(ActionProgramDetails):
    """ "C'est quoi E-Technopark ?" is the details of one catalog program."""

    def name(self) -> str:
        return "action_e_technopark"

    def fixed_program(self) -> str | None:
        return "e-technopark"


class ActionProgramFact(CatalogAction):
    """One fact (capacity, duration, …) about the program in context, or an honest "not stated"."""

    def name(self) -> str:
        return "action_program_fact"

    def answer(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, session: Session, language: str
    ) -> list[dict[str, Any]]:
        program = resolve_program(tracker, session)
        if program is None:
            ask_which_program(dispatcher, session, language, unknown=False)
            return []
        field = FACT_INTENTS.get(latest_intent(tracker) or "")
        value = fact_value(program, field, language) if field else program_details(program, language)
        name = program_name(program, language)
        if value is None:
            what = text(f"what_{field}", language)
            dispatcher.utter_message(text=text("not_in_sources", language, what=what, program=name))
            dispatcher.utter_message(response="utter_offer_advisor")
        elif field is None:
            dispatcher.utter_message(text=value)
        else:
            line = text("field_line", language, label=text("field_" + field, language), value=value)
            source = source_line(program.source, program.last_verified, language)
            dispatcher.utter_message(text=f"{name}\n{line}\n{source}")
        return [SlotSet("program", program.id)]
