"""What every catalog-backed action shares: the founder's language, a session, and a clear
message instead of a crash when the database is unreachable."""

from __future__ import annotations

import asyncio
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


#: Below this confidence a typed answer does not take the founder out of a form: names and cities are
#: classified anyhow ("Salma Bennani" read as stop at 0.75), while "annule" or "7bes" score 0.99.
LEAVING_CONFIDENCE = 0.9


def leaves_form(tracker: Tracker, intents: set[str] | frozenset[str]) -> bool:
    """Whether the latest message is, with confidence, one of ``intents`` (stop, ask for an advisor...)."""
    intent = tracker.latest_message.get("intent") or {}
    return intent.get("name") in intents and float(intent.get("confidence") or 0) >= LEAVING_CONFIDENCE


def latest_intent(tracker: Tracker) -> str | None:
    """The intent of the latest message as Rasa classified it (button payloads included)."""
    return (tracker.latest_message.get("intent") or {}).get("name")


class CatalogAction(Action, ABC):
    """An action that answers from the catalog. Subclasses implement ``name`` and ``answer``."""

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        language = language_of(tracker)
        # In a thread: the database (and the answer finder) never block the action server's event loop.
        return await asyncio.to_thread(self._answer, dispatcher, tracker, language)

    def _answer(self, dispatcher: CollectingDispatcher, tracker: Tracker, language: str) -> list[dict[str, Any]]:
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
