"""The website widget's web app: the widget's script, a demo page, and the API the widget talks to.

Why the widget talks to this app over plain HTTP rather than to Rasa's socket.io
channel: a socket.io session lives in one Rasa process and keeps no history, so
a reload shows an empty chat and a second Rasa instance (or a staff member
answering, later) cannot reach the founder. Here every message is stored first
(``store``), the widget reads its history back after a reload or on another
page, a resend of the same message (``client_id``) is answered from the store
instead of asking Rasa twice, and a message Rasa could not answer stays pending
until the widget's next try succeeds. No socket.io client to ship, no build step.

Routes:
  GET  /                                  demo page: a sample Technopark-like site with the widget
  GET  /programmes                        a second demo page (the conversation follows the founder)
  GET  /widget.js                         the widget (one script tag, see its header)
  GET  /health                            for the run command
  GET  /api/sessions/{id}/messages        the conversation so far (``?after=<message id>``), an advisor's
                                          new messages included (the widget asks every few seconds)
  POST /api/sessions/{id}/messages        a founder message: {client_id, text} or {client_id, payload, title}

Run: ``python -m bot.channels.web.server`` (the run command does it).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import re
import sys
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path

from aiohttp import web

from bot.channels.conversations import Conversations
from bot.channels.rasa_client import LANGUAGES, RasaClient, RasaUnavailableError, founder_text, greet
from bot.channels.web import human
from bot.channels.web.store import WebStore, conversation_id
from bot.settings import environment

logger = logging.getLogger("sanad.web")

STATIC = Path(__file__).parent / "static"
CHANNEL = "web"
MAX_TEXT = 2000  # characters; the widget's input has the same limit
ID = re.compile(r"[A-Za-z0-9_-]{8,64}")  # used with fullmatch
#: Text a database or Rasa cannot take: NUL and lone surrogates (from a broken client).
UNSTORABLE = re.compile(r"[\x00\ud800-\udfff]")
#: Buttons the widget itself offers (its language switch): every other payload must be one Sanad offered.
WIDGET_PAYLOADS = frozenset(greet(language) for language in LANGUAGES)

STORE = web.AppKey("store", WebStore)
CONVERSATIONS = web.AppKey("conversations", Conversations)
RASA = web.AppKey("rasa", RasaClient)
LOCKS = web.AppKey("locks", dict)


def error(status: int, code: str) -> web.Response:
    """A clear error the widget can show: ``{"error": code}``."""
    return web.json_response({"error": code}, status=status)


def session_id(request: web.Request) -> str:
    value = request.match_info["session_id"]
    if not ID.fullmatch(value):
        raise web.HTTPBadRequest(text=json.dumps({"error": "bad_session"}), content_type="application/json")
    return value


async def history(request: web.Request) -> web.Response:
    after = request.query.get("after", "0")
    if not re.fullmatch(r"[0-9]{1,18}", after):
        return error(400, "bad_after")
    sid = session_id(request)
    human.deliver(request.app[STORE], request.app[STORE].url, sid, conversation_id(sid))
    messages = request.app[STORE].history(sid, after=int(after))
    return web.json_response({"messages": messages})


async def post_message(request: web.Request) -> web.Response:
    """Store the founder's message, ask Rasa once, store and return the replies."""
    sid = session_id(request)
    if request.content_type != "application/json":  # also keeps other sites' simple (no-preflight) POSTs out
        return error(415, "json_expected")
    try:
        body = await request.json()
    except (json.JSONDecodeError, UnicodeDecodeError):
        return error(400, "not_json")
    if not isinstance(body, dict) or not ID.fullmatch(str(body.get("client_id", ""))):
        return error(400, "bad_client_id")
    client_id = str(body["client_id"])
    store = request.app[STORE]
    language = body.get("language") if body.get("language") in LANGUAGES else None
    payload = body.get("payload")
    if payload is not None:
        payload = str(payload)
        if payload not in WIDGET_PAYLOADS and not store.offered(sid, payload):
            return error(400, "unknown_button")
        text = str(body.get("title") or "")[:200]
    else:
        text = founder_text(str(body.get("text") or ""))
        if not text:
            return error(400, "empty")
        if len(text) > MAX_TEXT:
            return error(400, "too_long")
    if UNSTORABLE.search(text):
        return error(400, "bad_characters")
    async with conversation_lock(request.app, sid):  # one message of a conversation at a time
        request.app[CONVERSATIONS].remember(conversation_id(sid), CHANNEL, sid, "widget", language)
        founder = store.receive(sid, client_id, text, payload)
        if not founder.answered and human.to_advisor(store.url, conversation_id(sid), text, founder.id):
            store.answer(sid, founder.id, [])  # an advisor holds the conversation: Sanad stays silent
        elif not founder.answered:
            try:
                replies = await request.app[RASA].send(
                    conversation_id(sid),
                    payload or text,
                    channel=CHANNEL,
                    metadata={"channel": CHANNEL, "session_id": sid},
                )
            except RasaUnavailableError as problem:
                logger.warning("Rasa did not answer message %s (kept pending): %s", founder.id, problem)
                # Down or restarting: the widget retries. Failing on this very message: it must not block the rest.
                return error(422, "failed") if problem.lasting else error(503, "unavailable")
            store.answer(sid, founder.id, replies)
    return web.json_response({"founder": store.founder_message(founder.id), "replies": store.replies_to(founder.id)})


