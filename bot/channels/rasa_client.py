"""Talk to Rasa's REST webhook from a channel bridge, asynchronously.

A bridge needs one distinction: Rasa answered (a list of replies, maybe empty),
or Rasa is unavailable (down, restarting, overloaded), in which case the
founder's message must be kept and retried, never dropped.
"""

from __future__ import annotations

from typing import Any

import httpx


class RasaUnavailableError(RuntimeError):
    """Rasa did not answer; the message was not handled and can be sent again."""


class RasaClient:
    def __init__(self, base_url: str, timeout: float = 60) -> None:
        self.webhook = f"{base_url.rstrip('/')}/webhooks/rest/webhook"
        self._client = httpx.AsyncClient(timeout=httpx.Timeout(timeout, connect=5))

    async def send(self, sender: str, message: str, *, channel: str, metadata: dict[str, Any]) -> list[dict[str, Any]]:
        body = {"sender": sender, "message": message, "input_channel": channel, "metadata": metadata}
        try:
            response = await self._client.post(self.webhook, json=body)
        except httpx.HTTPError as error:
            raise RasaUnavailableError(f"{type(error).__name__}: {error}") from error
        if response.status_code != 200:
            raise RasaUnavailableError(f"Rasa answered HTTP {response.status_code}")
        replies = response.json()
        if not isinstance(replies, list):
            raise RasaUnavailableError("Rasa answered something that is not a list of replies")
        return [reply for reply in replies if isinstance(reply, dict)]

    async def aclose(self) -> None:
        await self._client.aclose()
