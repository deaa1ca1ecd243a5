"""What the console's pages show: the conversation list and its filters, a transcript, the NLU inbox.

Filters run on the index tables with ``EXISTS`` sub-queries on indexed columns,
newest first with ``LIMIT``, so a page costs the same on 100 or 100,000
conversations (``bench/console.py`` measures it). The transcript is read from
the tracker store itself, event by event, as Rasa saved it.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import and_, exists, false, func, inspect, or_, select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session
from sqlalchemy.sql import Select

from bot.console.indexer import EVENTS, from_timestamp, understanding
from bot.console.models import (
    IndexedConversation,
    IndexedMessage,
    IndexedProgram,
    NluReview,
    Note,
    Review,
    Tag,
)
from bot.console.pii import mask

PAGE_SIZE = 50
MAX_SEARCH = 200
#: Rasa's bookkeeping actions: not shown in a transcript.
QUIET_ACTIONS = frozenset({"action_listen", "action_session_start", "action_unlikely_intent"})
DECIDED = ("confirmed", "relabelled", "discarded")


@dataclass(frozen=True)
class ConversationFilter:
    """The list's filters, parsed from the page's query string (anything unreadable is ignored)."""

    date_from: dt.date | None = None
    date_to: dt.date | None = None
    channel: str = ""
    language: str = ""
    intent: str = ""
    program: str = ""
    tag: str = ""
    search: str = ""
    low_confidence: bool = False
    fallback: bool = False
    handoff: bool = False
    #: "yes", "no" or "" (both)
    reviewed: str = ""
    page: int = 1

    @classmethod
    def parse(cls, query: Mapping[str, str]) -> ConversationFilter:
        def date(name: str) -> dt.date | None:
            try:
                return dt.date.fromisoformat(query.get(name, ""))
            except ValueError:
                return None

        def word(name: str, limit: int = 80) -> str:
            return query.get(name, "").strip()[:limit]

        try:
            page = max(1, min(int(query.get("page", "1")), 100_000))
        except ValueError:
            page = 1
        return cls(
            date_from=date("from"),
            date_to=date("to"),
            channel=word("channel", 16),
            language=word("language", 5),
            intent=word("intent"),
            program=word("program"),
            tag=word("tag", 40),
            search=word("q", MAX_SEARCH),
            low_confidence=query.get("low") == "1",
            fallback=query.get("fallback") == "1",
            handoff=query.get("handoff") == "1",
            reviewed=query.get("reviewed", "") if query.get("reviewed") in ("yes", "no") else "",
            page=page,
        )

    def query_string(self, **changes: Any) -> dict[str, str]:
        """These filters as query parameters (for pagination links and CSV), with ``changes`` applied."""
        values = {
            "from": self.date_from.isoformat() if self.date_from else "",
            "to": self.date_to.isoformat() if self.date_to else "",
            "channel": self.channel,
            "language": self.language,
            "intent": self.intent,
            "program": self.program,
            "tag": self.tag,
            "q": self.search,
            "low": "1" if self.low_confidence else "",
            "fallback": "1" if self.fallback else "",
            "handoff": "1" if self.handoff else "",
            "reviewed": self.reviewed,
            "page": str(self.page),
        }
        values.update({k: str(v) for k, v in changes.items()})
        return {k: v for k, v in values.items() if v and not (k == "page" and v == "1")}


def like_pattern(text: str) -> str:
    """``%text%`` for LIKE, with LIKE's own wildcards in ``text`` taken literally (escape ``\\``)."""
    escaped = text.casefold().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def _end_of(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day + dt.timedelta(days=1), dt.time())


