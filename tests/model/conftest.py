"""Slow-test fixtures: the trained model, and a real Sanad (action server + Rasa) on free ports.

The model is the one ``make run`` uses (``models/sanad-<hash>.tar.gz``), trained
here if missing, so a clean clone trains once and later runs reuse it.
"""

from __future__ import annotations

import json
import os
import socket
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import sync_playwright

from bot import runner, training
from bot.catalog.loader import load_catalog
from bot.settings import REPO_ROOT, environment

REPORTS = REPO_ROOT / "var" / "reports"
CHROMIUM = os.environ.get("SANAD_CHROMIUM", "/usr/bin/chromium")
SCREENSHOTS = REPO_ROOT / "var" / "artifacts" / "screenshots"


@pytest.fixture(scope="session")
def model() -> Path:
    return training.train()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class Sanad:
    """A running Sanad and how to talk to it."""

    services: list[runner.Service]
    env: dict[str, str]
    catalog_url: str
    tracker_url: str

    @property
    def web_url(self) -> str:
        """The website widget's server (demo page, widget.js, its API)."""
        return f"http://127.0.0.1:{self.env['SANAD_WEB_PORT']}"

    @property
    def console_url(self) -> str:
        """The staff console."""
        return f"http://127.0.0.1:{self.env['SANAD_CONSOLE_PORT']}"

    @property
    def webhook(self) -> str:
        return f"http://127.0.0.1:{self.env['SANAD_RASA_PORT']}/webhooks/rest/webhook"

    def send(self, sender: str, message: Any, timeout: float = 60) -> list[dict[str, Any]]:
        body = json.dumps({"sender": sender, "message": message}).encode()
        request = urllib.request.Request(self.webhook, body, {"Content-Type": "application/json"})
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return json.load(response)

    def say(self, sender: str, message: str) -> str:
        """Send a message and return all reply texts joined, for substring checks."""
        return "\n".join(reply.get("text", "") for reply in self.send(sender, message))

    def restart(self, name: str) -> None:
        service = next(s for s in self.services if s.name == name)
        service.stop()
        runner.start_all([service], self.env, timeout=300)


@pytest.fixture(scope="module")
def sanad(model: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Sanad]:
    folder = tmp_path_factory.mktemp("sanad")
    catalog_url = f"sqlite:///{folder / 'catalog.db'}"
    tracker_url = f"sqlite:///{folder / 'tracker.db'}"
    base = {name: value for name, value in os.environ.items() if name != "TELEGRAM_BOT_TOKEN"}  # tests start their own
    env = environment(
        {
            **base,
            "SANAD_DATABASE_URL": catalog_url,
            "SANAD_TRACKER_URL": tracker_url,
            "SANAD_RASA_PORT": str(free_port()),
            "SANAD_ACTIONS_PORT": str(free_port()),
            "SANAD_WEB_PORT": str(free_port()),
            "SANAD_CONSOLE_PORT": str(free_port()),
            "SANAD_CONSOLE_SECRET": "test-secret-not-for-production",
            "SANAD_OFFICE_HOURS": "1-7 00:00-24:00",  # advisors always in: the tests do not depend on the clock
        }
    )
    env["SANAD_ACTIONS_URL"] = f"http://127.0.0.1:{env['SANAD_ACTIONS_PORT']}/webhook"
    load_catalog(url=catalog_url)
    services = runner.services(model, env, log_dir=folder / "logs")
    runner.start_all(services, env, timeout=300)
    try:
        yield Sanad(services, env, catalog_url, tracker_url)
    finally:
        runner.stop_all(services)


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    if not Path(CHROMIUM).exists():
        if os.environ.get("SANAD_REQUIRE_BROWSER"):
            pytest.fail(f"Chromium not found at {CHROMIUM} (apt-get install chromium)")
        pytest.skip(f"Chromium not found at {CHROMIUM}: browser tests skipped (.ci/run installs it)")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield browser
        browser.close()
