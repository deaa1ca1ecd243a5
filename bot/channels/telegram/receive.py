"""Where Telegram updates come in, and the moment each one is acknowledged.

Long polling (default): a batch returned by ``getUpdates`` is stored in the
inbox, and only then acknowledged, by asking for the next batch with
``offset = last update_id + 1``. A crash in between means Telegram sends the
batch again; the inbox ignores updates it already holds.

Webhook (production): Telegram POSTs each update with the secret token it was
given in ``setWebhook``; a request without the right token is refused (403),
and 200 is answered only once the update is stored, so Telegram redelivers
anything Sanad did not keep.

The same small web server answers ``/health`` for the run command.
"""

from __future__ import annotations

import asyncio
import hmac
import json
import logging
from collections.abc import Callable

from aiohttp import web
from telegram import Bot
from telegram.error import Conflict, RetryAfter

from bot.channels.telegram.limits import seconds
from bot.channels.telegram.store import TelegramStore

logger = logging.getLogger(__name__)

ALLOWED_UPDATES = ["message", "edited_message", "callback_query"]
POLL_TIMEOUT = 25  # seconds a getUpdates call waits for news
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
#: Telegram answers 409 to a poller when another one took over: after this many in a row, this bridge stops.
MAX_CONFLICTS = 3


class AnotherBridgeError(RuntimeError):
    """Another process polls this bot: two bridges on one inbox would answer founders twice."""


async def poll(bot: Bot, store: TelegramStore, wake: asyncio.Event) -> None:
    """Long-poll forever; each batch is stored before the next call acknowledges it.

    Telegram's 429 waits ``retry_after`` (getUpdates is not rate limited by
    ``limits``); network and database trouble is waited out with backoff, and
    since the offset only moves once a batch is stored, nothing is skipped.
    """
    offset: int | None = None
    failures = conflicts = 0
    while True:
        try:
            updates = await bot.get_updates(offset=offset, timeout=POLL_TIMEOUT, allowed_updates=ALLOWED_UPDATES)
            if updates:
                store.add([update.to_dict() for update in updates])
                wake.set()
                offset = updates[-1].update_id + 1
            failures = conflicts = 0
        except RetryAfter as error:
            await asyncio.sleep(seconds(error.retry_after))
        except Conflict as error:
            conflicts += 1
            if conflicts >= MAX_CONFLICTS:
                raise AnotherBridgeError(f"Telegram refuses polling ({error}): another bridge polls it") from error
            await asyncio.sleep(5)
        except Exception as error:  # network errors, a database that does not answer
            failures += 1
            delay = min(30, 2**failures)
            logger.warning("cannot receive updates (%s: %s); trying again in %ss", type(error).__name__, error, delay)
            await asyncio.sleep(delay)


def web_app(
    store: TelegramStore, wake: asyncio.Event, ready: Callable[[], bool], webhook_path: str | None, secret: str
) -> web.Application:
    """``GET /health``, and in webhook mode ``POST <webhook_path>`` for Telegram."""

    async def health(request: web.Request) -> web.Response:
        """Up as soon as it serves: a Telegram that cannot be reached must not stop Sanad from starting."""
        return web.json_response({"status": "ok", "telegram": "connected" if ready() else "connecting"})

    async def receive(request: web.Request) -> web.Response:
        if not hmac.compare_digest(request.headers.get(SECRET_HEADER, "").encode(), secret.encode()):
            return web.Response(status=403, text="wrong secret token")
        try:
            update = await request.json()
        except (json.JSONDecodeError, UnicodeDecodeError):
            return web.Response(status=400, text="not JSON")
        if not isinstance(update, dict) or not isinstance(update.get("update_id"), int):
            return web.Response(status=400, text="not a Telegram update")
        try:
            store.add([update])
        except Exception:  # Telegram retries what was not acknowledged with a 200
            logger.exception("cannot store update %s", update["update_id"])
            return web.Response(status=503, text="cannot store the update now")
        wake.set()
        return web.Response(text="ok")

    app = web.Application(client_max_size=1024 * 1024)
    app.router.add_get("/health", health)
    if webhook_path:
        app.router.add_post(webhook_path, receive)
    return app
