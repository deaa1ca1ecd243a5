"""What the Telegram bridge keeps in Sanad's database, so that a crash or restart loses nothing.

* ``telegram_updates`` is the durable inbox: every update is written here before
  Telegram is told it was received, with its progress (Rasa's replies once
  known, how many outgoing messages were delivered), so a retry resumes where it
  stopped instead of asking Rasa twice or repeating a message.
* ``telegram_buttons`` maps the short ``callback_data`` of an inline button
  (Telegram allows 64 bytes) to the Rasa payload it stands for.

Done updates are pruned after ``RETENTION``: the conversation itself lives in
Rasa's tracker store.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import JSON, BigInteger, Boolean, Column, DateTime, Integer, String, Text, delete, select
from sqlalchemy.orm import declarative_base

from bot.database import session_scope, utcnow

Base = declarative_base()

RETENTION = dt.timedelta(days=7)


def conversation_id(chat_id: int) -> str:
    """The Rasa sender id of a chat: stable across restarts, readable in the console."""
    return f"telegram-{chat_id}"


def chat_id_of(conversation_id: str) -> int:
    """The chat id of a Telegram conversation id."""
    return int(conversation_id.removeprefix("telegram-"))


class InboxUpdate(Base):
    __tablename__ = "telegram_updates"

    update_id = Column(BigInteger, primary_key=True, autoincrement=False)
    chat_id = Column(BigInteger, index=True)
    payload = Column(JSON, nullable=False)
    #: pending (to handle), done, or failed (given up; kept for staff with the error)
    status = Column(String(12), nullable=False, default="pending", index=True)
    replies = Column(JSON)
    sent = Column(Integer, nullable=False, default=0)
    notified = Column(Boolean, nullable=False, default=False)
    attempts = Column(Integer, nullable=False, default=0)
    not_before = Column(DateTime, nullable=False, default=utcnow)
    error = Column(Text)
    received_at = Column(DateTime, nullable=False, default=utcnow)
    updated_at = Column(DateTime, nullable=False, default=utcnow, onupdate=utcnow)


class ButtonPayload(Base):
    __tablename__ = "telegram_buttons"

    key = Column(String(32), primary_key=True)
    payload = Column(Text, nullable=False)


@dataclass(frozen=True)
class Progress:
    """How far the handling of one update got, read at the start of each attempt."""

    replies: list[dict[str, Any]] | None
    sent: int
    notified: bool


class TelegramStore:
    """Synchronous, short transactions: each call is a few milliseconds on SQLite."""

    def __init__(self, url: str | None = None) -> None:
        self.url = url

    def _session(self) -> Any:
        return session_scope(Base.metadata, self.url)

    # -- the inbox ---------------------------------------------------------------------------

    def add(self, updates: Iterable[dict[str, Any]]) -> int:
        """Store updates not seen before (Telegram may send one again); return how many were new."""
        updates = list(updates)
        with self._session() as session:
            ids = [u["update_id"] for u in updates]
            known = set(session.scalars(select(InboxUpdate.update_id).where(InboxUpdate.update_id.in_(ids))))
            new = [u for u in updates if u["update_id"] not in known]
            session.add_all(InboxUpdate(update_id=u["update_id"], chat_id=chat_of(u), payload=u) for u in new)
        return len(new)

    def due_chats(self) -> list[int | None]:
        """Chats whose oldest pending update may be handled now, oldest first."""
        with self._session() as session:
            rows = session.execute(
                select(InboxUpdate.chat_id, InboxUpdate.not_before)
                .where(InboxUpdate.status == "pending")
                .order_by(InboxUpdate.update_id)
            )
            first: dict[int | None, dt.datetime] = {}
            for chat_id, not_before in rows:
                first.setdefault(chat_id, not_before)
        now = utcnow()
        return [chat for chat, not_before in first.items() if not_before <= now]

    def next_due(self, chat_id: int | None) -> tuple[int, dict[str, Any]] | None:
        """The chat's oldest pending update if it may be handled now; order within a chat is kept."""
        same_chat = InboxUpdate.chat_id.is_(None) if chat_id is None else InboxUpdate.chat_id == chat_id
        with self._session() as session:
            row = session.scalars(
                select(InboxUpdate)
                .where(InboxUpdate.status == "pending", same_chat)
                .order_by(InboxUpdate.update_id)
                .limit(1)
            ).first()
            if row is None or row.not_before > utcnow():
                return None
            return int(row.update_id), dict(row.payload)

    def progress(self, update_id: int) -> Progress:
        with self._session() as session:
            row = session.get(InboxUpdate, update_id)
            if row is None:
                return Progress(None, 0, False)
            return Progress(row.replies, row.sent, row.notified)

    def _set(self, update_id: int, **values: Any) -> None:
        with self._session() as session:
            row = session.get(InboxUpdate, update_id)
            if row is not None:
                for name, value in values.items():
                    setattr(row, name, value)

    def save_replies(self, update_id: int, replies: list[dict[str, Any]]) -> None:
        self._set(update_id, replies=replies)

    def mark_sent(self, update_id: int, sent: int) -> None:
        self._set(update_id, sent=sent)

    def mark_notified(self, update_id: int) -> None:
        self._set(update_id, notified=True)

    def finish(self, update_id: int) -> None:
        self._set(update_id, status="done", error=None)

    def give_up(self, update_id: int, error: str) -> None:
        self._set(update_id, status="failed", error=error[:2000])

    def record_failure(self, update_id: int, error: str) -> int:
        """Count a failed attempt and keep its error; return how many attempts failed so far."""
        with self._session() as session:
            row = session.get(InboxUpdate, update_id)
            if row is None:
                return 0
            row.attempts += 1
            row.error = error[:2000]
            return int(row.attempts)

    def postpone(self, update_id: int, seconds: float) -> None:
        self._set(update_id, not_before=utcnow() + dt.timedelta(seconds=seconds))

    def prune(self, older_than: dt.timedelta = RETENTION) -> int:
        with self._session() as session:
            result = session.execute(
                delete(InboxUpdate).where(InboxUpdate.status == "done", InboxUpdate.updated_at < utcnow() - older_than)
            )
            return int(result.rowcount or 0)

    # -- buttons -----------------------------------------------------------------------------

    def button_key(self, payload: str) -> str:
        """A short, stable key for a button payload (the same payload always gets the same key)."""
        key = hashlib.sha256(payload.encode()).hexdigest()[:32]
        with self._session() as session:
            if session.get(ButtonPayload, key) is None:
                session.add(ButtonPayload(key=key, payload=payload))
        return key

    def button_payload(self, key: str) -> str | None:
        with self._session() as session:
            row = session.get(ButtonPayload, key)
            return row.payload if row else None


def chat_of(update: dict[str, Any]) -> int | None:
    """The chat an update belongs to, from its raw JSON (messages, edits, button taps)."""
    for kind in ("message", "edited_message", "channel_post", "edited_channel_post"):
        if kind in update:
            return int(update[kind]["chat"]["id"])
    message = update.get("callback_query", {}).get("message")
    if message:
        return int(message["chat"]["id"])
    sender = update.get("callback_query", {}).get("from")
    return int(sender["id"]) if sender else None
