"""Founder goal: find financing. The list of what the catalog holds, who offers it, and its source.

Shown by ``action_answer`` for a general financing question or its "Plus de détails";
a question about one investor is answered by ``actions.answers``. The seeds name
partners (UM6P Ventures, the Plug and Play program's investors, CGEM's network,
CDG Invest…) but rarely the stage they target: when the founder gives a stage the
catalog cannot match, the reply says so.
"""

from __future__ import annotations

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy.orm import Session

from actions.formatting import localized, sourced_item
from actions.programs import latest_entity
from actions.texts import text
from bot.catalog import queries
from bot.vocabulary import label


def show_financing(dispatcher: CollectingDispatcher, tracker: Tracker, session: Session, language: str) -> None:
    stage = latest_entity(tracker, "stage") or tracker.get_slot("stage")
    sector = latest_entity(tracker, "sector")
    offers = queries.list_financing(session, stage=stage, sector=sector)
    if not offers:
        dispatcher.utter_message(text=text("financing_none", language))
        dispatcher.utter_message(response="utter_offer_advisor")
        return
    lines = [text("financing_intro", language, count=len(offers))]
    for offer in offers:
        body = f"{localized(offer.name, language)} — {localized(offer.description, language)}"
        lines.append(sourced_item(body, offer.source, language))
    if stage and stage != "unknown" and not any(offer.stages for offer in offers):
        lines.append(text("financing_stage_note", language, stage=label("stage", stage, language)))
    dispatcher.utter_message(text="\n".join(lines))
    dispatcher.utter_message(response="utter_offer_advisor")
