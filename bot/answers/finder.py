"""From a founder's question to the catalog passages that answer it, or to an honest "not in our sources".

The flow for one question:

1. **Subjects**: the programs and organizations it names (:mod:`bot.answers.names`,
   plus the program the NLU extracted); if none, the program the conversation is
   about (a follow-up: "et ça dure combien ?").
2. **Aspects**: what it asks about, from its phrases (:mod:`bot.answers.cues`)
   and, as a hint, from the intent Rasa classified.
3. **Words**: what is left once names and aspect phrases are taken out.
4. **Ranking**: every passage gets its BM25 score on those words, plus a bonus
   when it is about a subject and when it holds an asked aspect, minus a penalty
   when it is about another subject.
5. **Decision**: the best passage answers if an asked aspect or enough of the
   words back it. If it is a gap of the catalog (a field left empty, a price…),
   the answer is "absent". A named subject with nothing specific asked gets its
   overview; with something asked that nothing backs, the aspects Sanad does hold
   are offered (clarify). Nothing recognised: no answer, Rasa's own reply stands.

Weights and thresholds are measured on the development questions
(``bench/answers.py``), never on the question bank that gates the tests.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from dataclasses import dataclass, field, replace

from bot.answers.cues import asking_where, split_cues
from bot.answers.index import Hit, Index, example_target
from bot.answers.passages import YEAR, Passage
from bot.answers.words import terms
from bot.vocabulary import VOCABULARY, fold, with_clitics

#: The aspects an intent of the NLU model hints at (the model saw thousands of phrasings).
INTENT_ASPECTS: dict[str, frozenset[str]] = {
    "ask_capacity": frozenset({"capacity", "count"}),
    "ask_duration": frozenset({"duration"}),
    "ask_location": frozenset({"location"}),
    "ask_benefits": frozenset({"benefits"}),
    "ask_how_to_apply": frozenset({"how_to_apply"}),
    "ask_deadline": frozenset({"deadline"}),
    "ask_partners": frozenset({"organizations"}),
    "program_details": frozenset({"summary"}),
    "ask_e_technopark": frozenset({"summary"}),
    "about_technopark": frozenset({"summary"}),
    "ask_sites": frozenset({"sites"}),
    "ask_events": frozenset({"events"}),
    "ask_contact": frozenset({"contact"}),
    "ask_financing": frozenset({"financing"}),
}
#: Subjects an intent names by itself.
INTENT_SUBJECTS: dict[str, frozenset[str]] = {
    "ask_e_technopark": frozenset({"program:e-technopark"}),
    "about_technopark": frozenset({"org:technopark"}),
    "ask_sites": frozenset({"org:technopark"}),
}


#: What each feature of a candidate passage adds to its score (set on the development questions; a logistic
#: regression fitted on the example questions ranked worse: 0.754 against 0.797 answer accuracy on them).
RANKING: dict[str, float] = {
    "words": 4.0,  # BM25 of the question's words on the passage's text, saturating (0..1)
    "example": 12.0,  # similarity of the question to the passage's closest example question (0..1)
    "subject": 3.0,  # share of the question's names the passage is about
    "mention": 1.5,  # share of them it only mentions in passing (a fact on GITEX names UM6P)
    "conflict": -3.0,  # it is about something the question does not name
    "gap_named": 3.0,  # a gap of the catalog (a price…), asked about something named: true of anything
    "aspect": 3.0,  # share of the asked aspects it holds
    "lacking": -3.0,  # share of the asked specific aspects it does not hold
}


@dataclass(frozen=True)
class Weights:
    """The finder's knobs (measured by ``bench/answers.py`` on the development questions)."""

    ranking: dict[str, float] = field(default_factory=lambda: dict(RANKING))
    saturation: float = 4.0  # the BM25 score at which "words" is half-way to 1
    hint: float = 0.5  # share of an aspect's weight when only the intent suggests it
    hint_confidence: float = 2.0  # intents below this hint at nothing: measured, hints cost more than they give
    example_backs: float = 0.5  # the similarity to an example that backs an answer on its own
    margin: float = 0.0  # how far the best passage must lead the best one of another row, or Sanad asks
    coverage: float = 0.5  # share of the question's words a passage must hold without an asked aspect
    free_coverage: float = 0.6  # the same, when the question names no subject at all
    unknown: float = 0.5  # a question that names nothing may not be half words the catalog never uses
    ties: float = 1.0  # passages of other rows within this of the best score are shown beside it
    shown: int = 1  # how many may be shown beside it


