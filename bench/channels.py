"""What each channel adds to a founder's wait: Rasa's REST webhook directly, through the website
widget's server, and through the Telegram bridge (PTB's real client, the tests' Bot API stand-in).

    .venv/bin/python bench/channels.py [--messages 40]

One Sanad (action server, Rasa, widget server, Telegram bridge) on free ports with temp SQLite
files, the model ``make run`` uses (trained if missing). The same French messages go one at a
time through each path; the time is from sending to the last reply:
- REST: POST /webhooks/rest/webhook;
- widget: POST /api/sessions/<id>/messages (stored first, then Rasa, replies stored);
- Telegram: from the update being queued at the stand-in to Telegram receiving the last
  sendMessage, long polling included. The bridge paces messages to a chat (1/s, Telegram's
  limit), so every message goes to a new chat: the number is the bridge's own cost, for a
  first message of a conversation (REST and widget continue one conversation).
Writes bench/results/channels.json and channels.md. Reports numbers; asserts nothing.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
import urllib.request
import uuid
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bot import runner, training  # noqa: E402
from bot.catalog.loader import load_catalog  # noqa: E402
from bot.channels.telegram.render import outgoing  # noqa: E402
from bot.settings import environment  # noqa: E402
from tests.model.conftest import free_port  # noqa: E402
from tests.support.bot_api import BotApiStandIn  # noqa: E402

RESULTS = ROOT / "bench" / "results"
MESSAGES = ["merci", "quels sont les programmes d'accélération ?", "parle-moi de Plug and Play", "bonjour"]


def post(url: str, body: dict[str, Any]) -> Any:
    request = urllib.request.Request(url, json.dumps(body).encode(), {"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=120) as response:
        return json.load(response)


def timed(send: Any, count: int) -> list[float]:
    """Milliseconds per message, after two warm-up messages."""
    for index in range(2):
        send(MESSAGES[index % len(MESSAGES)], warmup=True)
    times = []
    for index in range(count):
        start = time.perf_counter()
        send(MESSAGES[index % len(MESSAGES)], warmup=False)
        times.append((time.perf_counter() - start) * 1000)
    return times


def summary(times: list[float]) -> dict[str, float]:
    ordered = sorted(times)
    return {
        "p50_ms": round(statistics.median(ordered), 1),
        "p95_ms": round(ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))], 1),
        "mean_ms": round(statistics.fmean(ordered), 1),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--messages", type=int, default=40)
    args = parser.parse_args()
    model = training.train()
    with tempfile.TemporaryDirectory() as folder, BotApiStandIn() as api:
        env = environment(
            {
                **{k: v for k, v in os.environ.items() if k != "TELEGRAM_BOT_TOKEN"},
                "SANAD_DATABASE_URL": f"sqlite:///{folder}/sanad.db",
                "SANAD_TRACKER_URL": f"sqlite:///{folder}/tracker.db",
                "SANAD_RASA_PORT": str(free_port()),
                "SANAD_ACTIONS_PORT": str(free_port()),
                "SANAD_WEB_PORT": str(free_port()),
                "SANAD_TELEGRAM_PORT": str(free_port()),
                "TELEGRAM_BOT_TOKEN": "1:bench",
                "SANAD_TELEGRAM_API_URL": api.base_url,
            }
        )
        env["SANAD_ACTIONS_URL"] = f"http://127.0.0.1:{env['SANAD_ACTIONS_PORT']}/webhook"
        load_catalog(url=env["SANAD_DATABASE_URL"])
        services = runner.services(model, env, log_dir=Path(folder) / "logs")
        runner.start_all(services, env, timeout=300)
        try:
            rest_url = f"http://127.0.0.1:{env['SANAD_RASA_PORT']}/webhooks/rest/webhook"
            rest_sender = f"bench-{uuid.uuid4().hex[:8]}"
            web_session = uuid.uuid4().hex
            web_url = f"http://127.0.0.1:{env['SANAD_WEB_PORT']}/api/sessions/{web_session}/messages"
            chats = iter(range(500_000, 600_000))

            def rest(text: str, warmup: bool) -> None:
                post(rest_url, {"sender": rest_sender, "message": text})

            def web(text: str, warmup: bool) -> None:
                post(web_url, {"client_id": uuid.uuid4().hex, "text": text})

            # How many Telegram messages a fresh conversation gets for each text (what to wait for).
            expected = {
                text: len(outgoing(post(rest_url, {"sender": uuid.uuid4().hex, "message": text}))) for text in MESSAGES
            }

            def telegram(text: str, warmup: bool) -> None:
                chat = next(chats)
                api.push_message(chat, text)
                api.wait_for(lambda: len(api.sent(chat)) >= expected[text], timeout=120, interval=0.005)

            paths = {"REST webhook (baseline)": rest, "website widget": web, "Telegram bridge": telegram}
            results = {name: summary(timed(path, args.messages)) for name, path in paths.items()}
        finally:
            runner.stop_all(services)
    report = {
        "date": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "messages_per_path": args.messages,
        "cpus": os.cpu_count(),
        "model": model.name,
        "results": results,
    }
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "channels.json").write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n")
    baseline = results["REST webhook (baseline)"]["p50_ms"]
    lines = [
        f"Channel latency, {args.messages} messages per path, one at a time ({report['date']}, {os.cpu_count()} CPUs)",
        "",
        "| path | p50 ms | p95 ms | mean ms | p50 over REST |",
        "|---|---|---|---|---|",
    ]
    for name, values in results.items():
        extra = values["p50_ms"] - baseline
        lines.append(f"| {name} | {values['p50_ms']} | {values['p95_ms']} | {values['mean_ms']} | {extra:+.1f} ms |")
    (RESULTS / "channels.md").write_text("\n".join(lines) + "\n")
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())
