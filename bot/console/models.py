"""The console's tables: staff accounts and sessions, the review work, and an index of the conversations.

Rasa's tracker store keeps each conversation as a stream of JSON events, which
cannot be filtered quickly (100,000 conversations are millions of rows of
JSON). The indexer copies what staff filter and search on into ``Indexed*``
tables, one row per conversation and per founder message; everything else
(the transcript) is read from the tracker store itself. Staff work (reviews,
tags, notes, NLU decisions) lives in tables of its own, keyed by conversation
id or tracker event id, so re-indexing never touches it.

The schema is created and upgraded by the Alembic scripts in ``migrations/``,
never by ``create_all``: an upgrade keeps the data.
"""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
)
from sqlalchemy.orm import declarative_base

from bot.database import utcnow

Base = declarative_base()

ROLES = ("admin", "reviewer")


class StaffUser(Base):
    __tablename__ = "console_users"

    id = Column(Integer, primary_key=True, autoincrement=True)
    username = Column(String(80), nullable=False, unique=True)
    password_hash = Column(String(255), nullable=False)
    role = Column(String(16), nullable=False)
    active = Column(Boolean, nullable=False, default=True)
    failed_logins = Column(Integer, nullable=False, default=0)
    locked_until = Column(DateTime)
    created_at = Column(DateTime, nullable=False, default=utcnow)
    last_login_at = Column(DateTime)


class StaffSession(Base):
    """A signed-in browser. The cookie holds the token; only its hash is stored."""

    __tablename__ = "console_sessions"

    token_hash = Column(String(64), primary_key=True)
    user_id = Column(Integer, ForeignKey("console_users.id", ondelete="CASCADE"), nullable=False, index=True)
    csrf_token = Column(String(64), nullable=False)
    created_at = Column(DateTime, nullable=False, default=utcnow)
    expires_at = Column(DateTime, nullable=False)


class IndexedConversation(Base):
    """One row per tracker conversation (Rasa sender id), what the list shows and filters on."""

    __tablename__ = "console_conversations"

    conversation_id = Column(String(255), primary_key=True)
    channel = Column(String(16), nullable=False, default="rest")
    language = Column(String(5))
    started_at = Column(DateTime, nullable=False)
    last_at = Column(DateTime, nullable=False, index=True)
    messages = Column(Integer, nullable=False, default=0)
    fallbacks = Column(Integer, nullable=False, default=0)
    #: the lowest NLU confidence of a typed founder message (buttons excluded)
    min_confidence = Column(Float)
    handoff = Column(Boolean, nullable=False, default=False)
    preview = Column(String(200), nullable=False, default="")

    __table_args__ = (
        Index("ix_console_conversations_channel_last", "channel", "last_at"),
        Index("ix_console_conversations_started", "started_at"),
    )


class IndexedMessage(Base):
    """A founder message: searchable text, and what the NLU made of it."""

    __tablename__ = "console_messages"

    event_id = Column(Integer, primary_key=True, autoincrement=False)
    conversation_id = Column(String(255), nullable=False, index=True)
    sent_at = Column(DateTime, nullable=False, index=True)
    text = Column(Text, nullable=False)
    #: lower-cased text, what the free-text search compares with
    search_text = Column(Text, nullable=False)
    #: the best real intent (under ``nlu_fallback`` when the fallback fired)
    intent = Column(String(80))
    confidence = Column(Float)
    fallback = Column(Boolean, nullable=False, default=False)
    #: a button's payload, not typed text: never an NLU example
    payload = Column(Boolean, nullable=False, default=False)
    entities = Column(JSON, nullable=False, default=list)
    language = Column(String(5))

    __table_args__ = (Index("ix_console_messages_intent", "intent", "conversation_id"),)


class IndexedProgram(Base):
    """A program a founder asked about in a conversation (entity or slot)."""

    __tablename__ = "console_conversation_programs"

    conversation_id = Column(String(255), primary_key=True)
    program = Column(String(80), primary_key=True)

    __table_args__ = (Index("ix_console_conversation_programs_program", "program"),)


class IndexState(Base):
    """How far the indexer has read the tracker store's events (their autoincrement id)."""

    __tablename__ = "console_index_state"

    source = Column(String(40), primary_key=True)
    last_event_id = Column(Integer, nullable=False, default=0)
    updated_at = Column(DateTime, nullable=False, default=utcnow)


class Review(Base):
    __tablename__ = "console_reviews"

    conversation_id = Column(String(255), primary_key=True)
    reviewed_by = Column(String(80), nullable=False)
    reviewed_at = Column(DateTime, nullable=False, default=utcnow)


class Tag(Base):
    __tablename__ = "console_tags"

    conversation_id = Column(String(255), primary_key=True)
    tag = Column(String(40), primary_key=True)
    added_by = Column(String(80), nullable=False)
    added_at = Column(DateTime, nullable=False, default=utcnow)

    __table_args__ = (Index("ix_console_tags_tag", "tag"),)


class Note(Base):
    __tablename__ = "console_notes"

    id = Column(Integer, primary_key=True, autoincrement=True)
    conversation_id = Column(String(255), nullable=False, index=True)
    #: the founder message it is about, if any
    event_id = Column(Integer)
    author = Column(String(80), nullable=False)
    text = Column(Text, nullable=False)
    created_at = Column(DateTime, nullable=False, default=utcnow)


class NluReview(Base):
    """A founder message in the NLU inbox: flagged by staff, then confirmed, relabelled or discarded."""

    __tablename__ = "console_nlu_reviews"

    event_id = Column(Integer, primary_key=True, autoincrement=False)
    conversation_id = Column(String(255), nullable=False)
    #: flagged (waiting), confirmed, relabelled, discarded
    status = Column(String(16), nullable=False, index=True)
    #: the intent the example is exported under (confirmed: the predicted one)
    intent = Column(String(80))
    #: the text in Rasa's annotation syntax, ``[Casablanca](city)``
    annotated = Column(Text)
    flagged_by = Column(String(80))
    decided_by = Column(String(80))
    decided_at = Column(DateTime)
    exported_at = Column(DateTime)
