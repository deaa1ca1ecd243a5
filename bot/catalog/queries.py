"""Questions the assistant asks the catalog. Every answer is a database row with its source.

The functions take an open Session so a caller (an action, a test, the
console) decides the transaction; none of them writes except
``save_advisor_request``.
"""

from __future__ import annotations

import datetime as dt
import difflib
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.catalog.models import AdvisorRequest, EligibilityCheck, Event, Financing, KeyFact, Organization, Program, Site
from bot.vocabulary import fold


@dataclass(frozen=True)
class ProgramSearch:
    """Programs whose source names the asked focus, and those whose source names none.

    A program with no stated sector is not "not for fintech": the source just
    does not say. Keeping the two lists apart lets the reply say so honestly.
    With no sector, stage or city asked, every program of the type is matching.
    """

    matching: list[Program]
    unstated: list[Program]


def all_programs(session: Session) -> list[Program]:
    return list(session.scalars(select(Program).order_by(Program.id)))


def search_programs(
    session: Session,
    program_type: str | None = None,
    sector: str | None = None,
    stage: str | None = None,
    city: str | None = None,
) -> ProgramSearch:
    """Programs of ``program_type`` whose focus matches every given sector/stage/city."""
    query = select(Program).order_by(Program.id)
    if program_type:
        query = query.where(Program.type == program_type)
    wanted = {kind: value for kind, value in (("sector", sector), ("stage", stage), ("city", city)) if value}
    matching: list[Program] = []
    unstated: list[Program] = []
    for program in session.scalars(query):
        verdicts = [_focus(program, kind, value) for kind, value in wanted.items()]
        if False in verdicts:
            continue
        (unstated if None in verdicts else matching).append(program)
    return ProgramSearch(matching, unstated)


def _focus(program: Program, kind: str, value: str) -> bool | None:
    """True if the program names ``value``, False if it names others, None if it names none."""
    values = program.tag_values(kind)
    if not values:
        return None
    return value in values


def get_program(session: Session, program_id: str) -> Program | None:
    return session.get(Program, program_id)


def find_program(session: Session, text: str | None) -> Program | None:
    """The program a founder named, by id, name or alias, tolerant of case, accents and typos."""
    if not text or not text.strip():
        return None
    programs = all_programs(session)
    by_id = {p.id: p for p in programs}
    if text in by_id:
        return by_id[text]
    names: dict[str, Program] = {}
    for program in programs:
        for name in [program.id, *program.name.values(), *program.aliases]:
            names[fold(name)] = program
    wanted = fold(text)
    if wanted in names:
        return names[wanted]
    contained = [name for name in names if len(name) > 3 and name in wanted]
    if contained:
        return names[max(contained, key=len)]
    close = difflib.get_close_matches(wanted, list(names), n=1, cutoff=0.8)
    return names[close[0]] if close else None


def list_financing(session: Session, stage: str | None = None, sector: str | None = None) -> list[Financing]:
    """Financing whose stated stages/sectors fit, plus those that state none (the source is silent); the
    offers whose kind the sources do not say come last."""
    unspecified = Financing.kind == "unspecified"
    rows = session.scalars(select(Financing).order_by(unspecified, Financing.id))
    return [
        row
        for row in rows
        if (not stage or not row.stages or stage in row.stages)
        and (not sector or not row.sectors or sector in row.sectors)
    ]


def key_facts(session: Session, topics: Sequence[str] = (), organization: str | None = None) -> list[KeyFact]:
    query = select(KeyFact).order_by(KeyFact.as_of.desc(), KeyFact.id)
    if topics:
        query = query.where(KeyFact.topic.in_(list(topics)))
    if organization:
        query = query.where(KeyFact.organization_id == organization)
    return list(session.scalars(query))


def organization(session: Session, organization_id: str) -> Organization | None:
    return session.get(Organization, organization_id)


def sites(session: Session) -> list[Site]:
    return list(session.scalars(select(Site).order_by(Site.id)))


def events(session: Session) -> list[Event]:
    return list(session.scalars(select(Event).order_by(Event.starts_on, Event.id)))


def upcoming(event: Event, today: dt.date | None = None) -> bool:
    """Whether an event has a known date that is still ahead."""
    return event.starts_on is not None and event.starts_on >= (today or dt.date.today())


def save_advisor_request(
    session: Session, conversation_id: str, name: str, contact: str, topic: str, language: str
) -> AdvisorRequest:
    request = AdvisorRequest(
        conversation_id=conversation_id, name=name, contact=contact, topic=topic, language=language
    )
    session.add(request)
    session.flush()
    return request


def record_eligibility(session: Session, conversation_id: str, verdicts: Sequence[tuple[str, str]]) -> None:
    """Keep the verdicts (program id, status) given in ``conversation_id``, for the staff's analytics."""
    session.add_all(
        EligibilityCheck(conversation_id=conversation_id, program_id=program_id, status=status)
        for program_id, status in verdicts
    )
