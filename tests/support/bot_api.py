"""A local stand-in for the Telegram Bot API, to drive python-telegram-bot's real HTTP client in tests.

Point a PTB ``Bot``/``Application`` at it with ``base_url=standin.base_url``: every request then goes
through PTB's real request encoding (form fields, JSON-encoded objects) and error mapping, over real
HTTP on 127.0.0.1, so the bridge under test can even run in another process.

What it simulates, the way Telegram behaves:

- ``getUpdates``: offsets confirm and forget updates, long polling wakes up as soon as a founder writes,
  a newer ``getUpdates`` ends the older one with 409 (two bot instances), and so does an active webhook;
  ``allowed_updates`` filters the updates created after it is set.
- Sending: ``sendMessage``/``sendPhoto`` check HTML like Telegram (supported tags only, balanced, escaped
  ``<`` and ``&``), the 4096/1024 length limits after parsing, empty texts, callback_data of 1-64 bytes,
  unknown chats ("chat not found": the bot can only write to chats that wrote to it) and replies to
  messages that do not exist. Message ids are per chat and shared by the founder and the bot.
- Buttons: ``push_callback`` presses a button of a message the bot sent; ``answerCallbackQuery`` and
  ``editMessageReplyMarkup`` fail like Telegram for unknown queries, unknown messages and no-op edits.
- Commands and webhook settings are stored and returned; webhooks must be HTTPS on Telegram's ports.
- Faults: answers like Telegram's flood control (429 + retry_after) or any other error, a dead proxy
  (502 with an HTML body) and requests that hang until released or until the client hangs up.

What it does not simulate: real rate limits (only injected ones), file storage and downloads (photos are
recorded by URL, uploads only by name), webhook delivery (pushed updates stay pending), Markdown
validation, message entities in the bot's own messages, group privacy mode (every group message is
delivered), and the 24-hour expiry of updates. Lengths are counted in UTF-16 code units, the stricter
reading; a bare ``&`` is rejected although Telegram tolerates it, because the bot must escape it anyway.

Run it by hand with ``python -m tests.support.bot_api --port 8081``.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import copy
import json
import re
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from html import unescape
from http import HTTPStatus
from types import TracebackType
from typing import Any, TypeVar
from urllib.parse import urlsplit

from aiohttp import web

T = TypeVar("T")

BOT_USERNAME = "sanad_test_bot"
BOT_USER: dict[str, Any] = {
    "id": 1000,
    "is_bot": True,
    "first_name": "Sanad",
    "username": BOT_USERNAME,
    "can_join_groups": True,
    "can_read_all_group_messages": False,
    "supports_inline_queries": False,
}
GROUP_MEMBER_ID = 5001
"""The founder who writes in group chats when a test does not say who."""

MAX_TEXT_LENGTH = 4096
MAX_CAPTION_LENGTH = 1024

_WEBHOOK_CONFLICT = (
    "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first"
)
_POLL_CONFLICT = "Conflict: terminated by other getUpdates request; make sure that only one bot instance is running"
_NOT_MODIFIED = (
    "Bad Request: message is not modified: specified new message content and reply markup are exactly the same"
    " as a current content and reply markup of the message"
)
_BAD_GATEWAY_PAGE = (
    "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n"
    "<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n"
)

# PTB sends every non-string parameter JSON-encoded in a form field, so "42" may be an int or a text:
# these parameters are texts, every other one is JSON-decoded when it parses.
_STRING_PARAMS = frozenset(
    {"text", "caption", "parse_mode", "photo", "action", "url", "secret_token", "callback_query_id", "language_code"}
)
_CHAT_ACTIONS = frozenset(
    {
        "typing",
        "upload_photo",
        "record_video",
        "upload_video",
        "record_voice",
        "upload_voice",
        "upload_document",
        "choose_sticker",
        "find_location",
        "record_video_note",
        "upload_video_note",
    }
)
_OPT_IN_UPDATES = frozenset({"chat_member", "message_reaction", "message_reaction_count"})
_BUTTON_ACTIONS = frozenset(
    {
        "url",
        "callback_data",
        "web_app",
        "login_url",
        "switch_inline_query",
        "switch_inline_query_current_chat",
        "switch_inline_query_chosen_chat",
        "copy_text",
        "callback_game",
        "pay",
    }
)
_COMMAND = re.compile(r"[a-z0-9_]{1,32}")
_COMMAND_WORD = re.compile(r"/[A-Za-z0-9_]+(?:@[A-Za-z0-9_]+)?")
_HTML_TAGS = frozenset(
    {"b", "strong", "i", "em", "u", "ins", "s", "strike", "del", "a", "code", "pre", "tg-spoiler", "span", "blockquote"}
)
_MARKUP = re.compile(r"[<&]")
_ENTITY = re.compile(r"&(?:lt|gt|amp|quot|#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6});")
_TAG_NAME = re.compile(r"</?([^\s>]*)")  # Telegram reads a tag name up to a space or ">"
_SPOILER_CLASS = re.compile(r"""\bclass\s*=\s*["']?tg-spoiler\b""")
_ATTACHMENTS: dict[str, dict[str, Any]] = {
    "document": {"file_name": "business-plan.pdf", "mime_type": "application/pdf", "file_size": 248_312},
    "voice": {"duration": 4, "mime_type": "audio/ogg", "file_size": 14_806},
    "sticker": {
        "type": "regular",
        "width": 512,
        "height": 512,
        "is_animated": False,
        "is_video": False,
        "emoji": "👍",
        "file_size": 22_540,
    },
}


