"""The staff console served for real on a free port (its own event loop in a thread), for HTTP tests."""

from __future__ import annotations

import asyncio
import re
import threading
from collections.abc import Iterator
from contextlib import contextmanager

import requests
from aiohttp import web

from bot.console import auth, db
from bot.console.app import create_app

CSRF = re.compile(r'name="csrf" value="([^"]+)"')
PASSWORD = "un-mot-de-passe-solide"


@contextmanager
def serve_console(env: dict[str, str]) -> Iterator[str]:
    """Start the console app on 127.0.0.1 (free port); yield its base URL; stop it."""
    ready = threading.Event()
    state: dict[str, object] = {}

    def run() -> None:
        loop = asyncio.new_event_loop()
        runner = web.AppRunner(create_app(env))
        loop.run_until_complete(runner.setup())
        site = web.TCPSite(runner, "127.0.0.1", 0)
        loop.run_until_complete(site.start())
        state["port"] = runner.addresses[0][1]
        state["loop"] = loop
        ready.set()
        loop.run_forever()
        loop.run_until_complete(runner.cleanup())
        loop.close()

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    if not ready.wait(30):
        raise RuntimeError("the console did not start")
    try:
        yield f"http://127.0.0.1:{state['port']}"
    finally:
        loop = state["loop"]
        assert isinstance(loop, asyncio.AbstractEventLoop)
        loop.call_soon_threadsafe(loop.stop)
        thread.join(10)


def add_staff(database_url: str, username: str, role: str, password: str = PASSWORD) -> None:
    with db.session_scope(database_url) as session:
        auth.create_user(session, username, password, role)


def csrf_of(html: str) -> str:
    match = CSRF.search(html)
    assert match, "no CSRF token in the page"
    return match.group(1)


def signed_in(base: str, username: str, password: str = PASSWORD) -> requests.Session:
    """A browser-like client (cookies kept) signed in as ``username``."""
    client = requests.Session()
    page = client.get(f"{base}/login", timeout=10)
    answer = client.post(
        f"{base}/login",
        data={"username": username, "password": password, "csrf": csrf_of(page.text), "next": "/conversations"},
        timeout=10,
    )
    assert answer.status_code == 200 and "Conversations" in answer.text, answer.text[:500]
    return client
