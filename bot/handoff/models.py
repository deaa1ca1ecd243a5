"""The handoff tables: one row per request, its messages both ways, and who did what when."""

from __future__ import annotations

from sqlalchemy import Column, DateTime, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import declarative_base

from bot.database import utcnow

Base = declarative_base()

STATUSES = ("waiting", "open", "resolved")


class Handoff(Base):
    __tablename__ = "handoffs"

    id = Column(Integer, primary_key=True, autoincrement=True)
    conversation_id = Column(String(255), nullable=False, index=True)
    #: telegram or web: where the advisor's messages go
    channel = Column(String(16), nullable=False)
    #: waiting (for a staff member), open (a staff member holds it), resolved
    status = Column(String(10), nullable=False, index=True)
    reason = Column(Text, nullable=False, default="")
    language = Column(String(5), nullable=False, default="fr")
    assigned_to = Column(String(80))
    #: resolved how: resolved by the advisor, or handed back to Sanad
    outcome = Column(String(16))
    created_at = Column(DateTime, nullable=False, default=utcnow)
    taken_at = Column(DateTime)
    closed_at = Column(DateTime)


class HandoffMessage(Base):
    """A message of the human part of a conversation: the founder's, the advisor's, or a notice from Sanad."""

    __tablename__ = "handoff_messages"
    __table_args__ = (Index("ix_handoff_messages_delivery", "channel", "delivery"),)

    id = Column(Integer, primary_key=True, autoincrement=True)
    handoff_id = Column(Integer, ForeignKey("handoffs.id"), nullable=False, index=True)
    conversation_id = Column(String(255), nullable=False, index=True)
    channel = Column(String(16), nullable=False)
    #: founder, advisor, notice
    author = Column(String(10), nullable=False)
    #: the staff member who wrote it (advisor messages)
    staff = Column(String(80))
    text = Column(Text, nullable=False)
    #: the channel's id of a founder message (e.g. telegram:<update id>), so a retry stores it once
    source_key = Column(String(120), unique=True)
    #: to the founder: pending, sending (claimed by a channel), delivered, failed; founder messages: received
    delivery = Column(String(10), nullable=False)
    attempts = Column(Integer, nullable=False, default=0)
    error = Column(Text)
    created_at = Column(DateTime, nullable=False, default=utcnow)
    claimed_at = Column(DateTime)
    delivered_at = Column(DateTime)


class HandoffEvent(Base):
    """The audit trail: requested, taken, replied, handed back, resolved; by whom and when."""

    __tablename__ = "handoff_events"

    id = Column(Integer, primary_key=True, autoincrement=True)
    handoff_id = Column(Integer, ForeignKey("handoffs.id"), nullable=False, index=True)
    action = Column(String(20), nullable=False)
    actor = Column(String(80), nullable=False)
    at = Column(DateTime, nullable=False, default=utcnow)
