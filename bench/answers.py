"""Score the answer layer on a question set: the replies founders read, judged like the tests.

    .venv/bin/python bench/answers.py [--set dev|bank] [--model models/sanad-….tar.gz] [--failures]
    .venv/bin/python bench/answers.py --set bank --rest http://127.0.0.1:5005 --name sanad [--rest … --name before]

In process (the default):
Each question is parsed once by the trained model (cached in ``var/bench-answers/``)
and routed as Sanad's rules route it: questions, the fallback and out of scope to
``action_answer``, run here with a rasa-sdk tracker on a fresh SQLite catalog;
other intents (a form, small talk) count as not answered. The verdicts are
``tests/support/bank.py``'s. The development set (``--set dev``) is what the
finder's weights and phrases were tuned on; the bank is scored the same way by
the slow tests over real servers. Results: ``bench/results/answers-<set>.json``.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bot.settings import environment  # noqa: E402

CACHE = ROOT / "var" / "bench-answers"
RESULTS = ROOT / "bench" / "results"


def parse(model: Path, texts: list[str]) -> dict[str, Any]:
    """text -> Rasa's parse, by the model in a child process (cached per model and text set)."""
    CACHE.mkdir(parents=True, exist_ok=True)
    cache = CACHE / f"{model.stem}.json"
    known = json.loads(cache.read_text(encoding="utf-8")) if cache.exists() else {}
    missing = [t for t in dict.fromkeys(texts) if t not in known]
    if missing:
        request = CACHE / "texts.json"
        request.write_text(json.dumps(missing, ensure_ascii=False), encoding="utf-8")
        command = [sys.executable, __file__, "--parse-child", str(model), str(request), str(cache)]
        subprocess.run(command, cwd=ROOT, env=environment(), check=True, capture_output=True)
        known = json.loads(cache.read_text(encoding="utf-8"))
    return known


def _parse_child(model: str, request: str, cache: str) -> None:
    import logging

    from rasa.core.agent import Agent

    logging.disable(logging.WARNING)
    agent = Agent.load(model)
    path = Path(cache)
    known = json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}

    async def run() -> None:
        for text in json.loads(Path(request).read_text(encoding="utf-8")):
            parsed = await agent.parse_message(text)
            known[text] = {k: parsed.get(k) for k in ("intent", "intent_ranking", "entities")}

    asyncio.run(run())
    path.write_text(json.dumps(known, ensure_ascii=False), encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--set", choices=("dev", "bank"), default="dev")
    parser.add_argument("--model", type=Path)
    parser.add_argument("--failures", action="store_true", help="print every question not answered right")
    parser.add_argument("--parse-child", nargs=3)
    parser.add_argument("--rest", action="append", default=[], help="base URL of a running Sanad (repeatable)")
    parser.add_argument("--name", action="append", default=[], help="a name for each --rest server")
    args = parser.parse_args()
    if args.parse_child:
        _parse_child(*args.parse_child)
        return
    from bot import training
    from tests.support import bank
    from tests.support.simulate import Simulator

    items = bank.load(bank.DEV if args.set == "dev" else bank.BANK)
    if args.rest:
        over_rest(items, args.rest, args.name or args.rest)
        return
    model = args.model or training.model_path()
    parses = parse(model, [t for item in items for t in (item.question, item.after) if t])
    simulator = Simulator(parses)
    report = bank.Report()
    for item in items:
        replies = simulator.ask(item)
        report.add(item, simulator.judge.verdict(item, replies), replies)
    groups = ["fr", "en", "ar", "ary", "ary-latn", "ary-arab", "all"]
    summary = report.summary(groups)
    for group, rates in summary.items():
        print(f"{group:9} " + "  ".join(f"{k} {v}" for k, v in rates.items()))
    if args.failures:
        for failure in report.failures:
            print(json.dumps(failure, ensure_ascii=False))
    RESULTS.mkdir(exist_ok=True)
    out = RESULTS / f"answers-{args.set}.json"
    out.write_text(json.dumps({"model": model.name, "summary": summary}, indent=2, ensure_ascii=False))


def over_rest(items: list[Any], servers: list[str], names: list[str]) -> None:
    """Each question to each server in turn (same moment, same machine, who goes first alternating),
    judged on the current catalog."""
    import statistics
    import time
    import urllib.request
    import uuid

    from bot import answers
    from bot.catalog.db import session_scope
    from bot.catalog.loader import load_catalog
    from tests.support import bank

    url = f"sqlite:///{CACHE / 'judge-catalog.db'}"
    CACHE.mkdir(parents=True, exist_ok=True)
    load_catalog(url=url)
    with session_scope(url) as session:
        judge = bank.Judge(dict(answers.finder(session).index.by_key))

    def send(server: str, sender: str, text: str) -> tuple[list[dict[str, Any]], float]:
        body = json.dumps({"sender": sender, "message": text}).encode()
        request = urllib.request.Request(f"{server}/webhooks/rest/webhook", body, {"Content-Type": "application/json"})
        started = time.perf_counter()
        with urllib.request.urlopen(request, timeout=120) as response:
            replies = json.load(response)
        return replies, time.perf_counter() - started

    reports = {name: bank.Report() for name in names}
    times: dict[str, list[float]] = {name: [] for name in names}
    for number, item in enumerate(items):
        # Alternate who goes first: a server still saving its tracker slows the next request a little.
        pairs = list(zip(servers, names, strict=True))
        for server, name in pairs[number % len(pairs) :] + pairs[: number % len(pairs)]:
            sender = f"bench-{uuid.uuid4().hex[:12]}"
            if item.after:
                send(server, sender, item.after)
            replies, seconds = send(server, sender, item.question)
            times[name].append(seconds)
            reports[name].add(item, judge.verdict(item, replies), replies)
    groups = ["fr", "en", "ar", "ary", "ary-latn", "ary-arab", "all"]
    result = {}
    for name in names:
        ordered = sorted(times[name])
        result[name] = {
            "summary": reports[name].summary(groups),
            "latency_ms": {
                "p50": round(1000 * statistics.median(ordered), 1),
                "p95": round(1000 * ordered[int(0.95 * (len(ordered) - 1))], 1),
            },
        }
    (RESULTS / "answers-rest.json").write_text(json.dumps(result, indent=2, ensure_ascii=False))
    lines = [
        "| server | language | answer accuracy | wrong facts | honest absence | out of scope answered |",
        "|---|---|---|---|---|---|",
    ]
    for name in names:
        for group in groups:
            r = result[name]["summary"][group]
            lines.append(
                f"| {name} | {group} | {r['answer_accuracy']:.3f} | {r['wrong_fact_rate']:.3f} | "
                f"{r['honest_absence_rate']:.3f} | {r['out_of_scope_answered_rate']:.3f} |"
            )
    lines += ["", "| server | reply p50 (ms) | reply p95 (ms) |", "|---|---|---|"]
    lines += [f"| {n} | {result[n]['latency_ms']['p50']} | {result[n]['latency_ms']['p95']} |" for n in names]
    (RESULTS / "answers-rest.md").write_text("\n".join(lines) + "\n")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
