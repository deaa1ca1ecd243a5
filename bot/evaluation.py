"""Score a trained model on a held-out NLU set the way founders experience it.

`rasa test nlu` reports the classifier's top intent even below the
FallbackClassifier's threshold; a founder gets the fallback answer there. So
the scores here apply a threshold to each prediction: an in-scope message
under it is a miss, an out-of-scope one is not "answered". Used by the test
suite (the quality gate) and by bench/ (choosing the threshold and the config).
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections import Counter
from pathlib import Path
from typing import Any

import yaml
from sklearn.metrics import precision_recall_fscore_support

from bot.settings import REPO_ROOT, environment

TEST_SET = REPO_ROOT / "tests" / "nlu" / "test_nlu.yml"
NOT_ANSWERED = {"out_of_scope", "nlu_fallback"}


def configured_threshold(config: Path = REPO_ROOT / "config.yml") -> float:
    pipeline = yaml.safe_load(config.read_text())["pipeline"]
    return float(next(c["threshold"] for c in pipeline if c["name"] == "FallbackClassifier"))


def predict(model: Path, out: Path, test_set: Path = TEST_SET) -> list[dict[str, Any]]:
    """Run `rasa test nlu`; return every prediction (text, gold intent, top intent, confidence)."""
    command = [sys.executable, "-m", "rasa", "test", "nlu", "--nlu", str(test_set), "--model", str(model)]
    command += ["--out", str(out), "--successes", "--no-plot"]
    subprocess.run(command, cwd=REPO_ROOT, env=environment(), check=True, capture_output=True)
    predictions: list[dict[str, Any]] = []
    for name in ("intent_successes.json", "intent_errors.json"):
        predictions += json.loads((out / name).read_text())
    return predictions


def score(predictions: list[dict[str, Any]], threshold: float) -> dict[str, Any]:
    """Macro-F1 over the test intents, accuracy and out-of-scope answered rate at ``threshold``."""
    gold = [p["intent"] for p in predictions]
    said = [
        p["intent_prediction"]["name"] if p["intent_prediction"]["confidence"] >= threshold else "nlu_fallback"
        for p in predictions
    ]
    intents = sorted(set(gold))
    _, _, f1, _ = precision_recall_fscore_support(gold, said, labels=intents, zero_division=0)
    oos = [(p["text"], s) for p, g, s in zip(predictions, gold, said, strict=True) if g == "out_of_scope"]
    answered = [(text, s) for text, s in oos if s not in NOT_ANSWERED]
    pairs = list(zip(gold, said, strict=True))
    return {
        "fallback_threshold": threshold,
        "examples": len(predictions),
        "macro_f1": round(float(f1.mean()), 4),
        "accuracy": round(sum(g == s for g, s in pairs) / len(pairs), 4),
        "out_of_scope_answered_rate": round(len(answered) / max(len(oos), 1), 4),
        "per_intent_f1": {i: round(float(v), 3) for i, v in zip(intents, f1, strict=True)},
        "confusions": [f"{g} -> {s}: {n}" for (g, s), n in Counter(pairs).most_common() if g != s],
        "out_of_scope_answered": answered,
    }
