"""Founder goal: talk to a human. Sanad takes name, contact and topic, stores the request, and on
Telegram or the website widget opens a handoff: an advisor joins this very chat (``bot.handoff``).

Flow: ``request_advisor`` starts ``advisor_form``; ``validate_advisor_form`` takes
the free-text answers (an e-mail, a phone number or a Telegram @handle for the
contact); ``action_save_advisor_request`` writes the row that the staff inbox
reads. If the database is down the founder is told, and the answers stay in the
conversation's slots so nothing typed is lost.
"""

from __future__ import annotations

import logging
import os
import re
from functools import partialmethod
from typing import Any

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict
from sqlalchemy.exc import SQLAlchemyError

from actions.base import language_of, leaves_form
from actions.texts import text
from bot.catalog import queries
from bot.catalog.db import session_scope
from bot.handoff import desk

logger = logging.getLogger(__name__)

EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[a-z]{2,}", re.IGNORECASE)
PHONE = re.compile(r"\+?\d[\d .-]{6,18}\d")
HANDLE = re.compile(r"@[A-Za-z0-9_]{4,32}")
LIMITS = {"advisor_name": 100, "advisor_contact": 200, "advisor_topic": 1000}
FORM_SLOTS = tuple(LIMITS)


def find_contact(message: str) -> str | None:
    """An e-mail, a phone number or a Telegram handle inside the answer."""
    for pattern in (EMAIL, PHONE, HANDLE):
        match = pattern.search(message)
        if match:
            return match.group(0).strip()
    return None


class ValidateAdvisorForm(FormValidationAction):
    def name(self) -> str:
        return "validate_advisor_form"

    def _extract_text(
        self, slot: str, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        if tracker.get_slot("requested_slot") != slot or leaves_form(tracker, {"stop"}):
            return {}
        message = " ".join((tracker.latest_message.get("text") or "").split())
        return {slot: message} if message and not message.startswith("/") else {}

    def validate_advisor_name(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        return {"advisor_name": str(value)[: LIMITS["advisor_name"]]}

    def validate_advisor_contact(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        contact = find_contact(str(value))
        if contact is None:
            dispatcher.utter_message(response="utter_invalid_contact")
        return {"advisor_contact": contact}

    def validate_advisor_topic(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        return {"advisor_topic": str(value)[: LIMITS["advisor_topic"]]}


for _slot in FORM_SLOTS:
    setattr(ValidateAdvisorForm, f"extract_{_slot}", partialmethod(ValidateAdvisorForm._extract_text, _slot))


class ActionSaveAdvisorRequest(Action):
    def name(self) -> str:
        return "action_save_advisor_request"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        language = language_of(tracker)
        answers = {slot: tracker.get_slot(slot) for slot in FORM_SLOTS}
        try:
            with session_scope() as session:
                request = queries.save_advisor_request(
                    session,
                    conversation_id=tracker.sender_id,
                    name=answers["advisor_name"],
                    contact=answers["advisor_contact"],
                    topic=answers["advisor_topic"],
                    language=language,
                )
                request_id = request.id
        except SQLAlchemyError:
            logger.exception("could not store the advisor request of %s", tracker.sender_id)
            dispatcher.utter_message(text=text("advisor_failed", language))
            return []
        dispatcher.utter_message(text=self.confirmation(tracker, answers, request_id, language))
        return [SlotSet(slot, None) for slot in FORM_SLOTS]

    @staticmethod
    def confirmation(tracker: Tracker, answers: dict[str, Any], request_id: int, language: str) -> str:
        """On Telegram and the widget an advisor joins the chat (a handoff waits in the console's inbox);
        elsewhere, or if the handoff cannot be stored, the team calls back on the contact given."""
        channel = (tracker.latest_message.get("metadata") or {}).get("channel")
        if channel in desk.CHANNELS:
            try:
                with desk.session_scope() as session:
                    desk.request(session, tracker.sender_id, channel, answers["advisor_topic"] or "", language)
                return desk.requested_reply(language, answers["advisor_name"], request_id)
            except SQLAlchemyError:
                logger.exception("could not open a handoff for %s; the request is stored", tracker.sender_id)
        days = os.environ.get("SANAD_ADVISOR_RESPONSE_DAYS", "2")
        name, contact = answers["advisor_name"], answers["advisor_contact"]
        return text("advisor_saved", language, name=name, id=request_id, contact=contact, days=days)
