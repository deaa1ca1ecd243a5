"""The question bank and how a reply is scored against it: the reply, not the intent.

``tests/questions/bank/<language>.yml`` holds founders' questions written by people
who had not read ``nlu_data/``, each labelled with the catalog passage that answers
it (``programs/<id>/<field>``, ``facts/<id>``, ``organizations/<id>``,
``financing/<id>``, ``events/<id>``, ``sites/<id>``; a list when several rows state
the same fact), ``absent`` (the catalog does not hold the answer) or
``out_of_scope``. ``tests/questions/dev/`` is a second set, by other writers, used
to tune the answer finder; the bank gates the tests and is never tuned on.

A reply is scored on what the founder reads (:func:`judge`):

- **correct**: the first message carries the labelled passage's text or value in the
  founder's language, no other field of the same program, and at most
  ``FOCUSED`` catalog passages in all (an answer, not a dump of everything); a
  question about what a program is may get its whole card (its summary first);
- **wrong fact**: it presents catalog text as the answer, but not the labelled one
  (or presents a fact to a question about what the catalog lacks);
- **honest absence** (``absent``): "our sources do not state…" and an advisor offer;
- **out of scope answered** (``out_of_scope``): any catalog text, absence or
  "which program?" reply.
"""

from __future__ import annotations

import functools
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from actions.formatting import fact_value, localized
from actions.texts import TEXTS
from bot.answers.passages import Passage
from bot.settings import REPO_ROOT

QUESTIONS = REPO_ROOT / "tests" / "questions"
BANK = QUESTIONS / "bank"
DEV = QUESTIONS / "dev"
#: bank file -> the language Sanad answers it in (Darija in Arabic letters is answered in Arabic).
REPLY_LANGUAGE = {"fr": "fr", "en": "en", "ar": "ar", "ary-latn": "ary", "ary-arab": "ar"}
#: the four languages of the gate; both Darija scripts count as Darija
GATE_LANGUAGE = {"fr": "fr", "en": "en", "ar": "ar", "ary-latn": "ary", "ary-arab": "ary"}
FOCUSED = 3
#: Values shorter than this ("3 mois", a bare name) are checked when expected, not hunted for elsewhere.
SHORTEST_SEEN = 12
ABSENT, OUT_OF_SCOPE = "absent", "out_of_scope"
#: sentences that say the catalog does not hold something (their fixed beginning, every language)
_ABSENCE_KEYS = ("not_in_sources", "not_in_sources_general", "not_in_sources_named", "clarify")


@dataclass(frozen=True)
class Item:
    """One question of a bank file."""

    file: str
    question: str
    expect: tuple[str, ...]
    after: str | None = None

    @property
    def kind(self) -> str:
        if self.expect == (ABSENT,):
            return ABSENT
        if self.expect == (OUT_OF_SCOPE,):
            return OUT_OF_SCOPE
        return "answer"

    @property
    def language(self) -> str:
        return REPLY_LANGUAGE[self.file]


def load(folder: Path = BANK) -> list[Item]:
    items = []
    for path in sorted(folder.glob("*.yml")):
        for entry in yaml.safe_load(path.read_text(encoding="utf-8"))["questions"]:
            expect = entry["expect"] if isinstance(entry["expect"], list) else [entry["expect"]]
            items.append(Item(path.stem, str(entry["q"]), tuple(expect), entry.get("after")))
    return items


def value_text(passage: Passage, language: str) -> str:
    """What a reply must carry to answer with ``passage``: the field's value, the fact's text…"""
    row = passage.row
    if passage.kind == "program_field":
        return fact_value(row, passage.field or "summary", language) or ""
    if passage.kind == "fact":
        return localized(row.text, language) or ""
    return localized(row.description, language) or localized(row.name, language) or ""


