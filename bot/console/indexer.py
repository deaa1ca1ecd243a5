"""Copy what staff filter and search on from Rasa's tracker store into the console's index tables.

Rasa appends every event of every conversation to one ``events`` table, with an
autoincrement id. The indexer reads the events after the last id it indexed, in
batches, and updates one row per conversation (channel, language, dates, counts,
handoff), one row per founder message (text, intent, confidence, entities) and
the programs asked about. Each batch commits together with the new position,
and only if the position is still the one it started from, so two consoles
indexing at once never count an event twice.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import (
    Column,
    Float,
    Integer,
    MetaData,
    Sequence,
    String,
    Table,
    Text,
    and_,
    case,
    insert,
    inspect,
    or_,
    select,
    update,
)
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from bot.console import db
from bot.console.models import IndexedConversation, IndexedMessage, IndexedProgram, IndexState
from bot.database import get_engine, utcnow
from bot.settings import environment

logger = logging.getLogger("sanad.console.indexer")

SOURCE = "tracker"
BATCH = 5000
FALLBACK_INTENT = "nlu_fallback"
FALLBACK_ACTIONS = frozenset({"action_default_fallback"})
HANDOFF_INTENTS = frozenset({"request_advisor"})
HANDOFF_ACTIONS = frozenset({"advisor_form", "action_save_advisor_request"})
INDEXED_SLOTS = ("language", "program")
CHANNEL_PREFIXES = ("telegram", "web")
ENTITY_KEYS = ("entity", "value", "start", "end")

#: Rasa's ``SQLTrackerStore.SQLEvent`` table, column for column (same DDL and index name).
TRACKER = MetaData()
EVENTS = Table(
    "events",
    TRACKER,
    Column("id", Integer, Sequence("events_seq", optional=True), primary_key=True),
    Column("sender_id", String(255), nullable=False, index=True),
    Column("type_name", String(255), nullable=False),
    Column("timestamp", Float),
    Column("intent_name", String(255)),
    Column("action_name", String(255)),
    Column("data", Text),
)

#: The events the index reads (Rasa keeps a slot's name, like an action's, in ``action_name``).
RELEVANT = or_(
    EVENTS.c.type_name == "user",
    and_(EVENTS.c.type_name == "slot", EVENTS.c.action_name.in_(INDEXED_SLOTS)),
    and_(EVENTS.c.type_name == "action", EVENTS.c.action_name.in_(sorted(FALLBACK_ACTIONS | HANDOFF_ACTIONS))),
)


def from_timestamp(value: float | None) -> dt.datetime:
    return dt.datetime.fromtimestamp(value or 0, dt.timezone.utc).replace(tzinfo=None)


def channel_of(conversation_id: str, data: Mapping[str, Any]) -> str:
    """The channel a founder message came through: the metadata Sanad's channels add, else the id's prefix."""
    channel = (data.get("metadata") or {}).get("channel")
    if isinstance(channel, str) and channel:
        return channel[:16]
    prefix = conversation_id.split("-", 1)[0]
    return prefix if prefix in CHANNEL_PREFIXES else str(data.get("input_channel") or "rest")[:16]


@dataclass(frozen=True)
class Understanding:
    """What the NLU made of a founder message."""

    intent: str | None
    confidence: float | None
    fallback: bool
    payload: bool
    language: str | None
    entities: list[dict[str, Any]]


def understanding(data: Mapping[str, Any]) -> Understanding:
    """The best real intent and its confidence: under ``nlu_fallback``, the top of the ranking below it."""
    parse = data.get("parse_data") or {}
    intent = parse.get("intent") or {}
    fallback = intent.get("name") == FALLBACK_INTENT
    if fallback:
        intent = next((i for i in parse.get("intent_ranking") or [] if i.get("name") != FALLBACK_INTENT), {})
    entities = [e for e in parse.get("entities") or [] if isinstance(e, dict)]
    language = next((str(e.get("value")) for e in entities if e.get("entity") == "language"), None)
    return Understanding(
        intent=intent.get("name"),
        confidence=intent.get("confidence"),
        fallback=fallback,
        payload=str(data.get("text") or "").startswith("/"),
        language=language[:5] if language else None,
        entities=[{k: e.get(k) for k in ENTITY_KEYS} for e in entities if e.get("entity") != "language"],
    )


class _Batch:
    """The index rows one batch of events touches, applied in one transaction."""

    def __init__(self, session: Session, conversation_ids: Iterable[str]) -> None:
        self.session = session
        ids = sorted(set(conversation_ids))
        self.conversations: dict[str, IndexedConversation] = {}
        for start in range(0, len(ids), 500):
            rows = session.scalars(
                select(IndexedConversation).where(IndexedConversation.conversation_id.in_(ids[start : start + 500]))
            )
            self.conversations.update((row.conversation_id, row) for row in rows)
        self.messages: list[dict[str, Any]] = []
        self.programs: set[tuple[str, str]] = set()

    def conversation(self, conversation_id: str, at: dt.datetime) -> IndexedConversation:
        row = self.conversations.get(conversation_id)
        if row is None:
            row = IndexedConversation(
                conversation_id=conversation_id,
                channel=channel_of(conversation_id, {}),
                started_at=at,
                last_at=at,
                messages=0,
                fallbacks=0,
                handoff=False,
                preview="",
            )
            self.session.add(row)
            self.conversations[conversation_id] = row
        row.last_at = max(row.last_at, at)
        return row

    def user(self, event_id: int, conversation: IndexedConversation, at: dt.datetime, data: Mapping[str, Any]) -> None:
        text = str(data.get("text") or "")
        nlu = understanding(data)
        conversation.channel = channel_of(conversation.conversation_id, data)
        conversation.messages += 1
        conversation.fallbacks += nlu.fallback
        if nlu.intent in HANDOFF_INTENTS and not nlu.fallback:
            conversation.handoff = True
        if not nlu.payload:
            if nlu.confidence is not None:
                current = conversation.min_confidence
                conversation.min_confidence = nlu.confidence if current is None else min(current, nlu.confidence)
            if not conversation.preview:
                conversation.preview = text[:200]
        for entity in nlu.entities:
            if entity["entity"] == "program" and entity["value"]:
                self.programs.add((conversation.conversation_id, str(entity["value"])[:80]))
        self.messages.append(
            {
                "event_id": event_id,
                "conversation_id": conversation.conversation_id,
                "sent_at": at,
                "text": text,
                "search_text": text.casefold(),
                "intent": nlu.intent,
                "confidence": nlu.confidence,
                "fallback": nlu.fallback,
                "payload": nlu.payload,
                "entities": nlu.entities,
                "language": nlu.language,
            }
        )

    def slot(self, conversation: IndexedConversation, data: Mapping[str, Any]) -> None:
        name, value = data.get("name"), data.get("value")
        if name == "language" and isinstance(value, str) and value:
            conversation.language = value[:5]
        elif name == "program" and isinstance(value, str) and value:
            self.programs.add((conversation.conversation_id, value[:80]))

    def action(self, conversation: IndexedConversation, name: str | None) -> None:
        if name in FALLBACK_ACTIONS:
            conversation.fallbacks += 1
        if name in HANDOFF_ACTIONS:
            conversation.handoff = True

    def flush(self) -> None:
        if self.messages:
            self.session.execute(insert(IndexedMessage), self.messages)
        known: set[tuple[str, str]] = set()
        if self.programs:
            rows = self.session.execute(
                select(IndexedProgram.conversation_id, IndexedProgram.program).where(
                    IndexedProgram.conversation_id.in_(sorted({c for c, _ in self.programs}))
                )
            )
            known = {(row.conversation_id, row.program) for row in rows}
        new = [{"conversation_id": c, "program": p} for c, p in sorted(self.programs - known)]
        if new:
            self.session.execute(insert(IndexedProgram), new)


def _position(session: Session) -> int:
    state = session.get(IndexState, SOURCE)
    if state is None:
        session.add(IndexState(source=SOURCE, last_event_id=0))
        session.flush()
        return 0
    return int(state.last_event_id)


def sync_batch(session: Session, tracker: Engine, batch: int = BATCH) -> int:
    """Index the next ``batch`` events after the saved position; returns how many were read (0: up to date).

    The caller commits ``session``: the new position and the index rows commit together. If another
    indexer moved the position meanwhile, nothing is written and 0 is returned.
    """
    start = _position(session)
    with tracker.connect() as connection:
        rows = connection.execute(
            select(
                EVENTS.c.id,
                EVENTS.c.sender_id,
                EVENTS.c.type_name,
                EVENTS.c.timestamp,
                EVENTS.c.action_name,
                # Only founder messages and the two slots need their JSON: most rows are never parsed.
                case((EVENTS.c.type_name.in_(("user", "slot")), EVENTS.c.data), else_=None).label("data"),
            )
            .where(EVENTS.c.id > start, RELEVANT)
            .order_by(EVENTS.c.id)
            .limit(batch)
        ).all()
    if not rows:
        return 0
    # Claim the range first: a second indexer that read the same position updates no row and stops here
    # (on PostgreSQL it waits for the first to commit, then finds the position moved).
    claimed = session.execute(
        update(IndexState)
        .where(IndexState.source == SOURCE, IndexState.last_event_id == start)
        .values(last_event_id=rows[-1].id, updated_at=utcnow())
    )
    if claimed.rowcount != 1:
        return 0
    work = _Batch(session, (row.sender_id for row in rows))
    for row in rows:
        at = from_timestamp(row.timestamp)
        conversation = work.conversation(row.sender_id, at)
        if row.type_name == "action":
            work.action(conversation, row.action_name)
            continue
        try:
            data = json.loads(row.data or "{}")
        except ValueError:
            logger.warning("event %s of %s is not JSON: skipped", row.id, row.sender_id)
            continue
        if row.type_name == "user":
            work.user(row.id, conversation, at, data)
        else:
            work.slot(conversation, data)
    work.flush()
    return len(rows)


def sync(console_url: str | None = None, tracker_url: str | None = None, batch: int = BATCH) -> int:
    """Index every event not indexed yet; returns how many were read. No tracker table yet: nothing to do."""
    tracker = get_engine(tracker_url or environment()["SANAD_TRACKER_URL"])
    if not inspect(tracker).has_table("events"):
        return 0
    total = 0
    while True:
        with db.session_scope(console_url) as session:
            read = sync_batch(session, tracker, batch)
        total += read
        if read < batch:
            return total
