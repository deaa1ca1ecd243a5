"""Per-language NLU quality: Sanad's pipeline beside stock Rasa's default pipeline, same data, same run.

    .venv/bin/python bench/languages.py                  # trains both (stock: about an hour on 2 cores)
    .venv/bin/python bench/languages.py --train stock    # only train stock into --work, for a later run
    .venv/bin/python bench/languages.py --train sanad    # train Sanad, reuse the stock model in --work
    .venv/bin/python bench/languages.py --train none     # score the models (and costs) already in --work

Models and their training cost stay in ``--work`` (default var/bench-languages), so the hour of stock
training can run first, at low priority, while Sanad's configuration is still being chosen.

1. Train the NLU of both on nlu_data (all four languages) with a cold Rasa cache, timing the
   wall clock and the training process's peak RSS: Sanad = config.yml, stock = bench/stock/config.yml
   (Rasa's default pipeline).
2. Score both on the held-out sets tests/nlu/<language>.yml with bot.evaluation, each at its own
   FallbackClassifier threshold: macro-F1, accuracy, out-of-scope answered, per language.
3. Add the language detector's accuracy on the same labelled messages (bot.evaluation.detector_report).
4. Write bench/results/languages.json and languages.md (the table in the README).

Nothing here asserts anything: the test suite holds the gates (tests/model/test_nlu_evaluation.py).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import sys
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.run import timed_run, training_env  # noqa: E402
from bot.evaluation import configured_threshold, detector_report, predict, score_by_language  # noqa: E402
from bot.language import LANGUAGES  # noqa: E402

RESULTS = ROOT / "bench" / "results"
CONFIGS = {"sanad": ROOT / "config.yml", "stock": ROOT / "bench" / "stock" / "config.yml"}
NAMES = {"fr": "French", "en": "English", "ar": "Arabic", "ary": "Darija", "all": "all"}


def train_nlu(name: str, work: Path) -> dict[str, float]:
    command = [sys.executable, "-m", "rasa", "train", "nlu", "--config", str(CONFIGS[name])]
    command += ["--nlu", str(ROOT / "nlu_data"), "--out", str(work), "--fixed-model-name", name]
    print(f"training {name} NLU ...", flush=True)
    cost = timed_run(command, training_env(work / f"cache-{name}"), work / f"train-{name}.log")
    print(f"{name}: {cost}", flush=True)
    return cost


def scores(model: Path, config: Path, out: Path) -> dict[str, Any]:
    threshold = configured_threshold(config)
    keys = ("examples", "macro_f1", "accuracy", "out_of_scope_answered_rate", "entity_f1")
    by_language = score_by_language(predict(model, out), threshold)
    return {"threshold": threshold, **{lang: {k: s[k] for k in keys} for lang, s in by_language.items()}}


def table(result: dict[str, Any]) -> str:
    sanad, stock, detector = result["sanad"], result["stock"], result["detector"]
    lines = [
        f"Run of {result['date']} ({result['machine']}); NLU only, trained on the same data, scored on "
        "tests/nlu at each model's own fallback threshold "
        f"(Sanad {sanad['scores']['threshold']}, stock {stock['scores']['threshold']}).",
        "",
        "| language | held-out messages | intent macro-F1: Sanad / stock | accuracy: Sanad / stock "
        "| out-of-scope answered: Sanad / stock | entity F1: Sanad / stock | language detected right |",
        "|---|---|---|---|---|---|---|",
    ]
    for lang in (*LANGUAGES, "all"):
        a, b = sanad["scores"][lang], stock["scores"][lang]
        detected = f"{detector[lang]['accuracy']:.3f}" if lang in detector else "—"
        lines.append(
            f"| {NAMES[lang]} | {a['examples']} | {a['macro_f1']:.3f} / {b['macro_f1']:.3f} "
            f"| {a['accuracy']:.3f} / {b['accuracy']:.3f} "
            f"| {a['out_of_scope_answered_rate']:.3f} / {b['out_of_scope_answered_rate']:.3f} "
            f"| {a['entity_f1']:.3f} / {b['entity_f1']:.3f} | {detected} |"
        )
    lines += ["", f"NLU training: Sanad {_cost(sanad['training'])}; stock {_cost(stock['training'])}."]
    return "\n".join(lines) + "\n"


def _cost(training: dict[str, Any]) -> str:
    """Wall time, CPU time (comparable even when the run shared the cores or was paused) and peak memory."""
    cpu = training.get("cpu_seconds")
    cpu_text = f", {cpu:.0f} s of CPU" if cpu is not None else ""
    note = f" ({training['note']})" if training.get("note") else ""
    return f"{training.get('seconds', '—')} s wall{cpu_text}, peak {training.get('peak_rss_mb', '—')} MB{note}"


def trained(name: str, work: Path, train: bool) -> tuple[Path, dict[str, Any]]:
    """The model ``name`` in ``work`` and what its training cost, trained first if asked."""
    cost_file = work / f"{name}.cost.json"
    if train:
        cost: dict[str, Any] = {**train_nlu(name, work)}
        cost["load_average_at_end"] = os.getloadavg()[0]
        cost_file.write_text(json.dumps(cost))
        shutil.rmtree(work / f"cache-{name}", ignore_errors=True)
    return work / f"{name}.tar.gz", json.loads(cost_file.read_text())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--train", choices=("both", "sanad", "stock", "none"), default="both")
    parser.add_argument("--work", type=Path, default=ROOT / "var" / "bench-languages")
    args = parser.parse_args()
    args.work.mkdir(parents=True, exist_ok=True)
    result: dict[str, Any] = {
        "date": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "machine": f"{platform.machine()}, {len(os.sched_getaffinity(0))} CPUs",
    }
    if args.train == "stock":
        trained("stock", args.work, train=True)
        return
    for name in ("sanad", "stock"):
        model, cost = trained(name, args.work, args.train in ("both", name))
        result[name] = {"training": cost, "scores": scores(model, CONFIGS[name], args.work / f"report-{name}")}
        print(name, json.dumps(result[name]["scores"]), flush=True)
    result["detector"] = detector_report()
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "languages.json").write_text(json.dumps(result, indent=2, ensure_ascii=False))
    (RESULTS / "languages.md").write_text(table(result))
    print(table(result))


if __name__ == "__main__":
    main()
