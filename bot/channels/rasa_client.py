"""Talk to Rasa's REST webhook from a channel bridge, asynchronously.

A bridge needs one distinction: Rasa answered (a list of replies, maybe empty),
or Rasa is unavailable (down, restarting, overloaded), in which case the
founder's message must be kept and retried, never dropped.
"""

from __future__ import annotations

import json
import re
from typing import Any

import httpx

from bot.language import LANGUAGES

__all__ = ["LANGUAGES", "RasaClient", "RasaUnavailableError", "founder_text", "greet"]


def greet(language: str) -> str:
    """The Rasa payload that greets and sets the conversation's language (a channel's language choice)."""
    return "/greet" + json.dumps({"language": language}, separators=(",", ":"))  # as the widget writes it


def founder_text(text: str) -> str:
    """What a founder typed, made safe for Rasa: never Rasa's ``/intent{...}`` syntax, which only
    Sanad's own buttons may send."""
    return re.sub(r"^[\s/]+", "", text).strip()


class RasaUnavailableError(RuntimeError):
    """Rasa did not answer; the message can be sent again.

    ``lasting`` is False when Rasa is down, restarting or overloaded (retry as long
    as it takes), True when Rasa answered with an error for this very message
    (retrying forever would block the conversation).
    """

    def __init__(self, reason: str, lasting: bool = False) -> None:
        super().__init__(reason)
        self.lasting = lasting


class RasaClient:
    def __init__(self, base_url: str, timeout: float = 120) -> None:
        self.webhook = f"{base_url.rstrip('/')}/webhooks/rest/webhook"
        self._client = httpx.AsyncClient(timeout=httpx.Timeout(timeout, connect=5))

    async def send(self, sender: str, message: str, *, channel: str, metadata: dict[str, Any]) -> list[dict[str, Any]]:
        body = {"sender": sender, "message": message, "input_channel": channel, "metadata": metadata}
        try:
            response = await self._client.post(self.webhook, json=body)
        except httpx.HTTPError as error:
            raise RasaUnavailableError(f"{type(error).__name__}: {error}") from error
        if response.status_code in (502, 503, 504):
            raise RasaUnavailableError(f"Rasa answered HTTP {response.status_code}")
        if response.status_code != 200:
            raise RasaUnavailableError(f"Rasa answered HTTP {response.status_code}", lasting=True)
        try:
            replies = response.json()
        except ValueError as error:
            raise RasaUnavailableError("Rasa answered something that is not JSON", lasting=True) from error
        if not isinstance(replies, list):
            raise RasaUnavailableError("Rasa answered something that is not a list of replies", lasting=True)
        return [reply for reply in replies if isinstance(reply, dict)]

    async def aclose(self) -> None:
        await self._client.aclose()
