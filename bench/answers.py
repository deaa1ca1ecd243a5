"""Score the answer layer on a question set, in process: the reply ``action_answer`` gives, judged like the tests.

    .venv/bin/python bench/answers.py [--set dev|bank] [--model models/sanad-….tar.gz] [--failures]

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
    args = parser.parse_args()
    if args.parse_child:
        _parse_child(*args.parse_child)
        return
    from bot import training
    from tests.support import bank
    from tests.support.simulate import Simulator

    items = bank.load(bank.DEV if args.set == "dev" else bank.BANK)
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


if __name__ == "__main__":
    main()
