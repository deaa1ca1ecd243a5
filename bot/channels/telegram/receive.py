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
from telegram.error import Conflict, NetworkError, RetryAfter

from bot.channels.telegram.limits import seconds
from bot.channels.telegram.store import TelegramStore

logger = logging.getLogger(__name__)

ALLOWED_UPDATES = ["message", "edited_message", "callback_query"]
POLL_TIMEOUT = 25  # seconds a getUpdates call waits for news
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"


async def poll(bot: Bot, store: TelegramStore, wake: asyncio.Event) -> None:
    """Long-poll forever; each batch is stored before the next call acknowledges it."""
    offset: int | None = None
    failures = 0
    while True:
        try:
            updates = await bot.get_updates(offset=offset, timeout=POLL_TIMEOUT, allowed_updates=ALLOWED_UPDATES)
        except RetryAfter as error:
            await asyncio.sleep(seconds(error.retry_after))
            continue
        except Conflict as error:
            logger.error("Telegram refuses polling (%s): another bridge runs, or a webhook is set", error)
            await asyncio.sleep(5)
            continue
        except NetworkError as error:
            failures += 1
            delay = min(30, 2**failures)
            logger.warning("Telegram unreachable (%s); polling again in %ss", error, delay)
            await asyncio.sleep(delay)
            continue
        failures = 0
        if updates:
            store.add([update.to_dict() for update in updates])
            wake.set()
            offset = updates[-1].update_id + 1


def web_app(
    store: TelegramStore, wake: asyncio.Event, ready: Callable[[], bool], webhook_path: str | None, secret: str
) -> web.Application:
    """``GET /health``, and in webhook mode ``POST <webhook_path>`` for Telegram."""

    async def health(request: web.Request) -> web.Response:
        return web.json_response({"status": "ok" if ready() else "starting"}, status=200 if ready() else 503)

    async def receive(request: web.Request) -> web.Response:
        if not hmac.compare_digest(request.headers.get(SECRET_HEADER, "").encode(), secret.encode()):
            return web.Response(status=403, text="wrong secret token")
        try:
            update = await request.json()
        except (json.JSONDecodeError, UnicodeDecodeError):
            return web.Response(status=400, text="not JSON")
        if not isinstance(update, dict) or not isinstance(update.get("update_id"), int):
            return web.Response(status=400, text="not a Telegram update")
        store.add([update])
        wake.set()
        return web.Response(text="ok")

    app = web.Application(client_max_size=1024 * 1024)
    app.router.add_get("/health", health)
    if webhook_path:
        app.router.add_post(webhook_path, receive)
    return app