@dataclass
class Call:
    """One request the bot made, with its parameters decoded as Telegram reads them."""

    method: str
    params: dict[str, Any]
    time: float
    """``time.monotonic()`` when the request arrived."""
    status: int | None = None
    """The HTTP status answered; None while stalled or long-polling, or if never answered."""
    dropped: bool = False
    """The request was never answered: the client hung up (or the stand-in stopped) first."""


@dataclass(frozen=True)
class SentMessage:
    """A message or photo the bot sent, as the stand-in accepted it."""

    method: str
    chat_id: int
    message_id: int
    text: str | None
    """The text (the caption for photos) as the bot sent it, markup included."""
    plain_text: str | None
    """What the founder reads: tags removed and entities unescaped."""
    parse_mode: str | None
    reply_markup: dict[str, Any] | None
    photo: str | dict[str, Any] | None
    """The photo parameter: a URL or file_id, or ``{"filename", "content_type"}`` for an upload."""
    time: float
    """``time.monotonic()`` when it was accepted."""

    @property
    def buttons(self) -> list[dict[str, Any]]:
        """The inline keyboard's buttons, row after row."""
        return _inline_buttons(self.reply_markup)


class _ApiError(Exception):
    """An error answer of the Bot API, raised by method handlers and by injected faults."""

    def __init__(self, status: int, description: str, retry_after: int | None = None) -> None:
        super().__init__(description)
        self.status = status
        self.description = description
        self.retry_after = retry_after

    def body(self) -> dict[str, Any]:
        body: dict[str, Any] = {"ok": False, "error_code": self.status, "description": self.description}
        if self.retry_after is not None:
            body["parameters"] = {"retry_after": self.retry_after}
        return body


@dataclass
class _Server:
    loop: asyncio.AbstractEventLoop
    thread: threading.Thread
    runner: web.AppRunner