def _filtered(conversation_filter: ConversationFilter, low_threshold: float) -> Select:
    f, c = conversation_filter, IndexedConversation
    conditions: list[Any] = []
    if f.date_from:
        conditions.append(c.last_at >= dt.datetime.combine(f.date_from, dt.time()))
    if f.date_to:
        conditions.append(c.started_at < _end_of(f.date_to))
    if f.channel:
        conditions.append(c.channel == f.channel)
    if f.language:
        conditions.append(c.language == f.language)
    if f.low_confidence:
        conditions.append(c.min_confidence < low_threshold)
    if f.fallback:
        conditions.append(c.fallbacks > 0)
    if f.handoff:
        conditions.append(c.handoff.is_(True))
    if f.intent:
        m = IndexedMessage
        conditions.append(exists().where(m.conversation_id == c.conversation_id, m.intent == f.intent))
    if f.program:
        p = IndexedProgram
        conditions.append(exists().where(p.conversation_id == c.conversation_id, p.program == f.program))
    if f.tag:
        conditions.append(exists().where(Tag.conversation_id == c.conversation_id, Tag.tag == f.tag))
    if f.reviewed:
        reviewed = exists().where(Review.conversation_id == c.conversation_id)
        conditions.append(reviewed if f.reviewed == "yes" else ~reviewed)
    if f.search:
        m = IndexedMessage
        conditions.append(
            exists().where(m.conversation_id == c.conversation_id, m.search_text.like(like_pattern(f.search), "\\"))
        )
    return select(c).where(and_(*conditions))


@dataclass
class ConversationRow:
    conversation: IndexedConversation
    reviewed: bool
    tags: list[str] = field(default_factory=list)

    @property
    def preview(self) -> str:
        """The first founder message, with contacts masked (lists never show them)."""
        return mask(self.conversation.preview)


@dataclass
class ConversationPage:
    rows: list[ConversationRow]
    total: int
    page: int
    pages: int


