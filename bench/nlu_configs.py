"""Measure NLU config variants: training time and held-out quality, one variant at a time.

    .venv/bin/python bench/nlu_configs.py [variant ...]

Each variant is Sanad's config.yml with a few settings changed; it is trained
(NLU only, on all four languages) into a temp folder and scored by bot.evaluation
on tests/nlu: per language at config.yml's fallback threshold, and over all
languages at several thresholds. Results go to bench/results/nlu_configs.json,
one entry per variant, so the choices in config.yml can be traced to a run.
Run variants one at a time on an otherwise idle machine: training seconds are
only comparable within such a run.
"""

from __future__ import annotations

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

from bot.evaluation import configured_threshold, predict, score, score_by_language  # noqa: E402
from bot.settings import environment  # noqa: E402

RESULTS = ROOT / "bench" / "results" / "nlu_configs.json"
THRESHOLDS = (0.3, 0.4, 0.5, 0.55, 0.6, 0.7, 0.8)

#: name -> {component name: {setting: value}} applied on top of config.yml; the key
#: "remove" lists components left out ("#char" names the character n-gram featurizer), "replace"
#: maps a component to the one that takes its place.
VARIANTS: dict[str, dict[str, Any]] = {
    "current": {},
    "e60": {"DIETClassifier": {"epochs": 60}},
    "e25": {"DIETClassifier": {"epochs": 25}},
    "e25_no_normalizer": {"DIETClassifier": {"epochs": 25}, "remove": ["bot.text_normalizer.TextNormalizer"]},
    "layers0_e40": {"DIETClassifier": {"epochs": 40, "number_of_transformer_layers": 0}},
    "e30_batch128": {"DIETClassifier": {"epochs": 30, "batch_size": [128, 512]}},
    "e20": {"DIETClassifier": {"epochs": 20}},
    "e20_lr2": {"DIETClassifier": {"epochs": 20, "learning_rate": 0.002}},
    "e25_t64": {"DIETClassifier": {"epochs": 25, "transformer_size": 64}},
    # Two sparse matrices less for DIET to batch per example and epoch; the CRF also loses the
    # lookup tables' matches (its "pattern" feature comes from RegexFeaturizer).
    "e25_lean": {"DIETClassifier": {"epochs": 25}, "remove": ["RegexFeaturizer", "LexicalSyntacticFeaturizer"]},
    # Issue 13: a train under 5 minutes. A linear classifier over the same features instead of DIET.
    "logreg": {"replace": {"DIETClassifier": {"name": "LogisticRegressionClassifier", "max_iter": 300}}},
    "e25_char3000": {"CountVectorsFeaturizer#char": {"max_features": 3000}},
    "e15": {"DIETClassifier": {"epochs": 15}},
}


def variant_config(changes: dict[str, Any]) -> dict[str, Any]:
    config = yaml.safe_load((ROOT / "config.yml").read_text())
    pipeline = []
    for component in config["pipeline"]:
        key = component["name"] + ("#char" if component.get("analyzer") == "char_wb" else "")
        if key in changes.get("replace", {}):
            pipeline.append(changes["replace"][key])
        elif key not in changes.get("remove", []):
            pipeline.append({**component, **changes.get(key, {})})
    return {**config, "pipeline": pipeline}


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
    languages = score_by_language(predictions, configured_threshold())
    keys = ("examples", "macro_f1", "accuracy", "out_of_scope_answered_rate", "entity_f1")
    return {
        "train_nlu_seconds": round(seconds, 1),
        "by_language": {language: {k: s[k] for k in keys} for language, s in languages.items()},
        "by_threshold": {
            t: {k: s[k] for k in ("macro_f1", "accuracy", "out_of_scope_answered_rate")} for t, s in scores.items()
        },
    }


def main(names: list[str]) -> None:
    results = json.loads(RESULTS.read_text()) if RESULTS.exists() else {}
    for name in names or list(VARIANTS):
        results[name] = {"changes": VARIANTS[name], **run(name)}
        print(name, results[name]["train_nlu_seconds"], json.dumps(results[name]["by_language"]), flush=True)
        RESULTS.parent.mkdir(exist_ok=True)
        RESULTS.write_text(json.dumps(results, indent=2))


if __name__ == "__main__":
    main(sys.argv[1:])
