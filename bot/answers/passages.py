"""The catalog cut into passages: one answerable piece each, with what it is about and what it answers.

A passage is one program field ("programs/plug-and-play-accelerator/duration"),
one key fact, one organization, one financing offer, one event or one site. Its
key is the label the question bank uses. A program field the catalog leaves
empty is a passage too, marked ``held = False``: asked for, it is how Sanad
knows to say "our sources do not state it" rather than show a neighbouring fact.
Aspects no catalog field holds (price, contact, equity, the next call…) are one
such passage each, about no subject in particular.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.answers.cues import NO_FIELD, text_aspects
from bot.catalog.models import Event, Financing, KeyFact, Organization, Program, Site, Source
from bot.vocabulary import fold, label

#: Program fields a founder asks about one by one, and the aspects each answers.
PROGRAM_FIELDS: dict[str, frozenset[str]] = {
    "summary": frozenset({"summary"}),
    "organizations": frozenset({"organizations", "leader"}),
    "duration": frozenset({"duration"}),
    "capacity": frozenset({"capacity", "count"}),
    "location": frozenset({"location"}),
    "benefits": frozenset({"benefits"}),
    "how_to_apply": frozenset({"how_to_apply"}),
    "deadline": frozenset({"deadline"}),
    "status": frozenset({"status"}),
    "sectors": frozenset({"sectors"}),
    "criteria": frozenset({"criteria", "target"}),
}
#: Fields that may be empty: asked for then, the answer is "not in our sources".
OPTIONAL_FIELDS = ("duration", "capacity", "location", "how_to_apply", "deadline", "status", "criteria", "sectors")
#: A fact's topic -> the aspects it answers (besides "count" when it holds a figure).
TOPIC_ASPECTS: dict[str, frozenset[str]] = {
    "figures": frozenset({"figures"}),
    "sites": frozenset({"sites"}),
    "roadmap": frozenset({"roadmap"}),
    "partners": frozenset({"organizations", "figures"}),
    "agreements": frozenset({"signatories", "organizations"}),
    "strategy": frozenset({"strategy"}),
    "ecosystem": frozenset({"fundraising", "figures"}),
    "target": frozenset({"target", "criteria", "location"}),
    "contact": frozenset({"contact"}),
}


@dataclass(frozen=True)
class Passage:
    """One answerable piece of the catalog (or a known gap in it)."""

    key: str
    kind: str  # program_field | fact | organization | financing | event | site | gap
    aspects: frozenset[str]
    subjects: frozenset[str]  # what it is about: "program:<id>", "org:<id>", "site:<id>", "event:<id>"
    texts: tuple[str, ...]  # what it says, in each catalog language, for the search
    row: Any = field(compare=False)
    field: str | None = None
    held: bool = True
    mentions: frozenset[str] = frozenset()  # subjects its text names besides (a fact on GITEX names UM6P)
    title: tuple[str, ...] = ()  # searched with its texts, never quoted: a field's program name ("hébergement")

    @property
    def source(self) -> Source | None:
        return getattr(self.row, "source", None)

    @functools.cached_property
    def folded(self) -> str:
        """Its texts folded, between spaces: what a year or a city of the question is looked for in."""
        return f" {fold(' '.join(self.texts))} "


def localized_texts(value: Any) -> list[str]:
    """Every language's text of a localized value, or of a list of them."""
    if not value:
        return []
    if isinstance(value, dict):
        return [text for text in value.values() if text]
    if isinstance(value, list):
        return [text for item in value for text in localized_texts(item)]
    return [str(value)]


YEAR = re.compile(r"(?<!\d)(?:19|20)\d\d(?!\d)")
_NUMBER = re.compile(r"\d+")


def _number_aspects(texts: Iterable[str]) -> set[str]:
    """A sentence with a year answers "when"; with another number, "how many"."""
    joined = " ".join(texts)
    years = set(YEAR.findall(joined))
    others = [n for n in _NUMBER.findall(joined) if n not in years]
    return ({"status"} if years else set()) | ({"count"} if others else set())


def _said(texts: Iterable[str]) -> frozenset[str]:
    """Aspects a row speaks to by its own words (never "what is" or "who": every row would)."""
    found = set().union(*(text_aspects(t) for t in texts))
    return frozenset(found - {"summary", "who"})


