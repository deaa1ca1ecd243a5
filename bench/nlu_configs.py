"""Measure NLU config variants: training time and held-out quality, one variant at a time.

    .venv/bin/python bench/nlu_configs.py [variant ...]

Each variant is Sanad's config.yml with a few settings changed; it is trained
(NLU only) into a temp folder and scored by bot.evaluation on tests/nlu at
several fallback thresholds. Results go to bench/results/nlu_configs.json, one
entry per variant, so the choices in config.yml can be traced to a run.
"""

from __future__ import annotations

import copy
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bot.evaluation import predict, score  # noqa: E402
from bot.settings import environment  # noqa: E402

RESULTS = ROOT / "bench" / "results" / "nlu_configs.json"
THRESHOLDS = (0.3, 0.4, 0.5, 0.55, 0.6, 0.7, 0.8)

#: name -> {component name: {setting: value}} applied on top of config.yml; the key
#: "insert_after" maps a component name to a new component placed right after it.
VARIANTS: dict[str, dict[str, Any]] = {
    "current": {},
    "epochs40_batch128": {"DIETClassifier": {"epochs": 40, "batch_size": [128, 256]}},
    "diet_intents_crf_entities": {
        "DIETClassifier": {"entity_recognition": False},
        "insert_after": {"DIETClassifier": {"name": "CRFEntityExtractor"}},
    },
    "diet_intents_crf_entities_e40": {
        "DIETClassifier": {"entity_recognition": False, "epochs": 40},
        "insert_after": {"DIETClassifier": {"name": "CRFEntityExtractor"}},
    },
    "crf_entities_e40_batch128": {"DIETClassifier": {"epochs": 40, "batch_size": [128, 256]}},
}


def variant_config(changes: dict[str, Any]) -> dict[str, Any]:
    config = yaml.safe_load((ROOT / "config.yml").read_text())
    pipeline = []
    for component in config["pipeline"]:
        key = component["name"] + ("#char" if component.get("analyzer") == "char_wb" else "")
        pipeline.append({**component, **changes.get(key, {})})
        if key in changes.get("insert_after", {}):
            pipeline.append(copy.deepcopy(changes["insert_after"][key]))
    return {**config, "pipeline": pipeline}


def entity_f1(report_dir: Path) -> dict[str, float]:
    """Weighted entity F1 per extractor, from the reports `rasa test nlu` writes."""
    scores = {}
    for path in report_dir.glob("*_report.json"):
        if path.name != "intent_report.json":
            report = json.loads(path.read_text())
            scores[path.name.removesuffix("_report.json")] = round(report["weighted avg"]["f1-score"], 4)
    return scores


def run(name: str) -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as folder:
        config_path = Path(folder) / "config.yml"
        config_path.write_text(yaml.safe_dump(variant_config(VARIANTS[name])))
        command = [sys.executable, "-m", "rasa", "train", "nlu", "--config", str(config_path)]
        command += ["--nlu", str(ROOT / "nlu_data"), "--out", folder, "--fixed-model-name", "variant"]
        started = time.perf_counter()
        subprocess.run(command, cwd=ROOT, env=environment(), check=True, capture_output=True)
        seconds = time.perf_counter() - started
        predictions = predict(Path(folder) / "variant.tar.gz", Path(folder) / "report")
        entities = entity_f1(Path(folder) / "report")
    scores = {str(t): score(predictions, t) for t in THRESHOLDS}
    return {
        "train_nlu_seconds": round(seconds, 1),
        "entity_weighted_f1": entities,
        "by_threshold": {
            t: {k: s[k] for k in ("macro_f1", "accuracy", "out_of_scope_answered_rate")} for t, s in scores.items()
        },
    }


def main(names: list[str]) -> None:
    results = json.loads(RESULTS.read_text()) if RESULTS.exists() else {}
    for name in names or list(VARIANTS):
        results[name] = {"changes": VARIANTS[name], **run(name)}
        print(name, json.dumps(results[name]["train_nlu_seconds"]), json.dumps(results[name]["by_threshold"]))
        RESULTS.parent.mkdir(exist_ok=True)
        RESULTS.write_text(json.dumps(results, indent=2))


if __name__ == "__main__":
    main(sys.argv[1:])
