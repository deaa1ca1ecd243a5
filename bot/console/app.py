"""The staff console's web app: sign-in, then conversations, the NLU inbox, analytics, advisor requests.

Flow of a request: security headers on every answer; the session middleware
reads the signed session cookie and finds the staff member (no session: the
sign-in page, or 401 for a form post); every POST must carry the session's
CSRF token (the sign-in form carries one tied to a cookie of its own); pages
under ``/admin`` answer 403 to a reviewer. Page handlers live in ``views``.

An indexer task copies new tracker events into the console's tables every few
seconds, and pages that list conversations catch up first, so a conversation
that just happened is there.

Run: ``python -m bot.console.app`` (the run command does it).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import secrets
import sys
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path

from aiohttp import web
from itsdangerous import BadSignature, Signer
from sqlalchemy.exc import SQLAlchemyError

from bot.console import auth, db, inbox, indexer, views
from bot.console.web import (
    DATABASE_URL,
    LOW_CONFIDENCE,
    SECURE,
    SESSION_COOKIE,
    SIGNER,
    STAFF,
    TRACKER,
    form,
    in_session,
    problem,
)
from bot.database import get_engine
from bot.settings import VAR_DIR, environment

logger = logging.getLogger("sanad.console")

PUBLIC = ("/login", "/health", "/static/", "/favicon.ico")
INDEX_INTERVAL = 5.0  # seconds between two indexer runs in the background

INDEX_LOCK = web.AppKey("index_lock", asyncio.Lock)
TRACKER_URL = web.AppKey("tracker_url", str)

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


def session_secret(env: dict[str, str], path: Path = VAR_DIR / "console-secret") -> str:
    """``SANAD_CONSOLE_SECRET``, or a random one kept in ``var/`` so a restart keeps staff signed in."""
    if env.get("SANAD_CONSOLE_SECRET"):
        return env["SANAD_CONSOLE_SECRET"]
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.touch(mode=0o600)
        path.write_text(secrets.token_urlsafe(48))
    return path.read_text().strip()


@web.middleware
async def security_headers(request: web.Request, handler: Handler) -> web.StreamResponse:
    try:
        response = await handler(request)
    except web.HTTPException as exception:
        response = exception
    response.headers.setdefault(
        "Content-Security-Policy",
        "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; frame-ancestors 'none'; "
        "form-action 'self'; base-uri 'none'",
    )
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("Referrer-Policy", "same-origin")
    response.headers.setdefault("Cache-Control", "no-store")
    if isinstance(response, web.HTTPException):
        raise response
    return response


@web.middleware
async def database_errors(request: web.Request, handler: Handler) -> web.StreamResponse:
    """A database that is down gives staff a clear page (and the log the details), not a stack trace."""
    try:
        return await handler(request)
    except SQLAlchemyError:
        logger.exception("database error on %s %s", request.method, request.path)
        return problem(request, 503, "La base de données ne répond pas pour le moment ; réessayez dans un instant.")


@web.middleware
async def sessions(request: web.Request, handler: Handler) -> web.StreamResponse:
    """Find who is signed in; send everyone else to the sign-in page."""
    if request.path.startswith(PUBLIC):
        return await handler(request)
    token = None
    with contextlib.suppress(BadSignature):
        token = request.app[SIGNER].unsign(request.cookies.get(SESSION_COOKIE, "")).decode()
    member = await in_session(request, lambda s: auth.resolve_session(s, token)) if token else None
    if member is None:
        if request.method == "GET":
            raise web.HTTPSeeOther(f"/login?next={request.rel_url.path_qs if request.path != '/' else ''}")
        return problem(request, 401, "Session expirée : reconnectez-vous.")
    request[STAFF] = member
    if request.method == "POST":
        fields = await form(request)
        if not auth.csrf_matches(member.csrf_token, fields.get("csrf")):
            return problem(
                request, 403, "Formulaire expiré ou venu d'ailleurs (jeton CSRF absent ou faux) : rechargez la page."
            )
    if request.path.startswith("/admin") and not member.is_admin:
        return problem(request, 403, "Réservé aux administrateurs.")
    return await handler(request)


async def index_now(app: web.Application) -> None:
    """Bring the index up to date (one run at a time in this process; the indexer guards across processes)."""
    async with app[INDEX_LOCK]:
        await asyncio.to_thread(indexer.sync, app[DATABASE_URL], app[TRACKER_URL])


async def keep_indexing(app: web.Application) -> AsyncIterator[None]:
    async def loop() -> None:
        while True:
            try:
                await index_now(app)
            except Exception:  # a tracker store that is down must not stop the console
                logger.exception("indexing failed; retrying in %.0f s", INDEX_INTERVAL)
            await asyncio.sleep(INDEX_INTERVAL)

    task = asyncio.create_task(loop())
    yield
    task.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await task


def create_app(env: dict[str, str] | None = None) -> web.Application:
    env = environment(env)
    app = web.Application(middlewares=[security_headers, database_errors, sessions], client_max_size=1024**2)
    app[DATABASE_URL] = env["SANAD_DATABASE_URL"]
    app[TRACKER_URL] = env["SANAD_TRACKER_URL"]
    app[TRACKER] = get_engine(env["SANAD_TRACKER_URL"])
    app[LOW_CONFIDENCE] = float(env["SANAD_CONSOLE_LOW_CONFIDENCE"])
    app[SIGNER] = Signer(session_secret(env), salt="sanad-console-session")
    app[SECURE] = env["SANAD_CONSOLE_SECURE_COOKIES"] == "1"
    app[INDEX_LOCK] = asyncio.Lock()
    db.prepare(app[DATABASE_URL])
    app.cleanup_ctx.append(keep_indexing)
    views.add_routes(app, index_now)
    inbox.add_routes(app)
    return app


def main() -> int:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s %(message)s")
    env = environment()
    web.run_app(create_app(env), host=env["SANAD_HOST"], port=int(env["SANAD_CONSOLE_PORT"]), print=None)
    return 0


if __name__ == "__main__":
    sys.exit(main())
