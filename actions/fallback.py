"""When Sanad does not understand: ask to rephrase; the second time in a row, offer an advisor too.

Flow: the FallbackClassifier's ``nlu_fallback`` runs ``action_not_understood``; it
looks at the founder's previous message in the conversation.
"""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

FALLBACK = "nlu_fallback"


def misunderstood_twice(tracker: Tracker) -> bool:
    """Whether the latest two founder messages both went to the fallback."""
    intents = [
        ((event.get("parse_data") or {}).get("intent") or {}).get("name")
        for event in tracker.events
        if event.get("event") == "user"
    ]
    return intents[-2:] == [FALLBACK, FALLBACK]


class ActionNotUnderstood(Action):
    def name(self) -> str:
        return "action_not_understood"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        dispatcher.utter_message(response="utter_default")
        if misunderstood_twice(tracker):
            dispatcher.utter_message(response="utter_offer_advisor")
        return []