#: A question is read on its first characters: founders' questions are short, a pasted page is not one.
LONGEST = 600
#: Aspects that say little on their own ("combien", "quand", "qui"): half the weight of the others.
GENERIC_ASPECTS = frozenset(
    {"count", "status", "summary", "details", "who", "organizations", "financing", "figures", "leader"}
)
#: Aspects that ask for a subject as a whole ("c'est quoi", "parle-moi de", "qui est").
OVERVIEW = frozenset({"summary", "details", "who"})
#: Kinds of passages, preferred in this order when two score alike.
KIND_ORDER = ("program_field", "fact", "financing", "organization", "event", "site", "gap")


@dataclass(frozen=True)
class Question:
    text: str
    intent: str | None = None
    confidence: float = 0.0
    programs: tuple[str, ...] = ()
    context: str | None = None


@dataclass(frozen=True)
class Answer:
    """What the catalog says to a question.

    ``kind``: "facts" (``passages`` answer it; for a subject named with nothing specific asked, its
    overview), "absent" (the catalog lacks ``aspect`` for ``subject``), "clarify" (``subject`` named,
    what was asked is not recognised), "which" (``aspect`` asked, no program named or in context), "view"
    (a general question: ``aspect`` is the intent of the list to show) or "none".
    """

    kind: str
    passages: tuple[Passage, ...] = ()
    subject: str | None = None
    aspect: str | None = None
    scores: dict[str, float] = field(default_factory=dict, compare=False)
    asked: str | None = None  # for aspect "constraint": the year or city ("city:agadir") the catalog never names


@dataclass(frozen=True)
class Reading:
    """A question as the finder reads it."""

    groups: tuple[frozenset[str], ...]  # each name found -> the subjects it names
    explicit: bool  # named in the question (not only the conversation's program)
    aspects: dict[str, float]  # asked aspect -> weight (hinted ones weigh less)
    cued: frozenset[str]  # the aspects its own words ask (not only hinted by the intent)
    words: list[str]
    unknown: float  # share of the words the catalog never uses
    constraints: tuple[tuple[str, frozenset[str]], ...]  # years and cities it names ("city:agadir", its
    # spellings): the answer must name them too
    similar: dict[str, float]  # example target -> how close the question is to its closest example

    @property
    def subjects(self) -> frozenset[str]:
        return frozenset().union(*self.groups)