def program_passages(program: Program) -> list[Passage]:
    operators = {f"org:{link.organization_id}" for link in program.organizations if link.role == "operator"}
    subject = frozenset({f"program:{program.id}"} | operators)
    values: dict[str, list[str]] = {
        "summary": localized_texts(program.summary),
        "organizations": [t for link in program.organizations for t in localized_texts(link.organization.name)],
        "duration": localized_texts(program.duration),
        "capacity": localized_texts(program.capacity),
        "location": localized_texts(program.location) + localized_texts(program.site.name if program.site else None),
        "benefits": localized_texts(program.benefits),
        "how_to_apply": localized_texts(program.how_to_apply),
        "deadline": [program.deadline.isoformat()] if program.deadline else [],
        "status": localized_texts(program.status),
        "sectors": [label("sector", s, lang) for s in program.tag_values("sector") for lang in ("fr", "en", "ar")],
        "criteria": [criterion.quote for criterion in program.criteria],
    }
    title = tuple(localized_texts(program.name))
    passages = []
    for name, aspects in PROGRAM_FIELDS.items():
        texts = values[name]
        if not texts and name not in OPTIONAL_FIELDS:
            continue
        key = f"programs/{program.id}/{name}"
        passages.append(
            Passage(key, "program_field", aspects, subject, tuple(texts), program, name, bool(texts), title=title)
        )
    return passages


def gaps() -> list[Passage]:
    """What no catalog field holds (a price, a contact, the next call…): the same gap whoever is asked about."""
    return [
        Passage(f"absent/{aspect}", "gap", frozenset({aspect}), frozenset(), (), None, aspect, False)
        for aspect in NO_FIELD
    ]


def fact_passage(fact: KeyFact, mentions: frozenset[str]) -> Passage:
    texts = tuple(localized_texts(fact.text))
    aspects = TOPIC_ASPECTS.get(fact.topic, frozenset()) | _said(texts) | _number_aspects(texts)
    subjects = frozenset({f"org:{fact.organization_id}"} if fact.organization_id else set())
    return Passage(f"facts/{fact.id}", "fact", frozenset(aspects), subjects, texts, fact, mentions=mentions - subjects)


def build(session: Session, mentions_of: Any) -> list[Passage]:
    """Every passage of the catalog in ``session``; ``mentions_of(text)`` names the subjects a text mentions."""

    def mentioned(*values: Any) -> frozenset[str]:
        return frozenset(s for value in values for text in localized_texts(value) for s in mentions_of(text))

    passages: list[Passage] = []
    for program in session.scalars(select(Program).order_by(Program.id)):
        passages += program_passages(program)
    for fact in session.scalars(select(KeyFact).order_by(KeyFact.id)):
        passages.append(fact_passage(fact, mentioned(fact.text)))
    for org in session.scalars(select(Organization).order_by(Organization.id)):
        texts = tuple(localized_texts(org.name) + localized_texts(org.description))
        aspects = frozenset({"summary", "who", "leader"})
        passages.append(
            Passage(f"organizations/{org.id}", "organization", aspects, frozenset({f"org:{org.id}"}), texts, org)
        )
    for offer in session.scalars(select(Financing).order_by(Financing.id)):
        # about its organization; its program is named in passing (CDG Invest's offer is not Glovo's benefits)
        subjects = {f"org:{offer.organization_id}"}
        linked = frozenset({f"program:{offer.program_id}"} if offer.program_id else set())
        texts = tuple(localized_texts(offer.name) + localized_texts(offer.description))
        # "what is CDG Invest?": its offer says more than its bare name when the catalog describes it no further
        described = offer.organization.description
        aspects = {"financing", "summary"} - ({"summary"} if described else set()) | (
            {"sectors"} if offer.sectors else set()
        )
        passages.append(
            Passage(
                f"financing/{offer.id}",
                "financing",
                frozenset(aspects) | _said(texts),
                frozenset(subjects),
                texts,
                offer,
                mentions=linked | mentioned(offer.description) - subjects,
            )
        )
    for event in session.scalars(select(Event).order_by(Event.id)):
        texts = tuple(localized_texts(event.name) + localized_texts(event.when) + localized_texts(event.description))
        subjects = frozenset({f"event:{event.id}"} | {f"org:{o}" for o in event.organizations})
        upcoming = {"upcoming"} if event.starts_on and event.starts_on >= dt.date.today() else set()
        aspects = frozenset({"events", "status"} | upcoming) | _said(texts)
        passages.append(
            Passage(
                f"events/{event.id}",
                "event",
                aspects,
                subjects,
                texts,
                event,
                mentions=mentioned(event.description) - subjects,
            )
        )
    for site in session.scalars(select(Site).order_by(Site.id)):
        texts = tuple(localized_texts(site.name) + localized_texts(site.description))
        subjects = frozenset({f"site:{site.id}", "org:technopark"})
        aspects = frozenset({"sites", "location"})
        passages.append(
            Passage(
                f"sites/{site.id}",
                "site",
                aspects,
                subjects,
                texts,
                site,
                mentions=mentioned(site.description) - subjects,
            )
        )
    return passages + gaps()