def list_conversations(
    session: Session, conversation_filter: ConversationFilter, low_threshold: float, page_size: int = PAGE_SIZE
) -> ConversationPage:
    """One page of conversations matching the filter, newest activity first."""
    filtered = _filtered(conversation_filter, low_threshold)
    total = session.scalar(select(func.count()).select_from(filtered.subquery())) or 0
    pages = max(1, -(-total // page_size))
    page = min(conversation_filter.page, pages)
    conversations = list(
        session.scalars(
            filtered.order_by(IndexedConversation.last_at.desc(), IndexedConversation.conversation_id.desc())
            .limit(page_size)
            .offset((page - 1) * page_size)
        )
    )
    ids = [c.conversation_id for c in conversations]
    reviewed = set(session.scalars(select(Review.conversation_id).where(Review.conversation_id.in_(ids))))
    tags: dict[str, list[str]] = {}
    for conversation_id, tag in session.execute(
        select(Tag.conversation_id, Tag.tag).where(Tag.conversation_id.in_(ids)).order_by(Tag.tag)
    ):
        tags.setdefault(conversation_id, []).append(tag)
    rows = [ConversationRow(c, c.conversation_id in reviewed, tags.get(c.conversation_id, [])) for c in conversations]
    return ConversationPage(rows=rows, total=total, page=page, pages=pages)


def filter_choices(session: Session) -> dict[str, list[str]]:
    """The values the list's drop-downs offer: what the index actually holds."""

    def distinct(column: Any) -> list[str]:
        return [v for v in session.scalars(select(column).distinct().order_by(column)) if v]

    return {
        "channels": distinct(IndexedConversation.channel),
        "languages": distinct(IndexedConversation.language),
        "intents": distinct(IndexedMessage.intent),
        "programs": distinct(IndexedProgram.program),
        "tags": distinct(Tag.tag),
    }


# --- transcript ---------------------------------------------------------------------------------


@dataclass
class TranscriptItem:
    """One line of a transcript: a founder message, a bot message, an action (with the slots it set)."""

    kind: str  # user, bot, action, session
    at: dt.datetime
    event_id: int
    text: str = ""
    intent: str | None = None
    confidence: float | None = None
    fallback: bool = False
    entities: list[dict[str, Any]] = field(default_factory=list)
    buttons: list[str] = field(default_factory=list)
    action: str = ""
    slots: list[tuple[str, str]] = field(default_factory=list)
    flagged: bool = False


def _slot_text(value: Any) -> str:
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)


def transcript(tracker: Engine, conversation_id: str, reveal_contacts: bool) -> list[TranscriptItem]:
    """The conversation as Rasa stored it; contacts masked unless ``reveal_contacts`` (admins)."""
    show = (lambda text: text) if reveal_contacts else mask
    if not inspect(tracker).has_table(EVENTS.name):
        return []  # no conversation yet: Rasa creates the table with the first one
    with tracker.connect() as connection:
        rows = connection.execute(
            select(EVENTS.c.id, EVENTS.c.type_name, EVENTS.c.action_name, EVENTS.c.data)
            .where(EVENTS.c.sender_id == conversation_id)
            .order_by(EVENTS.c.id)
        ).all()
    items: list[TranscriptItem] = []
    last_action: TranscriptItem | None = None
    for row in rows:
        try:
            data = json.loads(row.data or "{}")
        except ValueError:
            continue
        at = from_timestamp(data.get("timestamp"))
        if row.type_name == "user":
            nlu = understanding(data)
            items.append(
                TranscriptItem(
                    "user",
                    at,
                    row.id,
                    text=show(str(data.get("text") or "")),
                    intent=nlu.intent,
                    confidence=nlu.confidence,
                    fallback=nlu.fallback,
                    entities=[{**e, "value": show(str(e.get("value")))} for e in nlu.entities],
                )
            )
        elif row.type_name == "bot":
            buttons = [str(b.get("title", "")) for b in (data.get("data") or {}).get("buttons") or []]
            items.append(TranscriptItem("bot", at, row.id, text=show(str(data.get("text") or "")), buttons=buttons))
        elif row.type_name == "action" and row.action_name not in QUIET_ACTIONS:
            last_action = TranscriptItem("action", at, row.id, action=str(row.action_name))
            items.append(last_action)
        elif row.type_name == "slot" and last_action is not None and data.get("name") != "requested_slot":
            last_action.slots.append((str(data.get("name")), show(_slot_text(data.get("value")))))
        elif row.type_name == "session_started":
            items.append(TranscriptItem("session", at, row.id))
            last_action = None
    return items


@dataclass
class ReviewState:
    reviewed_by: str | None
    reviewed_at: dt.datetime | None
    tags: list[str]
    notes: list[Note]
    flagged: set[int]


def review_state(session: Session, conversation_id: str) -> ReviewState:
    review = session.get(Review, conversation_id)
    return ReviewState(
        reviewed_by=review.reviewed_by if review else None,
        reviewed_at=review.reviewed_at if review else None,
        tags=list(session.scalars(select(Tag.tag).where(Tag.conversation_id == conversation_id).order_by(Tag.tag))),
        notes=list(session.scalars(select(Note).where(Note.conversation_id == conversation_id).order_by(Note.id))),
        flagged=set(
            session.scalars(
                select(NluReview.event_id).where(
                    NluReview.conversation_id == conversation_id, NluReview.status == "flagged"
                )
            )
        ),
    )


# --- NLU inbox ----------------------------------------------------------------------------------


@dataclass
class InboxItem:
    message: IndexedMessage
    flagged: bool

    @property
    def text(self) -> str:
        return mask(self.message.text)


def nlu_inbox(session: Session, low_threshold: float, limit: int = PAGE_SIZE) -> tuple[list[InboxItem], int]:
    """Founder messages waiting for a decision: flagged by staff, or understood with low confidence."""
    m, r = IndexedMessage, NluReview
    waiting = (
        select(m, r.status)
        .outerjoin(r, r.event_id == m.event_id)
        .where(
            m.payload.is_(false()),
            or_(r.status == "flagged", and_(r.status.is_(None), or_(m.confidence < low_threshold, m.fallback))),
        )
    )
    total = session.scalar(select(func.count()).select_from(waiting.subquery())) or 0
    rows = session.execute(waiting.order_by(m.sent_at.desc(), m.event_id.desc()).limit(limit)).all()
    return [InboxItem(message, status == "flagged") for message, status in rows], total
