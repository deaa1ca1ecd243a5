"""Pacing of outgoing Telegram requests, and patience when Telegram says "slow down".

Telegram allows about one message per second in a chat (twenty a minute in a
group) and thirty per second overall; above that it answers 429 with
``retry_after``. Sanad spaces its messages to stay under those limits and, if a
429 comes anyway, waits what Telegram asked and tries again. Other errors are
left to the caller (the dispatcher retries the whole update later).
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
import time
from collections.abc import Callable, Coroutine
from typing import Any

from telegram.error import RetryAfter
from telegram.ext import BaseRateLimiter

logger = logging.getLogger(__name__)

#: Requests that put a message in a chat, and so count against the per-chat limit.
PER_CHAT = frozenset({"sendMessage", "sendPhoto", "editMessageReplyMarkup", "editMessageText"})

GROUP_INTERVAL = 3.0  # seconds: 20 messages a minute
#: Telegram tolerates short bursts: a reply of up to this many messages goes out at once, then the pace applies.
CHAT_BURST = 3


class PacedRateLimiter(BaseRateLimiter[None]):
    def __init__(self, chat_interval: float = 1.0, overall_per_second: float = 30, max_retries: int = 5) -> None:
        self.chat_interval = chat_interval
        self.overall_interval = 1 / overall_per_second
        self.max_retries = max_retries
        self._next_overall = 0.0
        self._next_in_chat: dict[Any, float] = {}
        self._blocked: dict[Any, float] = {}  # chats Telegram asked us to leave alone until then

    async def initialize(self) -> None:
        """Nothing to set up: the schedule lives in memory."""

    async def shutdown(self) -> None:
        self._next_in_chat.clear()
        self._blocked.clear()

    def _chat_slot(self, chat_id: Any, endpoint: str) -> float:
        """Book this chat's next slot for the request; return how long to wait for it.

        No await between reading and writing a schedule, so the event loop's
        concurrent tasks each get their own slot.
        """
        now = time.monotonic()
        start = max(now, self._blocked.get(chat_id, 0.0))
        if endpoint in PER_CHAT and chat_id is not None:
            # Generic cell rate algorithm: on average one message per interval, up to CHAT_BURST at once.
            interval = GROUP_INTERVAL if str(chat_id).startswith("-") else self.chat_interval
            due = max(now, self._next_in_chat.get(chat_id, 0.0))  # when the chat's pace would allow the next one
            start = max(start, due - (CHAT_BURST - 1) * interval)
            self._next_in_chat[chat_id] = due + interval
            if len(self._next_in_chat) > 10_000:  # forget chats whose slot is in the past
                self._next_in_chat = {k: v for k, v in self._next_in_chat.items() if v > now}
                self._blocked = {k: v for k, v in self._blocked.items() if v > now}
        return start - now

    def _overall_slot(self) -> float:
        """Book the next of the 30-per-second slots shared by all chats; return how long to wait."""
        now = time.monotonic()
        start = max(now, self._next_overall)
        self._next_overall = start + self.overall_interval
        return start - now

    async def process_request(
        self,
        callback: Callable[..., Coroutine[Any, Any, bool | dict[str, Any] | list[dict[str, Any]]]],
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: None,
    ) -> bool | dict[str, Any] | list[dict[str, Any]]:
        chat_id = data.get("chat_id")
        for attempt in range(self.max_retries + 1):
            # The chat's own pace first, then a shared slot: a chat waiting for its turn holds up no other.
            await pause(self._chat_slot(chat_id, endpoint))
            await pause(self._overall_slot())
            try:
                return await callback(*args, **kwargs)
            except RetryAfter as error:
                if attempt == self.max_retries:
                    raise
                delay = seconds(error.retry_after)
                logger.warning("Telegram asked to wait %.0fs before %s (attempt %d)", delay, endpoint, attempt + 1)
                until = time.monotonic() + delay
                if chat_id is not None:  # Telegram slows this chat down, not the others
                    self._blocked[chat_id] = max(self._blocked.get(chat_id, 0.0), until)
                else:
                    self._next_overall = max(self._next_overall, until)
        raise AssertionError("unreachable: the last attempt returns or raises")


async def pause(delay: float) -> None:
    if delay > 0:
        await asyncio.sleep(delay)


def seconds(value: float | dt.timedelta) -> float:
    """``RetryAfter.retry_after`` is an int or a timedelta depending on PTB's settings."""
    return value.total_seconds() if isinstance(value, dt.timedelta) else float(value)
