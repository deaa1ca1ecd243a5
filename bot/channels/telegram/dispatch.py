"""Hand the inbox's updates to the bot's handlers: in order within a chat, chats in parallel.

python-telegram-bot catches what a handler raises and passes it to the error
handlers; ``Dispatcher.on_error`` is that error handler, so the dispatcher
learns which update failed and decides: retry later with backoff (Rasa down,
network trouble, Telegram's 429: the chat's later updates wait behind it, order
is kept), or set it aside as ``failed`` (the founder blocked the bot, Telegram
refuses the request, or the same unexpected error came back too often).

Stopping is graceful: no new update is started, and those in progress get
``grace`` seconds to finish (a reply Rasa is computing is then stored, not lost).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from typing import Any

from telegram import Update
from telegram.error import BadRequest, ChatMigrated, Forbidden, InvalidToken, NetworkError, RetryAfter

from bot.channels.rasa_client import RasaUnavailableError
from bot.channels.telegram.store import TelegramStore

logger = logging.getLogger(__name__)

#: Errors that will not go away by trying again.
PERMANENT = (Forbidden, BadRequest, ChatMigrated, InvalidToken)
#: An update failing in another way (a bug, Rasa failing on this very message) is set aside after this many tries.
MAX_ATTEMPTS = 8
#: How many chats are handled at once (each holds a Rasa request and Telegram requests).
CONCURRENT_CHATS = 32
PRUNE_EVERY = 3600.0  # seconds


def lasts(error: BaseException) -> bool:
    """Whether retrying cannot be expected to help, however long we wait."""
    if isinstance(error, RasaUnavailableError):
        return error.lasting
    return not isinstance(error, NetworkError | RetryAfter)


class Dispatcher:
    def __init__(self, application: Any, store: TelegramStore, max_delay: float) -> None:
        self.application = application
        self.store = store
        self.max_delay = max_delay
        self.wake = asyncio.Event()
        self._failures: dict[int, BaseException] = {}
        self._busy: set[int | None] = set()
        self._tasks: set[asyncio.Task[None]] = set()
        self._slots = asyncio.Semaphore(CONCURRENT_CHATS)
        self._stopping = False

    async def on_error(self, update: object, context: Any) -> None:
        """PTB's error handler: remember that this update's handling failed."""
        if isinstance(update, Update) and context.error is not None:
            self._failures[update.update_id] = context.error

    async def run(self) -> None:
        """Start a worker for every chat with a due update; wake up on new updates or every half second.

        A database error is logged and waited out: the loop itself never dies.
        """
        pruned = 0.0
        while not self._stopping:
            try:
                if time.monotonic() - pruned > PRUNE_EVERY:
                    self.store.prune()
                    pruned = time.monotonic()
                for chat_id in self.store.due_chats():
                    if chat_id not in self._busy:
                        self._busy.add(chat_id)
                        task = asyncio.create_task(self._drain(chat_id), name=f"chat {chat_id}")
                        self._tasks.add(task)
                        task.add_done_callback(self._tasks.discard)
            except Exception:
                logger.exception("cannot read the inbox; trying again shortly")
                await asyncio.sleep(2)
            self.wake.clear()
            with contextlib.suppress(asyncio.TimeoutError):
                await asyncio.wait_for(self.wake.wait(), timeout=0.5)

    async def stop(self, grace: float = 10) -> None:
        """Start nothing new; let updates in progress finish for ``grace`` seconds, then cancel them
        (what was cancelled stays pending in the inbox)."""
        self._stopping = True
        if self._tasks:
            _done, pending = await asyncio.wait(set(self._tasks), timeout=grace)
            for task in pending:
                task.cancel()
            await asyncio.gather(*pending, return_exceptions=True)

    async def _drain(self, chat_id: int | None) -> None:
        try:
            async with self._slots:
                while not self._stopping and (due := self.store.next_due(chat_id)) is not None:
                    if not await self._attempt(*due):
                        return  # postponed: this chat waits, its order is kept
        except Exception:
            logger.exception("worker of chat %s stopped; its updates stay pending", chat_id)
        finally:
            self._busy.discard(chat_id)

    async def _attempt(self, update_id: int, payload: dict[str, Any]) -> bool:
        """Handle one update; True when the chat can go on to its next update."""
        try:
            update = Update.de_json(payload, self.application.bot)
            if update.effective_chat is not None:  # else nothing to answer (inline mode, unused by Sanad)
                await self.application.process_update(update)
            error = self._failures.pop(update_id, None)
        except Exception as raised:  # outside the handlers: an update PTB cannot read, a database error
            error = raised
        if error is None:
            self.store.finish(update_id)
            return True
        return self._failed(update_id, error)

    def _failed(self, update_id: int, error: BaseException) -> bool:
        description = f"{type(error).__name__}: {error}"
        if isinstance(error, PERMANENT):
            logger.warning("update %s set aside: %s", update_id, description)
            self.store.give_up(update_id, description)
            return True
        attempts = self.store.record_failure(update_id, description)
        if lasts(error) and attempts >= MAX_ATTEMPTS:
            logger.error("update %s failed %d times, set aside: %s", update_id, attempts, description)
            self.store.give_up(update_id, description)
            return True
        delay = min(self.max_delay, 2.0 ** (attempts - 1))
        self.store.postpone(update_id, delay)
        logger.warning("update %s will be retried in %.0fs: %s", update_id, delay, description)
        return False