class BotApiStandIn:
    """The Telegram Bot API on 127.0.0.1, with a synchronous, thread-safe API for tests.

    The server runs its own event loop in a background thread; the state is shared with the test
    thread under one lock, so a test can push founder messages and inspect what the bot sent while the
    bot polls from another thread or another process.
    """

    def __init__(self, port: int = 0) -> None:
        """Serve on ``port``, or on a free port when 0 (kept across ``stop()``/``start()``)."""
        self._port = port
        self._server: _Server | None = None
        self._lock = threading.Lock()
        self._changed = asyncio.Event()
        self._handlers: dict[str, Callable[[dict[str, Any]], Any]] = {
            "getMe": self._get_me,
            "sendMessage": self._send_message,
            "sendPhoto": self._send_photo,
            "sendChatAction": self._send_chat_action,
            "editMessageReplyMarkup": self._edit_message_reply_markup,
            "answerCallbackQuery": self._answer_callback_query,
            "setMyCommands": self._set_my_commands,
            "getMyCommands": self._get_my_commands,
            "deleteMyCommands": self._delete_my_commands,
            "setWebhook": self._set_webhook,
            "deleteWebhook": self._delete_webhook,
            "getWebhookInfo": self._get_webhook_info,
        }
        self._method_names = {name.lower(): name for name in [*self._handlers, "getUpdates"]}
        # Telegram's side.
        self._next_update_id = 700_000_001
        self._pending: list[dict[str, Any]] = []
        self._acked_offset = 0
        self._allowed_updates: list[str] = []
        self._poll_generation = 0
        self._chats: dict[int, dict[str, Any]] = {}
        self._last_message_id: dict[int, int] = {}
        self._messages: dict[tuple[int, int], dict[str, Any]] = {}
        self._callback_ids: set[str] = set()
        self._next_callback_id = 4_382_961_004_117_000_001
        self._next_file = 1
        self._commands: dict[tuple[str, str], list[dict[str, Any]]] = {}
        self._webhook_url = ""
        self._webhook_secret_token: str | None = None
        # What the tests observe and break.
        self._calls: list[Call] = []
        self._sent: list[SentMessage] = []
        self._faults: dict[str, deque[_ApiError]] = {}
        self._outage_until = 0.0
        self._stalled: set[str] = set()

    # -- Lifecycle -------------------------------------------------------------------------------

    def start(self) -> BotApiStandIn:
        """Start serving; after a ``stop()`` it serves again on the same port with the same state."""
        if self._server is not None:
            raise RuntimeError("the Bot API stand-in is already running")
        loop = asyncio.new_event_loop()
        thread = threading.Thread(target=loop.run_forever, name="bot-api-standin", daemon=True)
        thread.start()
        try:
            runner = asyncio.run_coroutine_threadsafe(self._serve(), loop).result(timeout=10)
        except BaseException:
            loop.call_soon_threadsafe(loop.stop)
            thread.join()
            loop.close()
            raise
        with self._lock:
            self._server = _Server(loop, thread, runner)
        return self

    def stop(self) -> None:
        """Stop serving: requests still hanging (stalled, long-polling) are dropped unanswered."""
        with self._lock:
            server, self._server = self._server, None
        if server is None:
            return
        asyncio.run_coroutine_threadsafe(server.runner.cleanup(), server.loop).result(timeout=10)
        server.loop.call_soon_threadsafe(server.loop.stop)
        server.thread.join(timeout=10)
        server.loop.close()

    def __enter__(self) -> BotApiStandIn:
        return self.start()

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, traceback: TracebackType | None
    ) -> None:
        self.stop()

    @property
    def base_url(self) -> str:
        """What PTB's ``base_url`` expects: it appends the token, then ``/<method>``."""
        if not self._port:
            raise RuntimeError("start the Bot API stand-in first: its port is chosen when it starts")
        return f"http://127.0.0.1:{self._port}/bot"

    async def _serve(self) -> web.AppRunner:
        self._changed = asyncio.Event()  # bound to this loop, which may be a new one after a restart
        app = web.Application()
        app.router.add_route("*", "/bot{token}/{method}", self._handle)
        # handler_cancellation: a request whose client hung up is cancelled, so it is never processed.
        runner = web.AppRunner(app, handler_cancellation=True, shutdown_timeout=0.2, access_log=None)
        await runner.setup()
        await web.TCPSite(runner, "127.0.0.1", self._port).start()
        self._port = runner.addresses[0][1]
        return runner

    # -- Founder side: updates -------------------------------------------------------------------

    def push_message(
        self,
        chat_id: int,
        text: str | None = None,
        *,
        user_id: int | None = None,
        language_code: str | None = "fr",
        chat_type: str = "private",
        caption: str | None = None,
        sticker: bool = False,
        voice: bool = False,
        photo: bool = False,
        document: bool = False,
        location: bool = False,
        reply_to_message_id: int | None = None,
        mention_bot: bool = False,
    ) -> int:
        """A founder sends a message; returns its update_id.

        A message carries either text or one attachment; a caption alone means a photo, and
        ``caption=""`` a photo without caption. In private chats the founder's user id is the chat id;
        groups have negative ids and ``user_id`` defaults to ``GROUP_MEMBER_ID``. ``language_code=None``
        leaves it out, as Telegram does for some clients.
        """
        attachments = {
            "photo": photo or (caption is not None and not (document or voice)),
            "document": document,
            "voice": voice,
            "sticker": sticker,
            "location": location,
        }
        kinds = [kind for kind, wanted in attachments.items() if wanted]
        if mention_bot:
            text = f"@{BOT_USERNAME} {text}" if text else f"@{BOT_USERNAME}"
        if len(kinds) > 1 or (text is None) == (not kinds):
            raise ValueError(f"a message carries text or exactly one attachment, got text={text!r} and {kinds}")
        with self._lock:
            chat = self._remember_chat(chat_id, chat_type)
            sender = self._founder_in(chat, user_id, language_code)
            replied = None if reply_to_message_id is None else self._message_in(chat_id, reply_to_message_id)
            message = self._new_message(chat, sender)
            if text is not None:
                message["text"] = text
                if entities := _entities(text):
                    message["entities"] = entities
            else:
                message[kinds[0]] = self._attachment(kinds[0])
                if caption:
                    message["caption"] = caption
            if replied is not None:
                message["reply_to_message"] = _without_reply(replied)
            return self._enqueue({"message": message})

    def push_edit(self, chat_id: int, message_id: int, text: str) -> int:
        """The founder edits the text of one of their messages; returns the update_id."""
        with self._lock:
            original = self._message_in(chat_id, message_id)
            if original["from"]["is_bot"] or "text" not in original:
                raise ValueError(f"message {message_id} in chat {chat_id} is not a founder's text message")
            edited = {key: value for key, value in original.items() if key != "entities"}
            edited.update(text=text, edit_date=int(time.time()))
            if entities := _entities(text):
                edited["entities"] = entities
            self._messages[(chat_id, message_id)] = edited
            return self._enqueue({"edited_message": edited})

    def push_callback(
        self, chat_id: int, message_id: int, data: str, *, user_id: int | None = None, language_code: str | None = "fr"
    ) -> int:
        """The founder presses the button with callback ``data`` under a message the bot sent; returns the update_id.

        The query carries the message as it is now (after any ``editMessageReplyMarkup``); pressing a
        button that is not there is a test mistake (use ``push_update`` to fake a stale press).
        """
        with self._lock:
            message = self._message_in(chat_id, message_id)
            offered = [button.get("callback_data") for button in _inline_buttons(message.get("reply_markup"))]
            if not message["from"]["is_bot"] or data not in offered:
                raise ValueError(
                    f"message {message_id} in chat {chat_id} has no button with callback_data {data!r} (it has {offered})"
                )
            query_id = str(self._next_callback_id)
            self._next_callback_id += 1
            self._callback_ids.add(query_id)
            query = {
                "id": query_id,
                "from": self._founder_in(self._chats[chat_id], user_id, language_code),
                "message": message,
                "chat_instance": str(5_300_000_000_000_000_000 + chat_id),
                "data": data,
            }
            return self._enqueue({"callback_query": query})

    def push_update(self, update: dict[str, Any]) -> int:
        """Queue a raw update (its ``update_id`` is kept if given); its chats become known to the bot."""
        with self._lock:
            for value in update.values():
                if isinstance(value, dict):
                    chat = value.get("chat") or (value.get("message") or {}).get("chat")
                    if isinstance(chat, dict) and isinstance(chat.get("id"), int):
                        self._chats.setdefault(chat["id"], chat)
            return self._enqueue(update)

    # -- Observation -----------------------------------------------------------------------------

    def calls(self, method: str | None = None) -> list[Call]:
        """Every API call so far (or those to ``method``, any case), oldest first."""
        with self._lock:
            return [
                copy.deepcopy(call) for call in self._calls if method is None or call.method.lower() == method.lower()
            ]

    def sent(self, chat_id: int | None = None) -> list[SentMessage]:
        """The messages and photos the bot sent (to ``chat_id``), oldest first; refused ones are not here."""
        with self._lock:
            return [copy.deepcopy(sent) for sent in self._sent if chat_id is None or sent.chat_id == chat_id]

    def message(self, chat_id: int, message_id: int) -> dict[str, Any]:
        """A message as Telegram holds it now, e.g. to see its keyboard after an edit."""
        with self._lock:
            return copy.deepcopy(self._message_in(chat_id, message_id))

    def pending_updates(self) -> list[dict[str, Any]]:
        """The updates not confirmed yet by a ``getUpdates`` offset."""
        with self._lock:
            return copy.deepcopy(self._pending)

    @property
    def acked_offset(self) -> int:
        """The highest ``getUpdates`` offset so far: every update below it is confirmed and gone."""
        with self._lock:
            return self._acked_offset

    @property
    def webhook_url(self) -> str:
        with self._lock:
            return self._webhook_url

    @property
    def webhook_secret_token(self) -> str | None:
        with self._lock:
            return self._webhook_secret_token

    def commands(self, scope: dict[str, Any] | None = None, language_code: str = "") -> list[dict[str, Any]]:
        """The commands set for this scope (default scope if None) and language."""
        with self._lock:
            return copy.deepcopy(self._commands.get(_commands_key(scope, language_code), []))

    def wait_for(
        self, predicate: Callable[[], T], timeout: float = 30, interval: float = 0.05, *, description: str = ""
    ) -> T:
        """Poll ``predicate`` until it returns something truthy, and return that.

        Raises AssertionError after ``timeout`` seconds, listing the last calls the bot made.
        """
        deadline = time.monotonic() + timeout
        while not (result := predicate()):
            if time.monotonic() >= deadline:
                what = description or getattr(predicate, "__qualname__", repr(predicate))
                raise AssertionError(f"timed out after {timeout:g}s waiting for {what}\n{self._summary()}")
            time.sleep(interval)
        return result

    def wait_sent(self, chat_id: int, count: int = 1, timeout: float = 30) -> list[SentMessage]:
        """Wait until the bot has sent at least ``count`` (>= 1) messages to ``chat_id``; returns them all."""

        def enough() -> list[SentMessage]:
            sent = self.sent(chat_id)
            return sent if len(sent) >= count else []

        return self.wait_for(enough, timeout, description=f"{count} message(s) sent to chat {chat_id}")

    def _summary(self, last: int = 15) -> str:
        with self._lock:
            calls = self._calls[-last:]
        lines = [
            f"  {call.method} {json.dumps(call.params, ensure_ascii=False, default=str)[:200]} -> "
            f"{'dropped' if call.dropped else call.status or 'no answer yet'}"
            for call in calls
        ]
        return f"last {last} calls to the Bot API stand-in:\n" + ("\n".join(lines) or "  (none)")

    # -- Fault injection -------------------------------------------------------------------------

    def fail_next(
        self, method: str, count: int = 1, *, status: int = 429, retry_after: int = 1, description: str | None = None
    ) -> None:
        """Answer the next ``count`` calls to ``method`` with an error, without acting on them.

        The default is Telegram's flood control: 429 with ``parameters.retry_after`` (only 429 carries it).
        """
        if description is None:
            description = {
                429: f"Too Many Requests: retry after {retry_after}",
                403: "Forbidden: bot was blocked by the user",
            }.get(status, HTTPStatus(status).phrase)
        errors = (_ApiError(status, description, retry_after if status == 429 else None) for _ in range(count))
        with self._lock:
            self._faults.setdefault(method.lower(), deque()).extend(errors)

    def outage(self, seconds: float) -> None:
        """For ``seconds``, answer every request 502 with an HTML page, like a proxy in front of a dead server."""
        with self._lock:
            self._outage_until = time.monotonic() + seconds

    def stall(self, method: str) -> None:
        """Hold requests to ``method`` unanswered (as if Telegram were slow) until ``unstall`` or ``stop``.

        A held request is recorded in ``calls()`` when it arrives; it is processed only if its client is
        still connected when released, so a request in flight from a killed process is never sent.
        """
        with self._lock:
            self._stalled.add(method.lower())

    def unstall(self, method: str) -> None:
        """Release the requests held by ``stall``; later ones go through at once."""
        with self._lock:
            self._stalled.discard(method.lower())
            self._wake()

    # -- Serving ---------------------------------------------------------------------------------

    async def _handle(self, request: web.Request) -> web.StreamResponse:
        params = await _read_params(request)
        requested = request.match_info["method"]
        method = self._method_names.get(requested.lower(), requested)
        call = Call(method, params, time.monotonic())
        with self._lock:
            self._calls.append(call)
            down = time.monotonic() < self._outage_until
        if down:
            response: web.Response = web.Response(status=502, text=_BAD_GATEWAY_PAGE, content_type="text/html")
        else:
            try:
                await self._wait_until(lambda: method.lower() not in self._stalled)
                result = await self._dispatch(method, params)
                response = web.json_response({"ok": True, "result": result})
            except _ApiError as error:
                response = web.json_response(error.body(), status=error.status)
            except asyncio.CancelledError:
                with self._lock:
                    call.dropped = True
                raise
        with self._lock:
            call.status = response.status
        return response

    async def _dispatch(self, method: str, params: dict[str, Any]) -> Any:
        with self._lock:
            faults = self._faults.get(method.lower())
            if faults:
                raise faults.popleft()
        if method == "getUpdates":
            return await self._get_updates(params)
        handler = self._handlers.get(method)
        if handler is None:
            raise _ApiError(404, "Not Found")
        with self._lock:
            return handler(params)

    async def _wait_until(self, ready: Callable[[], bool], timeout: float | None = None) -> None:
        """Wait until ``ready()`` (called with the lock held) is true, or ``timeout`` seconds."""
        loop = asyncio.get_running_loop()
        deadline = None if timeout is None else loop.time() + timeout
        while True:
            changed = self._changed  # taken before checking, so a change made after the check still wakes us
            with self._lock:
                if ready():
                    return
            remaining = None if deadline is None else deadline - loop.time()
            if remaining is not None and remaining <= 0:
                return
            with contextlib.suppress(asyncio.TimeoutError):
                await asyncio.wait_for(changed.wait(), remaining)

    def _wake(self) -> None:
        """Make waiting requests (long polls, stalled calls) check again; call it with the lock held."""
        if self._server is not None:
            self._server.loop.call_soon_threadsafe(self._notify)

    def _notify(self) -> None:
        self._changed.set()
        self._changed = asyncio.Event()

    # -- Methods ---------------------------------------------------------------------------------

    async def _get_updates(self, params: dict[str, Any]) -> list[dict[str, Any]]:
        limit = min(max(int(params.get("limit", 100)), 1), 100)
        timeout = max(float(params.get("timeout", 0)), 0.0)
        with self._lock:
            self._check_no_webhook()
            if "allowed_updates" in params:
                self._allowed_updates = list(params["allowed_updates"])
            self._confirm(int(params.get("offset", 0)))
            self._poll_generation += 1
            generation = self._poll_generation
            self._wake()  # an older long poll learns it was superseded
        await self._wait_until(
            lambda: bool(self._pending) or generation != self._poll_generation or bool(self._webhook_url), timeout
        )
        with self._lock:
            self._check_no_webhook()
            if generation != self._poll_generation:
                raise _ApiError(409, _POLL_CONFLICT)
            return copy.deepcopy(self._pending[:limit])

    def _confirm(self, offset: int) -> None:
        """Forget the updates below ``offset``; a negative one keeps only the last ``-offset`` updates."""
        if offset < 0:
            self._pending = self._pending[offset:]
            offset = self._pending[0]["update_id"] if self._pending else 0
        elif offset > 0:
            self._pending = [update for update in self._pending if update["update_id"] >= offset]
        self._acked_offset = max(self._acked_offset, offset)

    def _check_no_webhook(self) -> None:
        if self._webhook_url:
            raise _ApiError(409, _WEBHOOK_CONFLICT)

    def _get_me(self, params: dict[str, Any]) -> dict[str, Any]:
        return dict(BOT_USER)

    def _send_message(self, params: dict[str, Any]) -> dict[str, Any]:
        chat = self._known_chat(params)
        text = str(params.get("text", ""))
        plain = _render(text, params.get("parse_mode"), MAX_TEXT_LENGTH, "message is too long")
        if not plain.strip():
            raise _ApiError(400, "Bad Request: message text is empty")
        message = self._bot_message(chat, params, {"text": plain})
        self._record("sendMessage", message, params, text)
        return copy.deepcopy(message)

    def _send_photo(self, params: dict[str, Any]) -> dict[str, Any]:
        chat = self._known_chat(params)
        if not params.get("photo"):
            raise _ApiError(400, "Bad Request: there is no photo in the request")
        caption = params.get("caption")
        plain = _render(str(caption or ""), params.get("parse_mode"), MAX_CAPTION_LENGTH, "message caption is too long")
        content: dict[str, Any] = {"photo": self._photo_sizes()}
        if plain:
            content["caption"] = plain
        message = self._bot_message(chat, params, content)
        self._record("sendPhoto", message, params, caption)
        return copy.deepcopy(message)

    def _send_chat_action(self, params: dict[str, Any]) -> bool:
        self._known_chat(params)
        if params.get("action") not in _CHAT_ACTIONS:
            raise _ApiError(400, "Bad Request: wrong parameter action in request")
        return True

    def _edit_message_reply_markup(self, params: dict[str, Any]) -> dict[str, Any]:
        chat = self._known_chat(params)
        message = self._messages.get((chat["id"], params.get("message_id")))
        if message is None or not message["from"]["is_bot"]:
            raise _ApiError(400, "Bad Request: message to edit not found")
        markup = params.get("reply_markup")
        if markup is not None:
            _check_markup(markup)
        keyboard = markup if _inline_buttons(markup) else None
        if keyboard == message.get("reply_markup"):
            raise _ApiError(400, _NOT_MODIFIED)
        if keyboard is None:
            del message["reply_markup"]
        else:
            message["reply_markup"] = keyboard
        message["edit_date"] = int(time.time())
        return copy.deepcopy(message)

    def _answer_callback_query(self, params: dict[str, Any]) -> bool:
        if params.get("callback_query_id") not in self._callback_ids:
            raise _ApiError(400, "Bad Request: query is too old and response timeout expired or query ID is invalid")
        return True

    def _set_my_commands(self, params: dict[str, Any]) -> bool:
        commands = params.get("commands")
        if not isinstance(commands, list):
            raise _ApiError(400, "Bad Request: can't parse commands JSON object")
        for command in commands:
            if not isinstance(command, dict) or not _COMMAND.fullmatch(str(command.get("command", ""))):
                raise _ApiError(400, "Bad Request: BOT_COMMAND_INVALID")
        self._commands[_commands_key(params.get("scope"), params.get("language_code"))] = commands
        return True

    def _get_my_commands(self, params: dict[str, Any]) -> list[dict[str, Any]]:
        return copy.deepcopy(self._commands.get(_commands_key(params.get("scope"), params.get("language_code")), []))

    def _delete_my_commands(self, params: dict[str, Any]) -> bool:
        self._commands.pop(_commands_key(params.get("scope"), params.get("language_code")), None)
        return True

    def _set_webhook(self, params: dict[str, Any]) -> bool:
        url = str(params.get("url", ""))
        if url:
            parts = urlsplit(url)
            if parts.scheme != "https":
                raise _ApiError(400, "Bad Request: bad webhook: An HTTPS URL must be provided for webhook")
            if (parts.port or 443) not in (80, 88, 443, 8443):
                raise _ApiError(
                    400, "Bad Request: bad webhook: Webhook can be set up only on ports 80, 88, 443 or 8443"
                )
        self._webhook_url = url
        self._webhook_secret_token = params.get("secret_token") if url else None
        if "allowed_updates" in params:
            self._allowed_updates = list(params["allowed_updates"])
        if params.get("drop_pending_updates"):
            self._pending.clear()
        self._wake()  # a long poll in progress ends with 409
        return True

    def _delete_webhook(self, params: dict[str, Any]) -> bool:
        self._webhook_url = ""
        self._webhook_secret_token = None
        if params.get("drop_pending_updates"):
            self._pending.clear()
        return True

    def _get_webhook_info(self, params: dict[str, Any]) -> dict[str, Any]:
        info: dict[str, Any] = {
            "url": self._webhook_url,
            "has_custom_certificate": False,
            "pending_update_count": len(self._pending),
        }
        if self._allowed_updates:
            info["allowed_updates"] = list(self._allowed_updates)
        return info

    # -- Shared state helpers (call with the lock held) ------------------------------------------

    def _enqueue(self, update: dict[str, Any]) -> int:
        """Create an update as Telegram does: numbered, and only if ``allowed_updates`` lets its type in."""
        update = {"update_id": self._next_update_id, **copy.deepcopy(update)}
        self._next_update_id = max(self._next_update_id, update["update_id"] + 1)
        kind = next((key for key in update if key != "update_id"), "")
        allowed = kind in self._allowed_updates if self._allowed_updates else kind not in _OPT_IN_UPDATES
        if allowed:
            self._pending.append(update)
            self._pending.sort(key=lambda pending: pending["update_id"])
            self._wake()
        return update["update_id"]

    def _remember_chat(self, chat_id: int, chat_type: str) -> dict[str, Any]:
        if chat_type == "private" and chat_id > 0:
            founder = _founder(chat_id, None)
            chat = {"id": chat_id, "first_name": founder["first_name"], "username": founder["username"]}
        elif chat_type in ("group", "supergroup") and chat_id < 0:
            chat = {"id": chat_id, "title": "Founders Circle"}
        else:
            raise ValueError(
                f"chat {chat_id}: private chats have positive ids, group and supergroup chats negative ones"
            )
        chat["type"] = chat_type
        self._chats[chat_id] = chat
        return chat

    def _founder_in(self, chat: dict[str, Any], user_id: int | None, language_code: str | None) -> dict[str, Any]:
        if chat["type"] != "private":
            return _founder(user_id or GROUP_MEMBER_ID, language_code)
        if user_id not in (None, chat["id"]):
            raise ValueError(f"in a private chat the founder is the chat: user_id must be {chat['id']}")
        return _founder(chat["id"], language_code)

    def _new_message(self, chat: dict[str, Any], sender: dict[str, Any]) -> dict[str, Any]:
        message_id = self._last_message_id.get(chat["id"], 0) + 1
        self._last_message_id[chat["id"]] = message_id
        message = {"message_id": message_id, "from": sender, "chat": dict(chat), "date": int(time.time())}
        self._messages[(chat["id"], message_id)] = message
        return message

    def _message_in(self, chat_id: int, message_id: int) -> dict[str, Any]:
        message = self._messages.get((chat_id, message_id))
        if message is None:
            raise ValueError(f"chat {chat_id} has no message {message_id}")
        return message

    def _known_chat(self, params: dict[str, Any]) -> dict[str, Any]:
        chat_id = params.get("chat_id")
        if chat_id in (None, ""):
            raise _ApiError(400, "Bad Request: chat_id is empty")
        chat = self._chats.get(chat_id) if isinstance(chat_id, int) else None
        if chat is None:
            raise _ApiError(400, "Bad Request: chat not found")
        return chat

    def _bot_message(self, chat: dict[str, Any], params: dict[str, Any], content: dict[str, Any]) -> dict[str, Any]:
        """Check the markup and the reply, then store the bot's message; content is text or photo."""
        markup = params.get("reply_markup")
        if markup is not None:
            _check_markup(markup)
        reply = params.get("reply_parameters") if isinstance(params.get("reply_parameters"), dict) else {}
        replied_id = reply.get("message_id", params.get("reply_to_message_id"))
        replied = self._messages.get((chat["id"], replied_id))
        if replied_id is not None and replied is None and not reply.get("allow_sending_without_reply"):
            raise _ApiError(400, "Bad Request: message to be replied not found")
        message = self._new_message(chat, dict(BOT_USER))
        message.update(content)
        if replied is not None:
            message["reply_to_message"] = _without_reply(replied)
        if _inline_buttons(markup):  # Telegram echoes inline keyboards only
            message["reply_markup"] = markup
        return message

    def _record(self, method: str, message: dict[str, Any], params: dict[str, Any], text: str | None) -> None:
        self._sent.append(
            SentMessage(
                method=method,
                chat_id=message["chat"]["id"],
                message_id=message["message_id"],
                text=text,
                plain_text=message.get("text", message.get("caption")),
                parse_mode=params.get("parse_mode"),
                reply_markup=params.get("reply_markup"),
                photo=params.get("photo"),
                time=time.monotonic(),
            )
        )

    def _file(self) -> dict[str, Any]:
        number = self._next_file
        self._next_file += 1
        return {"file_id": f"BQACAgQAAxkBAAIB{number:06d}", "file_unique_id": f"AgADB{number:06d}"}

    def _photo_sizes(self) -> list[dict[str, Any]]:
        return [
            {**self._file(), "file_size": width * height // 8, "width": width, "height": height}
            for width, height in ((90, 67), (320, 240), (1280, 960))
        ]

    def _attachment(self, kind: str) -> Any:
        if kind == "location":
            return {"latitude": 33.5731, "longitude": -7.5898}  # Casablanca
        if kind == "photo":
            return self._photo_sizes()
        return {**self._file(), **_ATTACHMENTS[kind]}


# -- Helpers -------------------------------------------------------------------------------------


async def _read_params(request: web.Request) -> dict[str, Any]:
    """The call's parameters, from the query string and a form, multipart or JSON body."""
    raw: dict[str, Any] = dict(request.query)
    if request.body_exists and request.content_type == "application/json":
        raw.update(await request.json())
    elif request.content_type in ("application/x-www-form-urlencoded", "multipart/form-data"):
        raw.update(await request.post())
    return {name: _decode(name, value) for name, value in raw.items()}


def _decode(name: str, value: Any) -> Any:
    """Undo PTB's encoding: numbers, booleans, lists and objects arrive as JSON text, texts as they are."""
    if isinstance(value, web.FileField):
        return {"filename": value.filename, "content_type": value.content_type}
    if name in _STRING_PARAMS or not isinstance(value, str):
        return value
    try:
        return json.loads(value)
    except ValueError:
        return value  # e.g. chat_id="@channel"


def _render(text: str, parse_mode: Any, limit: int, too_long: str) -> str:
    """What the founder reads, or the 400 Telegram answers; Markdown is passed through unchecked."""
    mode = str(parse_mode or "").lower()
    if mode == "html":
        plain = _strip_html(text)
    elif mode in ("", "markdown", "markdownv2"):
        plain = text
    else:
        raise _ApiError(400, "Bad Request: unsupported parse_mode")
    if _utf16_len(plain) > limit:
        raise _ApiError(400, f"Bad Request: {too_long}")
    return plain


def _strip_html(text: str) -> str:
    """The text of an HTML message, checked the way Telegram parses it (with its error messages)."""
    plain: list[str] = []
    open_tags: list[str] = []
    position = 0
    while (found := _MARKUP.search(text, position)) is not None:
        index = found.start()
        plain.append(text[position:index])
        at = f"byte offset {len(text[:index].encode())}"
        if text[index] == "&":
            entity = _ENTITY.match(text, index)
            if entity is None:
                raise _parse_error(f"Can't find end of the entity starting at {at}")
            plain.append(unescape(entity.group()))
            position = entity.end()
        else:
            tag = _TAG_NAME.match(text, index)
            assert tag is not None  # it matches any "<"
            name = tag.group(1).lower()
            close = text.find(">", tag.end())
            if text.startswith("</", index):
                if not open_tags:
                    raise _parse_error(f"Unexpected end tag at {at}")
                if close == -1 or text[tag.end() : close].strip():
                    raise _parse_error(f"Unclosed end tag at {at}")
                if name and name != open_tags[-1]:  # "</>" closes whatever is open
                    raise _parse_error(f'Unmatched end tag at {at}, expected "</{open_tags[-1]}>", found "</{name}>"')
                open_tags.pop()
            else:
                if tag.end() == len(text):
                    raise _parse_error(f"Unclosed start tag at {at}")
                if name not in _HTML_TAGS:
                    raise _parse_error(f'Unsupported start tag "{name}" at {at}')
                if close == -1:
                    raise _parse_error(f"Unclosed start tag at {at}")
                if name == "span" and not _SPOILER_CLASS.search(text, tag.end(), close):
                    raise _parse_error(f'Tag "span" must have class "tg-spoiler" at {at}')
                open_tags.append(name)
            position = close + 1
    if open_tags:
        raise _parse_error(f'Can\'t find end tag corresponding to start tag "{open_tags[-1]}"')
    plain.append(text[position:])
    return "".join(plain)


def _parse_error(detail: str) -> _ApiError:
    return _ApiError(400, f"Bad Request: can't parse entities: {detail}")


def _check_markup(markup: Any) -> None:
    """Refuse the inline keyboards Telegram refuses; other keyboards are taken as they are."""
    if not isinstance(markup, dict):
        raise _ApiError(400, "Bad Request: can't parse reply keyboard markup JSON object")
    for button in _inline_buttons(markup):
        if not _BUTTON_ACTIONS & button.keys():
            raise _ApiError(400, "Bad Request: text buttons are unallowed in the inline keyboard")
        data = button.get("callback_data")
        if data is not None and not 1 <= len(str(data).encode()) <= 64:
            raise _ApiError(400, "Bad Request: BUTTON_DATA_INVALID")


def _inline_buttons(markup: Any) -> list[dict[str, Any]]:
    if not isinstance(markup, dict):
        return []
    return [button for row in markup.get("inline_keyboard") or [] for button in row]


def _entities(text: str) -> list[dict[str, Any]]:
    """The entities Telegram marks at the start of a founder's text: a mention of the bot, then a command."""
    entities: list[dict[str, Any]] = []
    offset = 0
    mention = f"@{BOT_USERNAME}"
    if text == mention or text.startswith(f"{mention} "):
        entities.append({"offset": 0, "length": len(mention), "type": "mention"})
        offset = len(mention) + 1
    if command := _COMMAND_WORD.match(text, offset):
        entities.append({"offset": offset, "length": _utf16_len(command.group()), "type": "bot_command"})
    return entities


def _founder(user_id: int, language_code: str | None) -> dict[str, Any]:
    user: dict[str, Any] = {
        "id": user_id,
        "is_bot": False,
        "first_name": "Founder",
        "last_name": str(user_id),
        "username": f"founder_{user_id}",
    }
    if language_code:
        user["language_code"] = language_code
    return user


def _without_reply(message: dict[str, Any]) -> dict[str, Any]:
    """A replied-to message as Telegram nests it: without its own ``reply_to_message``."""
    return copy.deepcopy({key: value for key, value in message.items() if key != "reply_to_message"})


def _commands_key(scope: Any, language_code: Any) -> tuple[str, str]:
    return json.dumps(scope or {"type": "default"}, sort_keys=True), str(language_code or "")


def _utf16_len(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def main() -> None:
    parser = argparse.ArgumentParser(description="Serve a Telegram Bot API stand-in until Ctrl-C.")
    parser.add_argument("--port", type=int, default=8081)
    port = parser.parse_args().port
    with BotApiStandIn(port) as standin:
        print(f"Telegram Bot API stand-in: base_url={standin.base_url} (any token)", flush=True)
        with contextlib.suppress(KeyboardInterrupt):
            threading.Event().wait()


if __name__ == "__main__":
    main()