@contextlib.asynccontextmanager
async def conversation_lock(app: web.Application, sid: str) -> AsyncIterator[None]:
    """A lock per conversation, forgotten once nobody holds or awaits it (session ids are unbounded)."""
    locks = app[LOCKS]
    entry = locks.setdefault(sid, [asyncio.Lock(), 0])  # the lock, and how many requests hold or await it
    entry[1] += 1
    try:
        async with entry[0]:
            yield
    finally:
        entry[1] -= 1
        if entry[1] == 0:
            del locks[sid]


def page(name: str, content_type: str, cache: str = "no-cache") -> Callable[[web.Request], Awaitable[web.Response]]:
    async def serve(request: web.Request) -> web.Response:
        body = (STATIC / name).read_bytes()
        return web.Response(body=body, content_type=content_type, headers={"Cache-Control": cache})

    return serve


async def health(request: web.Request) -> web.Response:
    return web.json_response({"status": "ok"})


def cors(allowed_origins: str) -> Callable[..., Awaitable[web.StreamResponse]]:
    """The widget runs on other sites: let their pages call the API (no cookies are involved)."""
    origins = {origin.strip() for origin in allowed_origins.split(",") if origin.strip()}

    @web.middleware
    async def middleware(
        request: web.Request, handler: Callable[[web.Request], Awaitable[web.StreamResponse]]
    ) -> web.StreamResponse:
        origin = request.headers.get("Origin", "")
        allowed = "*" in origins or origin in origins
        if request.method == "POST" and origin and not allowed:
            return web.json_response({"error": "origin_not_allowed"}, status=403)
        if request.method == "OPTIONS":
            response: web.StreamResponse = web.Response(status=204)
        else:
            try:
                response = await handler(request)
            except web.HTTPException as exception:
                response = exception
            except Exception:  # answered with CORS headers, so the widget shows an error, not "offline"
                logger.exception("error on %s %s", request.method, request.path)
                response = web.json_response({"error": "server_error"}, status=500)
        if allowed:
            response.headers["Access-Control-Allow-Origin"] = "*" if "*" in origins else origin
            response.headers["Access-Control-Allow-Methods"] = "GET, POST, OPTIONS"
            response.headers["Access-Control-Allow-Headers"] = "Content-Type"
            response.headers["Vary"] = "Origin"
        return response

    return middleware


def web_app(
    store: WebStore, conversations: Conversations, rasa: RasaClient, allowed_origins: str = "*"
) -> web.Application:
    app = web.Application(client_max_size=64 * 1024, middlewares=[cors(allowed_origins)])
    app[STORE] = store
    app[CONVERSATIONS] = conversations
    app[RASA] = rasa
    app[LOCKS] = {}
    app.router.add_get("/", page("demo.html", "text/html"))
    app.router.add_get("/programmes", page("programmes.html", "text/html"))
    # Cached for a few minutes: a site's page reloaded while Sanad is unreachable still gets its widget,
    # which then shows what the founder typed and sends it once Sanad is back.
    app.router.add_get("/widget.js", page("sanad-widget.js", "application/javascript", "public, max-age=300"))
    app.router.add_get("/health", health)
    app.router.add_get("/favicon.ico", lambda request: web.Response(status=204))  # no browser 404 in the log
    app.router.add_get("/api/sessions/{session_id}/messages", history)
    app.router.add_post("/api/sessions/{session_id}/messages", post_message)
    app.router.add_route("OPTIONS", "/api/sessions/{session_id}/messages", health)

    async def close_rasa(app: web.Application) -> None:
        await app[RASA].aclose()

    app.on_cleanup.append(close_rasa)
    return app


def main() -> int:
    logging.basicConfig(format="%(asctime)s %(levelname)s %(name)s: %(message)s", level=logging.INFO)
    env = environment()
    rasa = RasaClient(f"http://{env['SANAD_HOST']}:{env['SANAD_RASA_PORT']}")
    url = env["SANAD_DATABASE_URL"]
    app = web_app(WebStore(url), Conversations(url), rasa, env["SANAD_WEB_ALLOWED_ORIGINS"])
    logger.info("widget demo on http://%s:%s/", env["SANAD_HOST"], env["SANAD_WEB_PORT"])
    web.run_app(app, host=env["SANAD_HOST"], port=int(env["SANAD_WEB_PORT"]), print=None, access_log=None)
    return 0


if __name__ == "__main__":
    sys.exit(main())
