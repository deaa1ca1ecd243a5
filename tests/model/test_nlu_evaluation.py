"""Quality gate on the held-out NLU sets (tests/nlu/<language>.yml), scored by bot.evaluation per language.

Every language must reach intent macro-F1 0.90 and answer at most 15 % of its own
out-of-scope messages (35 to 40 a language: one message is about 3 %); all languages
together at most 10 %. Report in var/reports/nlu/summary.json.
"""

from __future__ import annotations

import json
from pathlib import Path

from bot.evaluation import configured_threshold, predict, score_by_language
from bot.language import LANGUAGES
from tests.model.conftest import REPORTS


def test_held_out_intents_in_every_language(model: Path) -> None:
    out = REPORTS / "nlu"
    scores = score_by_language(predict(model, out), configured_threshold())
    (out / "summary.json").write_text(json.dumps(scores, indent=2, ensure_ascii=False))
    keys = ("examples", "macro_f1", "accuracy", "out_of_scope_answered_rate", "entity_f1")
    print(json.dumps({language: {k: s[k] for k in keys} for language, s in scores.items()}))
    assert set(scores) >= set(LANGUAGES), sorted(scores)
    assert scores["all"]["out_of_scope_answered_rate"] <= 0.10, scores["all"]["out_of_scope_answered"]
    for language in LANGUAGES:
        assert scores[language]["macro_f1"] >= 0.90, (language, scores[language]["confusions"][:15])
        assert scores[language]["out_of_scope_answered_rate"] <= 0.15, (
            language,
            scores[language]["out_of_scope_answered"],
        )
