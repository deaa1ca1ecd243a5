"""Quality gate on the held-out NLU set (tests/nlu), scored by bot.evaluation; report in var/reports/nlu."""

from __future__ import annotations

import json
from pathlib import Path

from bot.evaluation import configured_threshold, predict, score
from tests.model.conftest import REPORTS


def test_held_out_intents(model: Path) -> None:
    out = REPORTS / "nlu"
    summary = score(predict(model, out), configured_threshold())
    (out / "summary.json").write_text(json.dumps(summary, indent=2, ensure_ascii=False))
    print(json.dumps({k: summary[k] for k in ("macro_f1", "accuracy", "out_of_scope_answered_rate")}))
    assert summary["macro_f1"] >= 0.90, summary
    assert summary["out_of_scope_answered_rate"] <= 0.10, summary["out_of_scope_answered"]
