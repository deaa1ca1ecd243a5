"""Plumbing the console's pages share: templates, database calls off the event loop, forms, redirects."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from aiohttp import web
from itsdangerous import Signer
from jinja2 import Environment, FileSystemLoader, select_autoescape
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from bot.console import db
from bot.console.auth import Staff

T = TypeVar("T")

TEMPLATES = Environment(
    loader=FileSystemLoader(Path(__file__).parent / "templates"),
    autoescape=select_autoescape(["html"]),
    trim_blocks=True,
    lstrip_blocks=True,
)

DATABASE_URL = web.AppKey("database_url", str)
TRACKER = web.AppKey("tracker", Engine)
LOW_CONFIDENCE = web.AppKey("low_confidence", float)
SIGNER = web.AppKey("signer", Signer)
SECURE = web.AppKey("secure", bool)
SESSION_COOKIE = "sanad_console"
LOGIN_COOKIE = "sanad_console_login"
STAFF = "staff"  # request key: the signed-in Staff, set by the session middleware


def staff(request: web.Request) -> Staff:
    return request[STAFF]


async def in_session(request: web.Request, work: Callable[[Session], T]) -> T:
    """Run ``work`` with a console session in a worker thread: SQL never blocks the event loop."""

    def call() -> T:
        with db.session_scope(request.app[DATABASE_URL]) as session:
            return work(session)

    return await asyncio.to_thread(call)


async def form(request: web.Request) -> dict[str, str]:
    """The POSTed form as plain strings (a file upload or a repeated field keeps its first text value)."""
    data = await request.post()
    return {key: value for key, value in reversed(list(data.items())) if isinstance(value, str)}


def render(request: web.Request, template: str, status: int = 200, **context: Any) -> web.Response:
    body = TEMPLATES.get_template(template).render(staff=request.get(STAFF), path=request.path, **context)
    return web.Response(text=body, status=status, content_type="text/html", charset="utf-8")


def see_other(location: str) -> web.HTTPSeeOther:
    """After a POST, back to a page (303, so a reload does not resend the form)."""
    return web.HTTPSeeOther(location)


def problem(request: web.Request, status: int, message: str) -> web.Response:
    return render(request, "error.html", status=status, message=message)


def set_cookie(response: web.StreamResponse, request: web.Request, name: str, value: str, max_age: int) -> None:
    """HttpOnly, SameSite=Strict, Secure behind HTTPS: scripts and other sites never see the console's cookies."""
    response.set_cookie(
        name, value, max_age=max_age, path="/", httponly=True, samesite="Strict", secure=request.app[SECURE]
    )
