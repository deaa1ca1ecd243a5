"""A search index over the catalog's passages: BM25 on their words, the subjects they are about.

Built from the database in one pass (about 250 passages) and kept while the
catalog is unchanged: :func:`catalog_version` is one cheap query, so an edit
(a ``make catalog``, later the console) is picked up at the next question.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy
import yaml
from sklearn.feature_extraction.text import TfidfVectorizer
from sqlalchemy import literal, select, union_all
from sqlalchemy.orm import Session

from bot.answers import passages as passage_rows
from bot.answers.cues import asking_where, split_cues
from bot.answers.names import Names
from bot.answers.passages import Passage
from bot.answers.words import content, terms
from bot.catalog.models import Event, Financing, KeyFact, Organization, Program, Site, Source
from bot.vocabulary import fold

_TABLES = (Source, Organization, Site, Program, Financing, Event, KeyFact)
_K1 = 1.2
_B = 0.5


def catalog_version(session: Session) -> tuple[object, ...]:
    """Every catalog row's id and content hash, in one query: changes whenever the catalog does, and is the
    same for two databases loaded from the same files (so the index is not rebuilt for each)."""
    parts = [select(literal(table.__tablename__), table.id, table.content_hash) for table in _TABLES]
    return tuple(sorted(tuple(row) for row in session.execute(union_all(*parts))))


def _names(session: Session) -> Names:
    entries: list[tuple[str, str]] = []
    for program in session.scalars(select(Program)):
        subject = f"program:{program.id}"
        entries += [(name, subject) for name in (*program.name.values(), *program.aliases, program.id)]
    orgs = list(session.scalars(select(Organization)))
    # "UM6P", the first word of "UM6P Ventures", is UM6P's own acronym: a guessed form never takes another's own
    own = {fold(form): org.id for org in orgs for name in org.name.values() for form in _name_forms(name)[0]}
    for org in orgs:
        for name in org.name.values():
            forms = [form for part in _name_forms(name) for form in part]
            entries += [(form, f"org:{org.id}") for form in forms if own.get(fold(form), org.id) == org.id]
        entries.append((org.id.replace("-", " "), f"org:{org.id}"))
    for site in session.scalars(select(Site)):
        entries += [(name, f"site:{site.id}") for name in site.name.values()]
    for event in session.scalars(select(Event)):
        for name in event.name.values():
            entries += [(form, f"event:{event.id}") for part in _name_forms(name) for form in part]
    return Names.of(entries)


def _name_forms(name: str) -> tuple[list[str], list[str]]:
    """The forms a name spells out itself ("Technopark Morocco (MITC)": it, "Technopark Morocco", "MITC"), and
    the shorter ones guessed from it ("GITEX Africa 2024": "GITEX"; "Technopark …": "Technopark")."""
    own = [name]
    if "(" in name and name.endswith(")"):
        head, _, inner = name[:-1].partition("(")
        own += [head.strip(), inner.strip()]
    guessed = []
    words = name.split()
    if len(words) > 1 and words[0].isupper():
        guessed.append(words[0])
    if words and words[0].lower() == "technopark":
        guessed.append("Technopark")
    return own, guessed


def primary_programs(passages: Sequence[Passage]) -> dict[str, tuple[str, ...]]:
    """An organization's own programs: those it runs (with Technopark or not); Technopark's are too many."""
    primary: dict[str, list[str]] = {}
    for passage in passages:
        if passage.kind == "program_field" and passage.field == "summary":
            program = passage.row
            for link in program.organizations:
                if link.role == "operator" and link.organization_id != "technopark":
                    primary.setdefault(f"org:{link.organization_id}", []).append(f"program:{program.id}")
    return {org: tuple(sorted(programs)) for org, programs in primary.items()}


#: Examples of organizations teach "who is X?" for any of them, as a field's do for every program.
ORGANIZATION = "organization"


def example_target(passage: Passage) -> str:
    """The examples that teach a passage: a program field's are shared by every program, an organization's
    by every organization."""
    if passage.kind == "program_field":
        return f"field:{passage.field}"
    return ORGANIZATION if passage.kind == "organization" else passage.key


@dataclass(frozen=True)
class Hit:
    passage: Passage
    bm25: float
    matched: frozenset[str]


class Index:
    """Passages, their terms, and BM25 scores of a question's terms against them."""

    def __init__(self, passages: Sequence[Passage], names: Names) -> None:
        self.passages = list(passages)
        self.by_key = {passage.key: passage for passage in self.passages}
        self.docs = [Counter(terms(" ".join(p.texts + p.title))) for p in self.passages]
        self.lengths = [sum(doc.values()) for doc in self.docs]
        held = [length for length in self.lengths if length]
        self.average = sum(held) / len(held) if held else 1.0
        frequency: Counter[str] = Counter()
        for doc in self.docs:
            frequency.update(doc.keys())
        count = len(self.docs)
        self.idf = {term: math.log(1 + (count - df + 0.5) / (df + 0.5)) for term, df in frequency.items()}
        about = Counter(subject for p in self.passages for subject in p.subjects | p.mentions)
        self.subject_idf = {subject: math.log(1 + count / df) for subject, df in about.items()}
        programs = sorted(w for s, w in self.subject_idf.items() if s.startswith("program:"))
        #: what naming one program says: a question naming only "Technopark" says less
        self.reference = programs[len(programs) // 2] if programs else 1.0
        self.primary = primary_programs(self.passages)
        self.names = names.preferring(self.primary)
        self.examples = Examples(self.names)

    @classmethod
    def from_session(cls, session: Session) -> Index:
        names = _names(session)
        return cls(passage_rows.build(session, lambda text: names.find(text).subjects), names)

    def known(self, term: str) -> bool:
        """Whether the catalog uses ``term`` anywhere."""
        return term in self.idf

    def weight(self, term: str) -> float:
        """How much a term says: rare in the catalog says more; unknown to it, nothing."""
        return self.idf.get(term, 0.0)

    def subject_weight(self, subjects: frozenset[str]) -> float:
        """How much naming one of ``subjects`` says: "Technopark" is in everything, "Partech" in one fact."""
        return max((self.subject_idf.get(s, 0.0) for s in subjects), default=0.0)

    def search(self, query: list[str]) -> list[Hit]:
        """Every passage with its BM25 score for ``query`` and the query terms it holds."""
        hits = []
        for passage, doc, length in zip(self.passages, self.docs, self.lengths, strict=True):
            score = 0.0
            matched = set()
            for term in set(query):
                tf = doc.get(term, 0)
                if tf:
                    matched.add(term)
                    norm = _K1 * (1 - _B + _B * length / self.average)
                    score += self.idf[term] * tf * (_K1 + 1) / (tf + norm)
            hits.append(Hit(passage, score, frozenset(matched)))
        return hits


EXAMPLES = Path(__file__).parent / "data" / "examples"


class Examples:
    """Questions founders ask for each passage (``data/examples/<language>.yml``), to match a new one against.

    A question and the answer's own sentence rarely share words ("still alive after 5 years?" against
    "89% survival rate"); a question and another way of asking it often do. Names are taken out of
    both (the subject is matched apart), so "how long is PnP?" teaches the *duration* of any program.
    Similarity is the mean of two tf-idf cosines: on the words and aspects (``@duration``) of a text,
    and on the letters of its words ("ch7al"/"chhal", "sélectionnées"/"selection", Arabic affixes);
    the best example of each target counts.
    """

    def __init__(self, names: Names, folder: Path = EXAMPLES) -> None:
        self.names = names
        self.questions: list[str] = []
        self.targets: list[str] = []
        for path in sorted(folder.glob("*.yml")):
            data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
            for group, prefix in (("program-fields", "field:"), ("passages", ""), ("absent", "absent/")):
                for target, questions in (data.get(group) or {}).items():
                    for question in questions or []:
                        self.questions.append(str(question))
                        pooled = target.startswith("organizations/")
                        self.targets.append(ORGANIZATION if pooled else prefix + target)
        rests = [self.rest(question) for question in self.questions]
        self.words = TfidfVectorizer(analyzer=self.features, sublinear_tf=True)
        self.letters = TfidfVectorizer(analyzer="char_wb", ngram_range=(3, 5), sublinear_tf=True, min_df=2)
        self.word_matrix = self.words.fit_transform(rests) if rests else None
        self.letter_matrix = self.letters.fit_transform([content(r) for r in rests]) if rests else None
        self.names_of = sorted(set(self.targets))
        order = numpy.argsort([self.names_of.index(t) for t in self.targets], kind="stable")
        self._order = order
        sorted_targets = [self.targets[i] for i in order]
        self._starts = numpy.array([i for i, t in enumerate(sorted_targets) if i == 0 or t != sorted_targets[i - 1]])

    def rest(self, text: str) -> str:
        """The question without the names it holds, folded."""
        return self.names.find(asking_where(text)).rest

    def features(self, rest: str) -> list[str]:
        cued, _ = split_cues(rest)
        return terms(rest) + [f"@{aspect}" for aspect in cued]

    def similarity(self, rest: str) -> dict[str, float]:
        """target ("field:duration", "facts/…", "absent/cost") -> how close its closest example is to a question,
        given as ``rest``: the question without its names (:meth:`rest`)."""
        if self.word_matrix is None or self.letter_matrix is None:
            return {}
        by_words = (self.word_matrix @ self.words.transform([rest]).T).toarray().ravel()
        by_letters = (self.letter_matrix @ self.letters.transform([content(rest)]).T).toarray().ravel()
        best = numpy.maximum.reduceat(((by_words + by_letters) / 2)[self._order], self._starts)
        return {target: float(score) for target, score in zip(self.names_of, best, strict=True) if score > 0}
