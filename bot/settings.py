"""Configuration from environment variables, each with a default that works on a laptop.

| variable | default | what |
|---|---|---|
| SANAD_DATABASE_URL | sqlite:///var/sanad.db | catalog + advisor requests (any SQLAlchemy URL) |
| SANAD_TRACKER_URL | sqlite:///var/tracker.db | Rasa's SQL tracker store (conversations) |
| SANAD_HOST | 127.0.0.1 | interface the servers listen on |
| SANAD_RASA_PORT | 5005 | Rasa server (REST webhook) |
| SANAD_ACTIONS_PORT | 5055 | action server |
| SANAD_ACTIONS_URL | http://127.0.0.1:5055/webhook | where Rasa calls the actions |
| SANAD_ADVISOR_RESPONSE_DAYS | 2 | working days the team promises for an answer |
| SANAD_STARTUP_TIMEOUT | 300 | seconds the run command waits for the servers |
| SANAD_WEB_PORT | 5080 | the website widget's server: widget.js, its API, a demo page |
| SANAD_WEB_ALLOWED_ORIGINS | * | sites whose pages may use the widget (comma-separated origins) |
| SANAD_CONSOLE_PORT | 5090 | the staff console (web app for staff, sign-in required) |
| SANAD_CONSOLE_SECRET | (generated into var/console-secret) | key that signs the console's session cookies |
| SANAD_CONSOLE_SECURE_COOKIES | 0 | 1 when the console is served over HTTPS: cookies sent only over HTTPS |
| SANAD_CONSOLE_LOW_CONFIDENCE | 0.7 | confidence under which the console calls a message "low" (= fallback threshold) |
| SANAD_OFFICE_HOURS | 1-5 09:00-18:00 | when advisors answer a handoff (ISO days, hours) |
| SANAD_TIMEZONE | Africa/Casablanca | time zone of the office hours |
| SANAD_DARIJA_REPLIES | ary | replies to Darija in Latin letters: `ary` (Darija, Latin letters) or `fr` |
| TELEGRAM_BOT_TOKEN | (unset: no Telegram) | the bot's token from @BotFather; never logged |
| SANAD_TELEGRAM_MODE | polling | `polling` (no public URL needed) or `webhook` |
| SANAD_TELEGRAM_PORT | 5056 | the bridge's web server: /health, and the webhook |
| SANAD_TELEGRAM_WEBHOOK_URL | (empty) | public https base URL Telegram posts to (webhook mode) |
| SANAD_TELEGRAM_WEBHOOK_PATH | /telegram/webhook | path of the webhook on the bridge |
| TELEGRAM_WEBHOOK_SECRET | (random per start) | secret token Telegram must send with each update |
| SANAD_TELEGRAM_API_URL | https://api.telegram.org/bot | Bot API base URL (tests point it at a local stand-in) |
| SANAD_TELEGRAM_CHAT_INTERVAL | 1.0 | average seconds between messages to one chat, after a burst of 3 |
| SANAD_TELEGRAM_RETRY_MAX | 30 | longest wait (s) before retrying an update (Rasa down, network) |
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
VAR_DIR = REPO_ROOT / "var"
MODELS_DIR = REPO_ROOT / "models"


def environment(base: Mapping[str, str] | None = None) -> dict[str, str]:
    """``base`` (default: os.environ) with every Sanad variable filled in."""
    env = dict(os.environ if base is None else base)
    host = env.setdefault("SANAD_HOST", "127.0.0.1")
    env.setdefault("SANAD_RASA_PORT", "5005")
    actions_port = env.setdefault("SANAD_ACTIONS_PORT", "5055")
    env.setdefault("SANAD_ACTIONS_URL", f"http://{host}:{actions_port}/webhook")
    env.setdefault("SANAD_DATABASE_URL", f"sqlite:///{VAR_DIR / 'sanad.db'}")
    env.setdefault("SANAD_TRACKER_URL", f"sqlite:///{VAR_DIR / 'tracker.db'}")
    env.setdefault("SANAD_ADVISOR_RESPONSE_DAYS", "2")
    env.setdefault("SANAD_STARTUP_TIMEOUT", "300")
    env.setdefault("SANAD_WEB_PORT", "5080")
    env.setdefault("SANAD_WEB_ALLOWED_ORIGINS", "*")
    env.setdefault("SANAD_CONSOLE_PORT", "5090")
    env.setdefault("SANAD_CONSOLE_SECURE_COOKIES", "0")
    env.setdefault("SANAD_CONSOLE_LOW_CONFIDENCE", "0.7")
    env.setdefault("SANAD_OFFICE_HOURS", "1-5 09:00-18:00")
    env.setdefault("SANAD_TIMEZONE", "Africa/Casablanca")
    env.setdefault("SANAD_DARIJA_REPLIES", "ary")
    env.setdefault("SANAD_TELEGRAM_MODE", "polling")
    env.setdefault("SANAD_TELEGRAM_PORT", "5056")
    env.setdefault("SANAD_TELEGRAM_WEBHOOK_URL", "")
    env.setdefault("SANAD_TELEGRAM_WEBHOOK_PATH", "/telegram/webhook")
    env.setdefault("SANAD_TELEGRAM_API_URL", "https://api.telegram.org/bot")
    env.setdefault("SANAD_TELEGRAM_CHAT_INTERVAL", "1.0")
    env.setdefault("SANAD_TELEGRAM_RETRY_MAX", "30")
    # Quiet, offline-friendly defaults for Rasa and its libraries.
    env.setdefault("RASA_TELEMETRY_ENABLED", "false")
    env.setdefault("SQLALCHEMY_SILENCE_UBER_WARNING", "1")
    env.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    return env
