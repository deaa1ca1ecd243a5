"""How fast the staff console answers on many conversations, beside reading Rasa's tracker store directly.

    .venv/bin/python bench/console.py [--conversations 10000 100000] [--repeat 5]

For each size: synthetic conversations in Rasa's own ``events`` format (``tests/support/conversations.py``)
go into a temp SQLite tracker store; the console indexes them (the first run, then 100 new conversations
incrementally), then each list query (a page of 50 and its total) is timed, median of ``--repeat`` runs.
The "tracker store directly" column is what a console without the index would run: the same question
answered with SQL over the ``events`` table (JSON text included). Writes bench/results/console.json and
console.md. Reports numbers; asserts nothing.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sqlalchemy import create_engine, text  # noqa: E402

from bot.console import analytics, db, indexer, queries  # noqa: E402
from tests.support.conversations import generate  # noqa: E402

RESULTS = ROOT / "bench" / "results"
NOW = dt.datetime(2026, 11, 20, 12, 0)
LOW = 0.7
#: list filter → the same question asked of Rasa's events table without the index
QUESTIONS: dict[str, tuple[dict[str, str], str | None]] = {
    "newest 50 (no filter)": (
        {},
        "SELECT sender_id, max(timestamp) AS t FROM events GROUP BY sender_id ORDER BY t DESC LIMIT 50",
    ),
    "channel = telegram": (
        {"channel": "telegram"},
        "SELECT DISTINCT sender_id FROM events WHERE type_name = 'user' AND data LIKE '%\"channel\": \"telegram\"%'",
    ),
    "intent = ask_financing": (
        {"intent": "ask_financing"},
        "SELECT DISTINCT sender_id FROM events WHERE type_name = 'user' AND intent_name = 'ask_financing'",
    ),
    "low confidence": ({"low": "1"}, None),
    "contains a fallback": (
        {"fallback": "1"},
        "SELECT DISTINCT sender_id FROM events WHERE type_name = 'user' AND intent_name = 'nlu_fallback'",
    ),
    "asked for a human": ({"handoff": "1"}, None),
    "program = glovo-startup-lab": ({"program": "glovo-startup-lab"}, None),
    "not reviewed": ({"reviewed": "no"}, None),
    "search 'financement'": (
        {"q": "financement"},
        "SELECT DISTINCT sender_id FROM events WHERE type_name = 'user' AND lower(data) LIKE '%financement%'",
    ),
    "search + channel + 7 days": (
        {"q": "startup", "channel": "web", "from": "2026-11-14", "to": "2026-11-20"},
        None,
    ),
    "page 100": ({"page": "100"}, None),
}


def median_ms(work: Callable[[], Any], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        work()
        times.append((time.perf_counter() - start) * 1000)
    return round(statistics.median(times), 1)


def measure(size: int, repeat: int, folder: Path) -> dict[str, Any]:
    console_url, tracker_url = f"sqlite:///{folder / 'sanad.db'}", f"sqlite:///{folder / 'tracker.db'}"
    started = time.perf_counter()
    generated = generate(tracker_url, size, seed=3, start=NOW, days=90)
    result: dict[str, Any] = {"conversations": size, "events": generated.events}
    result["generate_s"] = round(time.perf_counter() - started, 1)
    started = time.perf_counter()
    result["indexed_events"] = indexer.sync(console_url, tracker_url)
    result["index_s"] = round(time.perf_counter() - started, 1)
    generate(tracker_url, 100, seed=4, start=NOW, days=1)
    started = time.perf_counter()
    indexer.sync(console_url, tracker_url)
    result["index_100_new_ms"] = round((time.perf_counter() - started) * 1000, 1)
    result["tracker_db_mb"] = round((folder / "tracker.db").stat().st_size / 1e6)
    result["console_db_mb"] = round((folder / "sanad.db").stat().st_size / 1e6)
    tracker = create_engine(tracker_url, future=True)
    db.prepare(console_url)
    rows = []
    with db.session_scope(console_url) as session:
        for name, (filters, raw) in QUESTIONS.items():
            chosen = queries.ConversationFilter.parse(filters)
            page = queries.list_conversations(session, chosen, LOW)
            console = median_ms(lambda chosen=chosen: queries.list_conversations(session, chosen, LOW), repeat)
            direct = None
            if raw:
                with tracker.connect() as connection:
                    direct = median_ms(lambda raw=raw: connection.execute(text(raw)).all(), max(1, repeat // 2))
            rows.append({"question": name, "matches": page.total, "console_ms": console, "tracker_direct_ms": direct})
        result["nlu_inbox_ms"] = median_ms(lambda: queries.nlu_inbox(session, LOW), repeat)
        period = analytics.Period(NOW.date() - dt.timedelta(days=29), NOW.date())
        result["analytics_page_ms"] = median_ms(
            lambda: [build(session, period) for build in analytics.TABLES.values()], repeat
        )
        conversation_id = session.scalars(text("SELECT conversation_id FROM console_conversations LIMIT 1")).first()
    result["transcript_ms"] = median_ms(lambda: queries.transcript(tracker, conversation_id, False), repeat)
    tracker.dispose()
    result["questions"] = rows
    return result


def markdown(results: list[dict[str, Any]]) -> str:
    lines = [
        "| question | "
        + " | ".join(f"{r['conversations']:,} conv.: console / tracker direct (ms)" for r in results)
        + " |"
    ]
    lines.append("|---|" + "---|" * len(results))
    for n, row in enumerate(results[0]["questions"]):
        cells = []
        for result in results:
            q = result["questions"][n]
            direct = f"{q['tracker_direct_ms']:,}" if q["tracker_direct_ms"] is not None else "—"
            cells.append(f"{q['console_ms']:,} / {direct} ({q['matches']:,} match)")
        lines.append(f"| {row['question']} | " + " | ".join(cells) + " |")
    for key, label in (
        ("nlu_inbox_ms", "NLU inbox (50 items + total), ms"),
        ("analytics_page_ms", f"analytics page ({len(analytics.TABLES)} tables, 30 days), ms"),
        ("transcript_ms", "one transcript, ms"),
        ("index_s", "first indexing of the whole tracker store, s"),
        ("index_100_new_ms", "indexing 100 new conversations, ms"),
        ("events", "tracker events"),
        ("tracker_db_mb", "tracker store size, MB"),
        ("console_db_mb", "console index size, MB"),
    ):
        lines.append(f"| {label} | " + " | ".join(f"{r[key]:,}" for r in results) + " |")
    return "\n".join(lines) + "\n"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--conversations", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    results = []
    for size in args.conversations:
        with tempfile.TemporaryDirectory(prefix="sanad-console-bench-") as folder:
            print(f"{size:,} conversations…", flush=True)
            results.append(measure(size, args.repeat, Path(folder)))
    RESULTS.mkdir(parents=True, exist_ok=True)
    meta = {"date": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"), "repeat": args.repeat}
    (RESULTS / "console.json").write_text(json.dumps({**meta, "results": results}, indent=2) + "\n")
    (RESULTS / "console.md").write_text(markdown(results))
    print(markdown(results))
    return 0


if __name__ == "__main__":
    sys.exit(main())
