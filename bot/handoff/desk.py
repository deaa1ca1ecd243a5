"""What happens to a handoff, from the founder's request to its end; each step one short transaction.

- ``request`` (the advisor action): a ``waiting`` handoff, or the one already active.
- ``take`` (a staff member): ``waiting`` → ``open``, assigned to them; one conditional UPDATE,
  so of two staff members clicking at once exactly one gets it. The founder is told.
- ``route_founder_message`` (the channels, before Rasa): while a handoff is ``open``, the
  founder's message is stored for the advisor and Sanad does not see it. The channel calls it
  in the conversation's order, so no message is answered by both, and none is lost.
- ``reply`` (the holder): a message queued for the founder's channel.
- ``claim_outbound`` / ``delivered`` / ``release`` (the channels): each queued message is
  claimed by one channel process, delivered, or released for a retry; its state is what the
  staff member sees.
- ``close``: handed back to Sanad or resolved; the founder is told.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from sqlalchemy import or_, select, update
from sqlalchemy.orm import Session

from bot import database
from bot.handoff import texts
from bot.handoff.hours import OfficeHours
from bot.handoff.models import Base, Handoff, HandoffEvent, HandoffMessage
from bot.language import DEFAULT_LANGUAGE, LANGUAGES
from bot.settings import environment

ACTIVE = ("waiting", "open")
CHANNELS = ("telegram", "web")
MAX_TEXT = 4000
MAX_ATTEMPTS = 10
#: a claim older than this is a channel process that died mid-delivery: the message is retried
STALE_CLAIM = dt.timedelta(seconds=60)


class HandoffError(ValueError):
    """A step that cannot be done now; the message says why, for staff."""


@contextmanager
def session_scope(url: str | None = None) -> Iterator[Session]:
    with database.session_scope(Base.metadata, url) as session:
        yield session


def office_hours() -> OfficeHours:
    env = environment()
    return OfficeHours.parse(env["SANAD_OFFICE_HOURS"], env["SANAD_TIMEZONE"])


def _audit(session: Session, handoff_id: int, action: str, actor: str) -> None:
    session.add(HandoffEvent(handoff_id=handoff_id, action=action, actor=actor, at=database.utcnow()))


def _notice(session: Session, handoff: Handoff, key: str, **values: str) -> None:
    session.add(
        HandoffMessage(
            handoff_id=handoff.id,
            conversation_id=handoff.conversation_id,
            channel=handoff.channel,
            author="notice",
            text=texts.text(key, handoff.language, **values),
            delivery="pending",
        )
    )


def active(session: Session, conversation_id: str) -> Handoff | None:
    return session.scalars(
        select(Handoff)
        .where(Handoff.conversation_id == conversation_id, Handoff.status.in_(ACTIVE))
        .order_by(Handoff.id.desc())
    ).first()


def request(session: Session, conversation_id: str, channel: str, reason: str, language: str) -> Handoff:
    """A waiting handoff for this conversation (the active one if the founder asks again)."""
    if channel not in CHANNELS:
        raise HandoffError(f"no live advisor on the {channel} channel")
    existing = active(session, conversation_id)
    if existing is not None:
        return existing
    handoff = Handoff(
        conversation_id=conversation_id,
        channel=channel,
        status="waiting",
        reason=reason[:2000],
        language=language if language in LANGUAGES else DEFAULT_LANGUAGE,
        created_at=database.utcnow(),
    )
    session.add(handoff)
    session.flush()
    _audit(session, handoff.id, "requested", "founder")
    return handoff


def take(session: Session, handoff_id: int, staff: str) -> bool:
    """Assign the handoff to ``staff`` if it is still waiting; False if someone else was first."""
    now = database.utcnow()
    taken = session.execute(
        update(Handoff)
        .where(Handoff.id == handoff_id, Handoff.status == "waiting")
        .values(status="open", assigned_to=staff, taken_at=now)
    )
    if taken.rowcount != 1:
        return False
    handoff = session.get(Handoff, handoff_id)
    session.refresh(handoff)
    _audit(session, handoff_id, "taken", staff)
    _notice(session, handoff, "joined", staff=staff.capitalize())
    return True


def _held_by(session: Session, handoff_id: int, staff: str) -> Handoff:
    handoff = session.get(Handoff, handoff_id)
    if handoff is None or handoff.status != "open":
        raise HandoffError("Cette conversation n'est pas (ou plus) ouverte.")
    if handoff.assigned_to != staff:
        raise HandoffError(f"Cette conversation est tenue par {handoff.assigned_to}.")
    return handoff


def reply(session: Session, handoff_id: int, staff: str, text: str) -> HandoffMessage:
    """Queue ``text`` for the founder, on the conversation's channel."""
    text = text.strip()
    if not text:
        raise HandoffError("Message vide.")
    if len(text) > MAX_TEXT:
        raise HandoffError(f"Message trop long ({MAX_TEXT} caractères au plus).")
    handoff = _held_by(session, handoff_id, staff)
    message = HandoffMessage(
        handoff_id=handoff.id,
        conversation_id=handoff.conversation_id,
        channel=handoff.channel,
        author="advisor",
        staff=staff,
        text=text,
        delivery="pending",
        created_at=database.utcnow(),
    )
    session.add(message)
    session.flush()
    _audit(session, handoff_id, "replied", staff)
    return message