def _squeeze(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip().lower()


@dataclass
class Judge:
    """Scores replies against the labels, with the catalog's passages (``bot.answers`` index)."""

    passages: dict[str, Passage]

    @functools.cached_property
    def _values(self) -> dict[str, dict[str, str]]:
        """language -> passage key -> squeezed value text (held passages only)."""
        return {
            language: {
                key: _squeeze(value_text(p, language))
                for key, p in self.passages.items()
                if p.held and p.kind != "gap" and value_text(p, language)
            }
            for language in ("fr", "en", "ar", "ary")
        }

    def found(self, text: str, language: str) -> set[str]:
        """Keys of the passages whose value ``text`` carries (values long enough to tell; a bare name is no fact)."""
        squeezed = _squeeze(text)
        return {
            key
            for key, value in self._values[language].items()
            if len(value) >= SHORTEST_SEEN and value in squeezed and not _name_only(self.passages[key])
        }

    def carries(self, text: str, key: str, language: str) -> bool:
        value = self._values[language].get(key)
        return bool(value) and value in _squeeze(text)

    def verdict(self, item: Item, replies: list[dict[str, Any]]) -> str:
        """correct | wrong | missed (answers); honest | wrong | dishonest (absent); answered | kept (out of scope)."""
        texts = [str(r.get("text") or "") for r in replies]
        first = texts[0] if texts else ""
        everything = "\n".join(texts)
        shown = self.found(first, item.language)
        absence = _says_absent(everything)
        if item.kind == OUT_OF_SCOPE:
            answered = bool(self.found(everything, item.language)) or absence or _asks_which(replies)
            return "answered" if answered else "kept"
        if item.kind == ABSENT:
            if shown and not absence:
                return "wrong"
            return "honest" if absence and _offers_advisor(replies) else "dishonest"
        expected = {key for key in item.expect if key in self.passages}
        same_row = {key for key in shown if _row(key) in {_row(e) for e in expected} and key not in expected}
        hit = any(self.carries(first, key, item.language) for key in expected)
        if hit and not same_row and len(shown - expected) < FOCUSED:
            return "correct"
        if any(key.endswith("/summary") and self.carries(first, key, item.language) for key in expected):
            return "correct"  # "what is X?" answered by X's card: the summary first, the details under it
        return "wrong" if shown and not absence else "missed"


def _name_only(passage: Passage) -> bool:
    return passage.kind == "organization" and not passage.row.description


def _row(key: str) -> str:
    """ "programs/x/duration" -> "programs/x": fields of one program are one row."""
    return "/".join(key.split("/")[:2])


def _says_absent(text: str) -> bool:
    heads = {_squeeze(v.split("{")[0]) for key in _ABSENCE_KEYS for v in TEXTS[key].values()}
    squeezed = _squeeze(text)
    return any(head and head in squeezed for head in heads)


def _offers_advisor(replies: list[dict[str, Any]]) -> bool:
    return any(b.get("payload") == "/request_advisor" for r in replies for b in r.get("buttons") or [])


def _asks_which(replies: list[dict[str, Any]]) -> bool:
    heads = {_squeeze(v) for v in TEXTS["which_program_for"].values()}
    return any(_squeeze(str(r.get("text") or "")) in heads for r in replies)


@dataclass
class Report:
    """Counts per bank file and per gate language."""

    verdicts: dict[str, Counter[str]] = field(default_factory=dict)
    failures: list[dict[str, Any]] = field(default_factory=list)

    def add(self, item: Item, verdict: str, replies: list[dict[str, Any]]) -> None:
        for group in dict.fromkeys((item.file, GATE_LANGUAGE[item.file], "all")):
            self.verdicts.setdefault(group, Counter())[f"{item.kind}:{verdict}"] += 1
        if verdict not in ("correct", "honest", "kept"):
            reply = "\n".join(str(r.get("text") or "") for r in replies)
            self.failures.append(
                {
                    "file": item.file,
                    "question": item.question,
                    "after": item.after,
                    "expect": list(item.expect),
                    "verdict": verdict,
                    "reply": reply[:600],
                }
            )

    def rates(self, group: str) -> dict[str, float]:
        c = self.verdicts.get(group, Counter())
        answers = sum(n for k, n in c.items() if k.startswith("answer:"))
        absent = sum(n for k, n in c.items() if k.startswith("absent:"))
        oos = sum(n for k, n in c.items() if k.startswith("out_of_scope:"))
        return {
            "questions": answers + absent + oos,
            "answer_accuracy": _rate(c["answer:correct"], answers),
            "wrong_fact_rate": _rate(c["answer:wrong"] + c["absent:wrong"], answers + absent),
            "honest_absence_rate": _rate(c["absent:honest"], absent),
            "out_of_scope_answered_rate": _rate(c["out_of_scope:answered"], oos),
        }

    def summary(self, groups: Iterable[str]) -> dict[str, dict[str, float]]:
        return {group: self.rates(group) for group in groups}


def _rate(part: int, whole: int) -> float:
    return round(part / whole, 4) if whole else 0.0
