"""Sanad's answer path in one process, for tuning without servers (``bench/answers.py``).

The real path is Rasa's server calling the action server over HTTP (the slow tests
score the bank that way). Here a message is parsed by the trained model beforehand
(``parses``), its language set as ``action_set_language`` sets it, routed as the rules
route it, and the action run with a rasa-sdk tracker; domain responses are rendered
in the conversation's language, as Rasa renders them.
"""

from __future__ import annotations

import asyncio
import os
import tempfile
from pathlib import Path
from typing import Any

import yaml
from rasa.shared.core.domain import Domain
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.answers import ActionAnswer
from actions.programs import ActionListPrograms
from bot.catalog.db import session_scope
from bot.catalog.loader import load_catalog
from bot.language import next_language
from bot.settings import REPO_ROOT
from tests.support.bank import Item, Judge


def answered_intents() -> set[str]:
    """Intents whose rule runs action_answer (bot/rules), as the dialogue does."""
    found = set()
    for path in (REPO_ROOT / "bot" / "rules").glob("*.yml"):
        for rule in yaml.safe_load(path.read_text(encoding="utf-8")).get("rules") or []:
            steps = rule.get("steps") or []
            if len(steps) >= 2 and "intent" in steps[0] and steps[1].get("action") == "action_answer":
                found.add(steps[0]["intent"])
    return found


class Simulator:
    def __init__(self, parses: dict[str, Any]) -> None:
        self.parses = parses
        self.answered = answered_intents()
        folder = Path(tempfile.mkdtemp(prefix="sanad-simulate-"))
        os.environ["SANAD_DATABASE_URL"] = f"sqlite:///{folder / 'catalog.db'}"
        load_catalog()
        self.domain = Domain.load(str(REPO_ROOT / "bot" / "domain"))
        self.domain_dict = self.domain.as_dict()
        from bot import answers

        with session_scope() as session:
            self.judge = Judge(dict(answers.finder(session).index.by_key))

    def ask(self, item: Item) -> list[dict[str, Any]]:
        slots: dict[str, Any] = {"language": None, "program": None}
        events: list[dict[str, Any]] = []
        replies: list[dict[str, Any]] = []
        for text in (item.after, item.question):
            if text:
                replies = self._turn(text, slots, events)
        return replies

    def _turn(self, text: str, slots: dict[str, Any], events: list[dict[str, Any]]) -> list[dict[str, Any]]:
        slots["language"] = next_language(slots["language"], text)
        parse = self.parses[text]
        events.append({"event": "user", "text": text, "parse_data": parse})
        intent = parse["intent"]["name"]
        if intent in self.answered:
            action: Any = ActionAnswer()
        elif intent in ("list_programs", "inform"):
            action = ActionListPrograms()
        else:
            return [{"text": f"<{intent}>"}]
        tracker = Tracker(
            sender_id="bench",
            slots=dict(slots),
            latest_message={**parse, "text": text},
            events=events,
            paused=False,
            followup_action=None,
            active_loop={},
            latest_action_name="action_listen",
        )
        dispatcher = CollectingDispatcher()
        for event in asyncio.run(action.run(dispatcher, tracker, self.domain_dict)):
            if event.get("event") == "slot":
                slots[event["name"]] = event["value"]
        return [self._render(message, slots["language"]) for message in dispatcher.messages]

    def _render(self, message: dict[str, Any], language: str | None) -> dict[str, Any]:
        name = message.get("response")
        if not name:
            return message
        variants = self.domain.responses[name]
        chosen = next(
            (v for v in variants if any(c.get("value") == language for c in v.get("condition") or [])),
            next(v for v in variants if not v.get("condition")),
        )
        return {"text": chosen.get("text"), "buttons": chosen.get("buttons") or []}
