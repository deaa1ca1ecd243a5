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
THRESHOLDS = (0.3, 0.4, 0.5, 0.6, 0.7, 0.8)

#: name -> {component name: {setting: value}} applied on top of config.yml
VARIANTS: dict[str, dict[str, dict[str, Any]]] = {
    "current": {},
    "epochs40_batch128": {"DIETClassifier": {"epochs": 40, "batch_size": [128, 256]}},
    "no_transformer_e40": {
        "DIETClassifier": {"epochs": 40, "batch_size": [128, 256], "number_of_transformer_layers": 0}
    },
    "char3000_e40": {
        "DIETClassifier": {"epochs": 40, "batch_size": [128, 256]},
        "CountVectorsFeaturizer#char": {"max_features": 3000},
    },
}


def variant_config(changes: dict[str, dict[str, Any]]) -> dict[str, Any]:
    config = yaml.safe_load((ROOT / "config.yml").read_text())
    config = copy.deepcopy(config)
    for component in config["pipeline"]:
        key = component["name"] + ("#char" if component.get("analyzer") == "char_wb" else "")
        component.update(changes.get(key, {}))
    return config


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
    scores = {str(t): score(predictions, t) for t in THRESHOLDS}
    return {
        "train_nlu_seconds": round(seconds, 1),
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