class Finder:
    def __init__(self, index: Index, weights: Weights | None = None) -> None:
        self.index = index
        self.weights = weights or Weights()

    def read(self, question: Question) -> Reading:
        weights = self.weights
        question = replace(question, text=question.text[:LONGEST])
        mentions = self.index.names.find(asking_where(question.text))
        groups = list(mentions.groups) + [frozenset({f"program:{p}"}) for p in question.programs if p]
        hinted: frozenset[str] = frozenset()
        if question.intent and question.confidence >= weights.hint_confidence:
            hinted = INTENT_ASPECTS.get(question.intent, frozenset())
            if question.intent in INTENT_SUBJECTS:
                groups.append(INTENT_SUBJECTS[question.intent])
        explicit = bool(groups)
        if not groups and question.context:
            groups = [frozenset({f"program:{question.context}"})]
        groups = [group | {p for s in group for p in self.index.primary.get(s, ())} for group in groups]
        cued, rest = split_cues(mentions.rest)
        if any(aspect not in GENERIC_ASPECTS for aspect in cued):
            cued = {a: n for a, n in cued.items() if a not in ("summary", "who")}  # "what's the deadline"
        words = terms(rest)
        if any(self.index.known(w) for w in words):
            cued = {a: n for a, n in cued.items() if a not in ("summary", "who")}  # "c'est quoi le rôle de…"
        aspects = {aspect: _aspect_weight(aspect, hits) for aspect, hits in cued.items()}
        for aspect in hinted - set(cued):
            aspects[aspect] = weights.hint * _aspect_weight(aspect)
        unknown = sum(1 for w in words if not self.index.known(w)) / len(words) if words else 0.0
        constraints = tuple((y, frozenset({y})) for y in YEAR.findall(question.text)) + cities_in(question.text)
        similar = self.index.examples.similarity(mentions.rest)
        return Reading(
            tuple(dict.fromkeys(groups)), explicit, aspects, frozenset(cued), words, unknown, constraints, similar
        )

    def find(self, question: Question) -> Answer:
        reading = self.read(question)
        subject = self._main_subject(reading)
        known = [w for w in reading.words if self.index.known(w)]
        view = _view(reading, known)
        if view:
            return Answer("view", (), None, view)
        asks_details = "details" in reading.aspects and set(reading.aspects) <= OVERVIEW and len(known) <= 1
        if asks_details and subject and subject.startswith("program:"):
            return Answer("view", (), subject, "program_details")  # "parle-moi de PnP": its whole card
        ranked = sorted(self._scored(reading), key=lambda item: (-item[1], KIND_ORDER.index(item[0].passage.kind)))
        scores = {hit.passage.key: round(score, 2) for hit, score in ranked[:5]}
        best, best_score = ranked[0] if ranked else (None, 0.0)
        rival = (
            next((score for hit, score in ranked[1:] if _row_of(hit.passage) != _row_of(best.passage)), 0.0)
            if best
            else 0.0
        )
        if best is not None and best_score - rival >= self.weights.margin and self._backed(best, reading):
            if not best.passage.held:
                return Answer("absent", (best.passage,), subject, best.passage.field, scores)
            shown = [best.passage]
            for hit, score in ranked[1:]:
                if len(shown) > self.weights.shown or best_score - score > self.weights.ties:
                    break
                if (
                    hit.passage.held
                    and "program_field" not in (hit.passage.kind, best.passage.kind)
                    and _row_of(hit.passage) not in {_row_of(p) for p in shown}
                ):
                    shown.append(hit.passage)  # two facts close in score: both, each with its source
            return Answer("facts", tuple(shown), subject, None, scores)
        unmet = [
            name
            for name, forms in reading.constraints
            if not any(_holds(p, forms) for p in self.index.passages if p.held)
        ]
        if unmet and (subject or reading.aspects):
            return Answer("absent", (), subject, "constraint", scores, unmet[0])
        overview = self.overview(subject) if subject else None
        if overview and not reading.words and set(reading.aspects) <= OVERVIEW:
            return Answer("facts", (overview,), subject, None, scores)
        if subject:
            return Answer("clarify", (), subject, None, scores)
        if reading.aspects and not reading.words:
            return Answer("which", (), None, max(reading.aspects, key=reading.aspects.__getitem__), scores)
        return Answer("none", (), None, None, scores)

    def overview(self, subject: str) -> Passage | None:
        """What answers "what is <subject>?": a program's summary, an organization's description (or the
        summary of its program when the catalog describes it no further), an event, a site."""
        kind, _, ident = subject.partition(":")
        by_key = self.index.by_key
        if kind == "program":
            return by_key.get(f"programs/{ident}/summary")
        if kind == "org":
            org = by_key.get(f"organizations/{ident}")
            programs = self.index.primary.get(subject, ())
            if org is not None and (org.row.description or not programs):
                return org
            return by_key.get(f"programs/{programs[0].partition(':')[2]}/summary")
        return by_key.get(f"{kind}s/{ident}")

    def _scored(self, reading: Reading) -> Iterable[tuple[Hit, float]]:
        """Every passage that may answer, with its score (:data:`RANKING` on its features)."""
        ranking = self.weights.ranking
        for hit, features in self.candidates(reading):
            yield hit, sum(ranking[name] * value for name, value in features.items())

    def candidates(self, reading: Reading) -> Iterable[tuple[Hit, dict[str, float]]]:
        """The passages that may answer ``reading``, each with its features (the keys of :data:`RANKING`)."""
        weights = self.weights
        named = max(sum(self.index.subject_weight(group) for group in reading.groups), self.index.reference)
        asked = sum(reading.aspects.values())
        programs = frozenset(s for s in reading.subjects if s.startswith("program:"))
        for hit in self.index.search(reading.words):
            passage = hit.passage
            similar = reading.similar.get(example_target(passage), 0.0)
            if not passage.held and not passage.aspects & reading.cued and similar < weights.example_backs:
                continue  # a gap is an answer only to a question that asks about it in words, not a guessed intent
            if not passage.held and passage.kind == "program_field" and not (passage.subjects & programs):
                continue  # "no duration stated" is about that program only, not about its operators
            if passage.held and not all(_holds(passage, forms) for _, forms in reading.constraints):
                continue  # "GITEX 2026" is not answered by GITEX 2024, "à Tanger" not by Casablanca
            direct = sum(self.index.subject_weight(g) for g in reading.groups if g & passage.subjects) / named
            mention = (
                sum(
                    self.index.subject_weight(g)
                    for g in reading.groups
                    if g & passage.mentions and not g & passage.subjects
                )
                / named
            )
            held_aspects = sum(w for aspect, w in reading.aspects.items() if aspect in passage.aspects)
            lacking = sum(
                w for a, w in reading.aspects.items() if a not in GENERIC_ASPECTS and a not in passage.aspects
            )
            named_any = bool(reading.groups)
            gap = passage.kind == "gap"
            features = {
                "words": hit.bm25 / (hit.bm25 + weights.saturation),
                "example": similar,
                "subject": 0.0 if gap else direct,
                "mention": 0.0 if gap else mention,
                "conflict": float(named_any and not gap and not direct and not mention and bool(passage.subjects)),
                "gap_named": float(named_any and gap),
                "aspect": held_aspects / asked if asked else 0.0,
                "lacking": lacking / asked if asked else 0.0,
            }
            yield hit, features

    def _backed(self, hit: Hit, reading: Reading) -> bool:
        """Whether the question asked for what ``hit`` holds: an asked aspect, or enough of its words."""
        passage = hit.passage
        if passage.kind == "program_field" and not passage.subjects & reading.subjects:
            return False  # "ça dure combien ?" with no program named or in context: which program?
        about = passage.kind == "gap" or bool(passage.subjects & reading.subjects) or not passage.subjects
        close = reading.similar.get(example_target(passage), 0.0) >= self.weights.example_backs
        if close and (reading.groups or reading.cued) and about:
            return True  # asked like one of its examples, about what it is about
        if not reading.groups and reading.unknown >= self.weights.unknown:
            return False  # a question that names nothing of ours and is half words we never use
        if any(aspect in passage.aspects for aspect in reading.aspects) and (about or not reading.groups):
            return True
        known = sum(self.index.weight(t) for t in reading.words)
        if not known:
            return False
        coverage = sum(self.index.weight(t) for t in hit.matched) / known
        if reading.groups:
            return coverage >= self.weights.coverage
        return coverage >= self.weights.free_coverage

    def _main_subject(self, reading: Reading) -> str | None:
        """The subject the reply is about: the first program named, else the first organization."""
        for prefix in ("program:", "org:", "event:", "site:"):
            for group in reading.groups:
                for subject in sorted(group):
                    if subject.startswith(prefix):
                        return subject
        return None


