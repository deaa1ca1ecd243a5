"""What every catalog-backed action shares: the founder's language, a session, and a clear
message instead of a crash when the database is unreachable."""

from __future__ import annotations

import logging
from abc import ABC, abstractmethod
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from actions.texts import text
from bot.catalog.db import session_scope
from bot.language import DEFAULT_LANGUAGE, LANGUAGES

logger = logging.getLogger(__name__)


def language_of(tracker: Tracker) -> str:
    value = tracker.get_slot("language")
    return value if value in LANGUAGES else DEFAULT_LANGUAGE


def latest_intent(tracker: Tracker) -> str | None:
    """The intent of the latest message as Rasa classified it (button payloads included)."""
    return (tracker.latest_message.get("intent") or {}).get("name")


class CatalogAction(Action, ABC):
    """An action that answers from the catalog. Subclasses implement ``name`` and ``answer``."""

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        language = language_of(tracker)
        try:
            with session_scope() as session:
                return self.answer(dispatcher, tracker, session, language)
        except SQLAlchemyError:
            logger.exception("catalog unavailable in %s", self.name())
            dispatcher.utter_message(text=text("catalog_down", language))
            return []

    @abstractmethod
    def answer(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, session: Session, language: str
    ) -> list[dict[str, Any]]:
        """Reply to the founder from ``session``; return the events to apply."""