def close(session: Session, handoff_id: int, staff: str, outcome: str) -> None:
    """End the handoff: ``handed_back`` (Sanad answers again) or ``resolved``; the founder is told either way."""
    if outcome not in ("handed_back", "resolved"):
        raise HandoffError(f"Issue inconnue : {outcome}")
    handoff = session.get(Handoff, handoff_id)
    if handoff is None or handoff.status == "resolved":
        raise HandoffError("Cette conversation est déjà close.")
    if handoff.status == "open" and handoff.assigned_to != staff:
        raise HandoffError(f"Cette conversation est tenue par {handoff.assigned_to}.")
    handoff.status, handoff.outcome, handoff.closed_at = "resolved", outcome, database.utcnow()
    _audit(session, handoff_id, outcome, staff)
    _notice(session, handoff, outcome)


def route_founder_message(session: Session, conversation_id: str, text: str, source_key: str) -> bool:
    """Keep the founder's message for the advisor if one holds the conversation; True if so (Sanad stays silent)."""
    handoff = session.scalars(
        select(Handoff).where(Handoff.conversation_id == conversation_id, Handoff.status == "open")
    ).first()
    if handoff is None:
        return False
    known = session.scalar(select(HandoffMessage.id).where(HandoffMessage.source_key == source_key))
    if known is None:
        session.add(
            HandoffMessage(
                handoff_id=handoff.id,
                conversation_id=conversation_id,
                channel=handoff.channel,
                author="founder",
                text=text[:MAX_TEXT],
                source_key=source_key[:120],
                delivery="received",
                created_at=database.utcnow(),
            )
        )
    return True


@dataclass(frozen=True)
class Outbound:
    """A message for a founder, claimed by the channel process that delivers it."""

    id: int
    conversation_id: str
    author: str
    staff: str | None
    text: str
    language: str


def claim_outbound(session: Session, channel: str, conversation_id: str | None = None) -> list[Outbound]:
    """The channel's messages waiting for delivery (oldest first), now claimed by this caller."""
    now = database.utcnow()
    query = (
        select(HandoffMessage, Handoff.language)
        .join(Handoff, Handoff.id == HandoffMessage.handoff_id)
        .where(
            HandoffMessage.channel == channel,
            or_(
                HandoffMessage.delivery == "pending",
                (HandoffMessage.delivery == "sending") & (HandoffMessage.claimed_at < now - STALE_CLAIM),
            ),
        )
        .order_by(HandoffMessage.id)
        .limit(50)
    )
    if conversation_id is not None:
        query = query.where(HandoffMessage.conversation_id == conversation_id)
    claimed = []
    for message, language in session.execute(query).all():
        won = session.execute(
            update(HandoffMessage)
            .where(HandoffMessage.id == message.id, HandoffMessage.delivery == message.delivery)
            .values(delivery="sending", claimed_at=now, attempts=HandoffMessage.attempts + 1)
        )
        if won.rowcount == 1:  # another process may have claimed it between the select and here
            claimed.append(
                Outbound(message.id, message.conversation_id, message.author, message.staff, message.text, language)
            )
    return claimed


def delivered(session: Session, message_id: int) -> None:
    session.execute(
        update(HandoffMessage)
        .where(HandoffMessage.id == message_id)
        .values(delivery="delivered", delivered_at=database.utcnow(), error=None)
    )


def release(session: Session, message_id: int, error: str, give_up: bool = False) -> None:
    """Delivery failed: retry later, or (``give_up``, or too many attempts) mark it failed for staff to see."""
    message = session.get(HandoffMessage, message_id)
    if message is None:
        return
    message.error = error[:500]
    message.delivery = "failed" if give_up or message.attempts >= MAX_ATTEMPTS else "pending"


def requested_reply(language: str, name: str, request_id: int, now: dt.datetime | None = None) -> str:
    """What the founder is told once the handoff is requested: an advisor joins, or when one will."""
    hours = office_hours()
    now = now or dt.datetime.now(dt.timezone.utc)
    if hours.is_open(now):
        return texts.text("requested", language, name=name, id=request_id)
    return texts.text(
        "requested_closed",
        language,
        name=name,
        id=request_id,
        hours=texts.hours_phrase(hours, language),
        opening=texts.opening_phrase(hours.next_opening(now), language),
    )
