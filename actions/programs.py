"""Founder goal: find programs and see one in full.

Flow: ``list_programs`` and a bare filter (``inform``: "fintech", "à Casablanca")
run ``action_list_programs``: cards with "Détails" / "Suis-je éligible ?" buttons,
filtered by type, sector, stage, city. A card's "Détails" (``/program_details``)
shows the program's full card (:func:`show_program`, through ``action_answer``);
questions about one program are answered by ``actions.answers``.
"""

from __future__ import annotations

from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy.orm import Session

from actions.base import CatalogAction
from actions.formatting import program_card, program_details
from actions.texts import text
from bot.catalog import queries
from bot.catalog.models import Program
from bot.vocabulary import label, normalize


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


def show_program(
    dispatcher: CollectingDispatcher, tracker: Tracker, session: Session, language: str, program_id: str | None = None
) -> list[dict[str, Any]]:
    """A program's full card (the one named, else the one in context), or which programs Sanad knows."""
    program = queries.get_program(session, program_id) if program_id else resolve_program(tracker, session)
    if program is None:
        unknown = bool(tracker.get_slot("program") or program_mentions(tracker))
        ask_which_program(dispatcher, session, language, unknown)
        return [SlotSet("program", None)]
    _, buttons = program_card(program, language)
    dispatcher.utter_message(text=program_details(program, language), buttons=buttons[1:])
    return [SlotSet("program", program.id)]


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
