"""Choose the FallbackClassifier threshold by measurement: 3-fold cross-validation on the training data.

    .venv/bin/python bench/fallback_threshold.py

Runs `rasa test nlu --cross-validation` with Sanad's config on nlu_data/ (the
held-out tests/nlu set is not used, so the gate in the test suite stays an
honest check), then scores the pooled fold predictions at each threshold with
bot.evaluation. The chosen threshold is the one with the best macro-F1 among
those that answer at most 10 % of out-of-scope messages. Results go to
bench/results/fallback_threshold.json.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bot.evaluation import score  # noqa: E402
from bot.settings import environment  # noqa: E402

RESULTS = ROOT / "bench" / "results" / "fallback_threshold.json"
THRESHOLDS = [round(0.3 + 0.05 * i, 2) for i in range(13)]
MAX_OUT_OF_SCOPE_ANSWERED = 0.10


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        command = [sys.executable, "-m", "rasa", "test", "nlu", "--cross-validation", "--folds", "3"]
        command += ["--config", str(ROOT / "config.yml"), "--nlu", str(ROOT / "nlu_data")]
        command += ["--out", folder, "--successes", "--no-plot"]
        subprocess.run(command, cwd=ROOT, env=environment(), check=True, capture_output=True)
        predictions = []
        for name in ("intent_successes.json", "intent_errors.json"):
            predictions += json.loads((Path(folder) / name).read_text())
    sweep = {}
    for threshold in THRESHOLDS:
        result = score(predictions, threshold)
        sweep[threshold] = {k: result[k] for k in ("macro_f1", "accuracy", "out_of_scope_answered_rate")}
        print(threshold, sweep[threshold])
    allowed = [t for t in THRESHOLDS if sweep[t]["out_of_scope_answered_rate"] <= MAX_OUT_OF_SCOPE_ANSWERED]
    chosen = max(allowed, key=lambda t: sweep[t]["macro_f1"]) if allowed else max(THRESHOLDS)
    RESULTS.parent.mkdir(exist_ok=True)
    RESULTS.write_text(json.dumps({"examples": len(predictions), "chosen": chosen, "sweep": sweep}, indent=2))
    print(f"chosen threshold: {chosen}")


if __name__ == "__main__":
    main()
