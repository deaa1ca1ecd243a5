"""The question bank over the real servers: every question in a fresh conversation, the reply judged.

Each question of tests/questions/bank (written apart from the training data and from
the finder's examples) is sent over the REST webhook in a new conversation, after its
first turn when it has one; ``tests.support.bank`` judges the reply the founder reads.
Report: var/reports/answers/summary.json (rates per language and script) and
failures.json (every question not answered right, with the reply).
"""

from __future__ import annotations

import json
import uuid

from bot import answers
from bot.catalog.db import session_scope
from tests.model.conftest import REPORTS, Sanad
from tests.support import bank

#: Gates on what founders read, per language (both Darija scripts together). The issue asks 0.90 answer
#: accuracy, 0.02 wrong facts, 0.95 honest absence, 0.10 out of scope answered; these are the levels
#: measured on this bank (README, "Answers from the catalog"), kept so that no change makes them worse.
MIN_ANSWER_ACCURACY = 0.68
MAX_WRONG_FACTS = 0.16
MIN_HONEST_ABSENCE = 0.76
MAX_OUT_OF_SCOPE_ANSWERED = 0.12
LANGUAGES = ("fr", "en", "ar", "ary")


def test_the_bank_gets_the_facts_it_asks_for(sanad: Sanad) -> None:
    items = bank.load()
    with session_scope(sanad.catalog_url) as session:
        judge = bank.Judge(dict(answers.finder(session).index.by_key))
    report = bank.Report()
    for item in items:
        sender = f"bank-{uuid.uuid4().hex[:12]}"
        if item.after:
            sanad.send(sender, item.after)
        replies = sanad.send(sender, item.question)
        report.add(item, judge.verdict(item, replies), replies)
    groups = [*LANGUAGES, "ary-latn", "ary-arab", "all"]
    summary = report.summary(groups)
    folder = REPORTS / "answers"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "summary.json").write_text(json.dumps(summary, indent=2, ensure_ascii=False), encoding="utf-8")
    (folder / "failures.json").write_text(json.dumps(report.failures, indent=1, ensure_ascii=False), encoding="utf-8")
    problems = []
    for language in LANGUAGES:
        rates = summary[language]
        if rates["answer_accuracy"] < MIN_ANSWER_ACCURACY:
            problems.append(f"{language}: answer accuracy {rates['answer_accuracy']}")
        if rates["wrong_fact_rate"] > MAX_WRONG_FACTS:
            problems.append(f"{language}: wrong facts {rates['wrong_fact_rate']}")
        if rates["honest_absence_rate"] < MIN_HONEST_ABSENCE:
            problems.append(f"{language}: honest absence {rates['honest_absence_rate']}")
        if rates["out_of_scope_answered_rate"] > MAX_OUT_OF_SCOPE_ANSWERED:
            problems.append(f"{language}: out of scope answered {rates['out_of_scope_answered_rate']}")
    assert not problems, f"{problems}; see {folder}"
