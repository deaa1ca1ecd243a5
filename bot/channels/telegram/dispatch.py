"""Hand the inbox's updates to the bot's handlers: in order within a chat, chats in parallel.

python-telegram-bot catches what a handler raises and passes it to the error
handlers; ``Dispatcher.on_error`` is that error handler, so the dispatcher
learns which update failed and decides: retry later with backoff (Rasa down,
network trouble; the chat's later updates wait behind it, order is kept) or
give up (the founder blocked the bot, Telegram refuses the request).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from typing import Any

from telegram import Update
from telegram.error import BadRequest, Forbidden, InvalidToken, NetworkError
from telegram.ext import Application, ContextTypes

from bot.channels.rasa_client import RasaUnavailableError
from bot.channels.telegram.store import TelegramStore

logger = logging.getLogger(__name__)

#: Errors that will not go away by trying again.
PERMANENT = (Forbidden, BadRequest, InvalidToken)
#: Errors that pass: retried with backoff for as long as they last, the founder's message kept.
TRANSIENT = (RasaUnavailableError, NetworkError)
#: An unexpected error (a bug) is retried this many times, then the update is set aside as failed.
MAX_UNEXPECTED_ATTEMPTS = 5


class Dispatcher:
    def __init__(
        self, application: Application[Any, Any, Any, Any, Any, Any], store: TelegramStore, max_delay: float
    ) -> None:
        self.application = application
        self.store = store
        self.max_delay = max_delay
        self.wake = asyncio.Event()
        self._failures: dict[int, BaseException] = {}
        self._busy: set[int | None] = set()
        self._tasks: set[asyncio.Task[None]] = set()

    async def on_error(self, update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
        """PTB's error handler: remember that this update's handling failed."""
        if isinstance(update, Update) and context.error is not None:
            self._failures[update.update_id] = context.error

    async def run(self) -> None:
        """Start a worker for every chat with a due update; wake up on new updates or every half second."""
        while True:
            for chat_id in self.store.due_chats():
                if chat_id not in self._busy:
                    self._busy.add(chat_id)
                    task = asyncio.create_task(self._drain(chat_id), name=f"chat {chat_id}")
                    self._tasks.add(task)
                    task.add_done_callback(self._tasks.discard)
            self.wake.clear()
            with contextlib.suppress(asyncio.TimeoutError):
                await asyncio.wait_for(self.wake.wait(), timeout=0.5)

    async def stop(self) -> None:
        """Cancel the workers; what they were doing stays pending in the inbox."""
        for task in list(self._tasks):
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)

    async def _drain(self, chat_id: int | None) -> None:
        try:
            while (due := self.store.next_due(chat_id)) is not None:
                if not await self._handle(*due):
                    return  # postponed: this chat waits, its order is kept
        except Exception:
            logger.exception("worker of chat %s stopped; its updates stay pending", chat_id)
        finally:
            self._busy.discard(chat_id)

    async def _handle(self, update_id: int, payload: dict[str, Any]) -> bool:
        """Run the handlers on one update; True when the chat can go on to its next update."""
        update = Update.de_json(payload, self.application.bot)
        await self.application.process_update(update)
        error = self._failures.pop(update_id, None)
        if error is None:
            self.store.finish(update_id)
            return True
        description = f"{type(error).__name__}: {error}"
        if isinstance(error, PERMANENT):
            logger.warning("update %s given up: %s", update_id, description)
            self.store.give_up(update_id, description)
            return True
        attempts = self.store.record_failure(update_id, description)
        if not isinstance(error, TRANSIENT) and attempts >= MAX_UNEXPECTED_ATTEMPTS:
            logger.error("update %s failed %d times, set aside: %s", update_id, attempts, description)
            self.store.give_up(update_id, description)
            return True
        delay = min(self.max_delay, 2.0 ** (attempts - 1))
        self.store.postpone(update_id, delay)
        logger.warning("update %s will be retried in %.0fs: %s", update_id, delay, description)
        return False
