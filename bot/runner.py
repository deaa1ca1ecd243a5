"""Start Sanad's services, wait until each answers its health endpoint, stop them together.

Used by ``python -m bot run`` (a founder-facing Sanad on this machine) and by
the integration tests (a real Rasa server and action server on free ports).
Startup is honest: "ready" is printed only after both servers answer, and a
server that exits or stays silent makes the whole start fail with its log tail.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from bot.settings import REPO_ROOT, VAR_DIR


class StartupError(RuntimeError):
    """A service did not come up; the message says which and why."""


@dataclass
class Service:
    name: str
    command: list[str]
    health_url: str
    log_path: Path
    process: subprocess.Popen[bytes] | None = field(default=None, repr=False)

    def start(self, env: Mapping[str, str]) -> None:
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        log = self.log_path.open("ab")  # a restart keeps what the previous run said (a crash, say)
        # A process group of its own, so Ctrl-C in the terminal reaches us first and we
        # stop the children in order instead of racing them.
        self.process = subprocess.Popen(
            self.command, cwd=REPO_ROOT, env=dict(env), stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )
        log.close()

    def healthy(self) -> bool:
        try:
            with urllib.request.urlopen(self.health_url, timeout=2) as response:
                return 200 <= response.status < 300
        except (urllib.error.URLError, OSError):
            return False

    def log_tail(self, lines: int = 25) -> str:
        if not self.log_path.exists():
            return "(no log)"
        return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])

    def stop(self, timeout: float = 15) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()


def services(model: Path, env: Mapping[str, str], log_dir: Path = VAR_DIR / "logs") -> list[Service]:
    """The action server first (Rasa calls it), then Rasa with the SQL tracker store, then the
    channels that talk to Rasa: the website widget's server, and Telegram when ``TELEGRAM_BOT_TOKEN`` is set;
    and the staff console, which reads what they all store."""
    host, rasa_port, actions_port = env["SANAD_HOST"], env["SANAD_RASA_PORT"], env["SANAD_ACTIONS_PORT"]
    python = sys.executable
    channels = [web_widget(env, log_dir), console(env, log_dir)]
    if env.get("TELEGRAM_BOT_TOKEN"):
        channels.append(telegram_bridge(env, log_dir))
    return [
        Service(
            "action server",
            [python, "-m", "rasa_sdk", "--actions", "actions", "--port", actions_port],
            f"http://{host}:{actions_port}/health",
            log_dir / "actions.log",
        ),
        Service(
            "Rasa server",
            [
                python,
                "-m",
                "rasa",
                "run",
                "--model",
                str(model),
                "--endpoints",
                "bot/endpoints.yml",
                "--credentials",
                "bot/credentials.yml",
                "--interface",
                host,
                "--port",
                rasa_port,
                "--cors",
                "*",
            ],
            f"http://{host}:{rasa_port}/webhooks/rest/",
            log_dir / "rasa.log",
        ),
        *channels,
    ]


def channel_server(name: str, module: str, port_variable: str, env: Mapping[str, str], log: Path) -> Service:
    """A channel's own server (``python -m <module>``), healthy once its ``/health`` answers."""
    url = f"http://{env['SANAD_HOST']}:{env[port_variable]}/health"
    return Service(name, [sys.executable, "-m", module], url, log)


def web_widget(env: Mapping[str, str], log_dir: Path = VAR_DIR / "logs") -> Service:
    return channel_server("web widget", "bot.channels.web.server", "SANAD_WEB_PORT", env, log_dir / "web.log")


def console(env: Mapping[str, str], log_dir: Path = VAR_DIR / "logs") -> Service:
    return channel_server("staff console", "bot.console.app", "SANAD_CONSOLE_PORT", env, log_dir / "console.log")


def telegram_bridge(env: Mapping[str, str], log_dir: Path = VAR_DIR / "logs") -> Service:
    return channel_server(
        "Telegram bridge", "bot.channels.telegram.bridge", "SANAD_TELEGRAM_PORT", env, log_dir / "telegram.log"
    )


def start_all(all_services: list[Service], env: Mapping[str, str], timeout: float) -> None:
    """Start every service and wait for all to be healthy; on failure stop them and raise."""
    for service in all_services:
        service.start(env)
    deadline = time.monotonic() + timeout
    pending = list(all_services)
    while pending:
        for service in list(pending):
            if service.healthy():
                pending.remove(service)
            elif service.process is not None and service.process.poll() is not None:
                stop_all(all_services)
                raise StartupError(
                    f"{service.name} exited with code {service.process.returncode}:\n{service.log_tail()}"
                )
        if pending and time.monotonic() > deadline:
            stop_all(all_services)
            names = ", ".join(s.name for s in pending)
            raise StartupError(f"{names} did not answer within {timeout:.0f}s:\n{pending[0].log_tail()}")
        if pending:
            time.sleep(0.5)


def stop_all(all_services: list[Service]) -> None:
    for service in reversed(all_services):
        service.stop()


def watch(all_services: list[Service]) -> int:
    """Block until Ctrl-C/SIGTERM or until a service dies; stop everything either way."""
    stopping = False

    def request_stop(signum: int, _frame: object) -> None:
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGINT, request_stop)
    signal.signal(signal.SIGTERM, request_stop)
    try:
        while not stopping:
            for service in all_services:
                if service.process is not None and service.process.poll() is not None:
                    print(f"{service.name} stopped unexpectedly:\n{service.log_tail()}", file=sys.stderr)
                    return 1
            time.sleep(0.5)
        return 0
    finally:
        stop_all(all_services)