#: A general question ("quels financements ?", "les sites du Technopark ?") -> the whole list it asks for.
VIEWS = {"financing": "ask_financing", "sites": "ask_sites", "events": "ask_events", "figures": "about_technopark"}


def _view(reading: Reading, known: list[str]) -> str | None:
    """The list a question asks for when it names nothing but Technopark, asks one list's aspect, and holds
    at most one other word the catalog uses ("quels financements existent ?"). The conversation's program
    does not narrow it: "y a-t-il un financement pour ma startup ?" after a program's card asks for all."""
    if len(known) > 1 or not reading.aspects or reading.constraints:
        return None
    if reading.explicit and any(group - {"org:technopark"} for group in reading.groups):
        return None
    asked = set(reading.aspects) - {"count", "summary", "who"}
    views = {VIEWS[a] for a in asked if a in VIEWS}
    return views.pop() if len(views) == 1 and len(asked) == 1 else None


@functools.lru_cache(maxsize=1)
def _city_forms() -> tuple[tuple[str, frozenset[str]], ...]:
    return tuple(
        (f"city:{canonical}", frozenset(fold(s) for s in (canonical, *with_clitics(surfaces))))
        for canonical, surfaces in VOCABULARY["city"].items()
    )


def cities_in(text: str) -> tuple[tuple[str, frozenset[str]], ...]:
    """The cities a question names ("city:agadir"), each with every way of writing it (a passage must use one)."""
    folded = f" {fold(text)} "
    return tuple((name, forms) for name, forms in _city_forms() if any(f" {f} " in folded for f in forms if len(f) > 2))


def _row_of(passage: Passage) -> str:
    """Fields of one program are one row; other passages are their own."""
    return "/".join(passage.key.split("/")[:2])


def _holds(passage: Passage, forms: frozenset[str]) -> bool:
    return any(form in passage.folded for form in forms)


def _aspect_weight(aspect: str, hits: int = 1) -> float:
    """A specific aspect weighs 1 (1.5 asked twice: "payant ? ça coûte combien ?"), a generic one 0.5."""
    return 0.5 if aspect in GENERIC_ASPECTS else min(1.0 + 0.5 * (hits - 1), 1.5)
