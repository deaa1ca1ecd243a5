"""Which language the conversation continues in, decided after every founder message.

The ``language`` slot has a custom mapping: Rasa runs ``action_set_language`` after
each message. A language the founder chose (the Telegram /langue buttons, the
widget's switch: ``/greet{"language": "ar"}``) wins; otherwise the message's own
language, by ``bot.language.next_language``, which a lone ambiguous word never flips.
"""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from bot.language import LANGUAGES, next_language


def chosen_language(tracker: Tracker) -> str | None:
    """The language a button or command asked for, if the latest message (a payload) names one."""
    message = tracker.latest_message
    values = [e.get("value") for e in message.get("entities") or [] if e.get("entity") == "language"]
    return next((value for value in values if value in LANGUAGES), None)


class ActionSetLanguage(Action):
    def name(self) -> str:
        return "action_set_language"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        current = tracker.get_slot("language")
        text = str(tracker.latest_message.get("text") or "")
        # A button or command's payload is not the founder's language: only a chosen language counts.
        payload = text.startswith("/")
        language = (chosen_language(tracker) or current) if payload else next_language(current, text)
        return [SlotSet("language", language)] if language != current else []
