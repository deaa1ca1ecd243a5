"""Founder goal: find financing. Lists what the catalog holds, who offers it, and its source.

The seeds name partners (UM6P Ventures, the Plug and Play program's investors,
CGEM's network, CDG Invest…) but rarely the stage they target: when the
founder gives a stage the catalog cannot match, the reply says so.
"""

from __future__ import annotations

from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy.orm import Session

from actions.base import CatalogAction
from actions.formatting import localized, sourced_item
from actions.programs import latest_entity
from actions.texts import text
from bot.catalog import queries
from bot.vocabulary import label


class ActionListFinancing(CatalogAction):
    def name(self) -> str:
        return "action_list_financing"

    def answer(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, session: Session, language: str
    ) -> list[dict[str, Any]]:
        stage = latest_entity(tracker, "stage") or tracker.get_slot("stage")
        sector = latest_entity(tracker, "sector")
        offers = queries.list_financing(session, stage=stage, sector=sector)
        if not offers:
            dispatcher.utter_message(text=text("financing_none", language))
            dispatcher.utter_message(response="utter_offer_advisor")
            return []
        lines = [text("financing_intro", language, count=len(offers))]
        for offer in offers:
            body = f"{localized(offer.name, language)} — {localized(offer.description, language)}"
            lines.append(sourced_item(body, offer.source, language))
        if stage and stage != "unknown" and not any(offer.stages for offer in offers):
            lines.append(text("financing_stage_note", language, stage=label("stage", stage, language)))
        dispatcher.utter_message(text="\n".join(lines))
        dispatcher.utter_message(response="utter_offer_advisor")
        return []
