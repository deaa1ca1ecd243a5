"""Score a trained model on a held-out NLU set the way founders experience it.

Each held-out message is parsed by the model as Rasa's server parses it (a
child process, ``python -m bot.evaluation``, loads it with ``rasa.core.agent``).
The classifier's top intent is kept even below the FallbackClassifier's
threshold, and the scores apply a threshold to it: an in-scope message under
it is a miss (a founder gets the fallback answer), an out-of-scope one is not
"answered". Used by the test suite (the quality gate) and by bench/ (choosing
the threshold and the config).

Not `rasa test nlu`: on 1,300 messages it spent minutes deep-copying each
parsed message (spaCy documents and sparse features) to undo the fallback.
"""

from __future__ import annotations

import asyncio
import json
import logging
import subprocess
import sys
from collections import Counter
from pathlib import Path
from typing import Any

import yaml
from sklearn.metrics import precision_recall_fscore_support

from bot.settings import REPO_ROOT, environment

#: The held-out sets, one file per language (tests/nlu/<language>.yml); `rasa test nlu` reads the folder.
TEST_SET = REPO_ROOT / "tests" / "nlu"
NOT_ANSWERED = {"out_of_scope", "nlu_fallback"}


def configured_threshold(config: Path = REPO_ROOT / "config.yml") -> float:
    pipeline = yaml.safe_load(config.read_text())["pipeline"]
    return float(next(c["threshold"] for c in pipeline if c["name"] == "FallbackClassifier"))


def test_set_languages(test_set: Path = TEST_SET) -> dict[str, str]:
    """Each held-out message (as a founder types it) -> the language of its file."""
    from rasa.shared.nlu.training_data.loading import load_data

    languages: dict[str, str] = {}
    for path in sorted(test_set.glob("*.yml")):
        for message in load_data(str(path)).training_examples:
            languages[message.get("text")] = path.stem
    return languages


def predict(model: Path, out: Path, test_set: Path = TEST_SET) -> list[dict[str, Any]]:
    """Every held-out prediction: text, language, gold intent and entities, top intent, entities found.

    Also written to ``out/predictions.json``.
    """
    out.mkdir(parents=True, exist_ok=True)
    command = [sys.executable, "-m", "bot.evaluation", str(model), str(out), str(test_set)]
    subprocess.run(command, cwd=REPO_ROOT, env=environment(), check=True, capture_output=True)
    return json.loads((out / "predictions.json").read_text(encoding="utf-8"))


def _parse_all(model: Path, test_set: Path) -> list[dict[str, Any]]:
    """Parse each held-out message with the model, in this process."""
    from rasa.core.agent import Agent
    from rasa.shared.nlu.training_data.loading import load_data

    from bot.normalization import normalize_text

    agent = Agent.load(str(model))
    languages = test_set_languages(test_set) if test_set.is_dir() else {}
    predictions = []

    async def parse_all() -> None:
        for example in load_data(str(test_set)).training_examples:
            text = example.get("text")
            parsed = await agent.parse_message(text)
            ranking = [i for i in parsed.get("intent_ranking") or [] if i["name"] != "nlu_fallback"]
            top = ranking[0] if ranking else parsed["intent"]
            gold_entities = [
                (e["entity"], normalize_text(text[e["start"] : e["end"]])) for e in example.get("entities") or []
            ]
            found = [
                (e["entity"], normalize_text(parsed["text"][e["start"] : e["end"]]))
                for e in parsed.get("entities") or []
            ]
            predictions.append(
                {
                    "text": text,
                    "language": languages.get(text),
                    "intent": example.get("intent"),
                    "intent_prediction": {"name": top["name"], "confidence": top["confidence"]},
                    "entities": sorted(set(gold_entities)),
                    "entities_predicted": sorted({e for e in found if e[0] != "language"}),
                }
            )

    asyncio.run(parse_all())
    return predictions


def score_by_language(predictions: list[dict[str, Any]], threshold: float) -> dict[str, Any]:
    """``score`` over every prediction ("all") and over each language's own."""
    languages = sorted({p["language"] for p in predictions if p.get("language")})
    scores = {"all": score(predictions, threshold)}
    scores.update({lang: score([p for p in predictions if p.get("language") == lang], threshold) for lang in languages})
    return scores


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
    gold_entities = sum(len(p.get("entities") or []) for p in predictions)
    found_entities = sum(len(p.get("entities_predicted") or []) for p in predictions)
    right_entities = sum(
        len({tuple(e) for e in p.get("entities") or []} & {tuple(e) for e in p.get("entities_predicted") or []})
        for p in predictions
    )
    answered = [(text, s) for text, s in oos if s not in NOT_ANSWERED]
    pairs = list(zip(gold, said, strict=True))
    return {
        "fallback_threshold": threshold,
        "examples": len(predictions),
        "macro_f1": round(float(f1.mean()), 4),
        "accuracy": round(sum(g == s for g, s in pairs) / len(pairs), 4),
        "out_of_scope_answered_rate": round(len(answered) / max(len(oos), 1), 4),
        "entity_f1": round(2 * right_entities / max(gold_entities + found_entities, 1), 4),
        "per_intent_f1": {i: round(float(v), 3) for i, v in zip(intents, f1, strict=True)},
        "confusions": [f"{g} -> {s}: {n}" for (g, s), n in Counter(pairs).most_common() if g != s],
        "out_of_scope_answered": answered,
    }


def detector_report(test_set: Path = TEST_SET) -> dict[str, dict[str, Any]]:
    """How ``bot.language.detect`` labels each held-out message, per language of its file.

    "abstained": no clear language (the conversation keeps its own); "wrong": another language.
    """
    from bot.language import detect

    outcomes: dict[str, Counter[str]] = {}
    mistakes: dict[str, list[str]] = {}
    for text, gold in test_set_languages(test_set).items():
        detection = detect(text)
        said = detection.language if detection else None
        outcome = "correct" if said == gold else "abstained" if said is None else "wrong"
        outcomes.setdefault(gold, Counter())[outcome] += 1
        if outcome == "wrong":
            mistakes.setdefault(gold, []).append(f"{text} -> {said}")
    report: dict[str, dict[str, Any]] = {}
    for language, counts in sorted(outcomes.items()):
        total = sum(counts.values())
        report[language] = {
            "messages": total,
            "accuracy": round(counts["correct"] / total, 4),
            "abstained_rate": round(counts["abstained"] / total, 4),
            "wrong_rate": round(counts["wrong"] / total, 4),
            "wrong": mistakes.get(language, []),
        }
    return report


def main(argv: list[str]) -> None:
    """``python -m bot.evaluation MODEL OUT [TEST_SET]``: write OUT/predictions.json."""
    logging.disable(logging.WARNING)
    model, out = Path(argv[0]), Path(argv[1])
    test_set = Path(argv[2]) if len(argv) > 2 else TEST_SET
    predictions = _parse_all(model, test_set)
    (out / "predictions.json").write_text(json.dumps(predictions, ensure_ascii=False, indent=1), encoding="utf-8")


if __name__ == "__main__":
    main(sys.argv[1:])
