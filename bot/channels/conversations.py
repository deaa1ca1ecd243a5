"""Where each conversation lives: its channel, its address there, and its language, for every channel.

Each channel records its conversations as founders write (``remember``); the
staff console reads this table to show a conversation's channel and, later, to
answer on that same channel (a Telegram chat id, a widget session). Nothing else
about the founder is kept here.
"""

from __future__ import annotations

from sqlalchemy import Column, DateTime, String, select
from sqlalchemy.orm import declarative_base

from bot.database import session_scope, utcnow

Base = declarative_base()


class ChannelConversation(Base):
    __tablename__ = "channel_conversations"

    #: the Rasa sender id: ``telegram-<chat id>``, ``web-<session id>``
    conversation_id = Column(String(80), primary_key=True)
    channel = Column(String(16), nullable=False, index=True)
    #: where to answer on that channel: the Telegram chat id, the widget's session id
    address = Column(String(64), nullable=False)
    #: Telegram's chat type (private, group…), or "widget"
    kind = Column(String(16), nullable=False)
    language = Column(String(5))
    created_at = Column(DateTime, nullable=False, default=utcnow)
    last_seen_at = Column(DateTime, nullable=False, default=utcnow, onupdate=utcnow)


class Conversations:
    def __init__(self, url: str | None = None) -> None:
        self.url = url

    def remember(self, conversation_id: str, channel: str, address: str, kind: str, language: str | None) -> None:
        """Record the conversation (first message) and, when given, the language its founder uses."""
        with session_scope(Base.metadata, self.url) as session:
            row = session.get(ChannelConversation, conversation_id)
            if row is None:
                row = ChannelConversation(conversation_id=conversation_id, channel=channel, address=address, kind=kind)
                session.add(row)
            row.last_seen_at = utcnow()
            if language:
                row.language = language

    def language(self, conversation_id: str) -> str | None:
        with session_scope(Base.metadata, self.url) as session:
            return session.scalar(
                select(ChannelConversation.language).where(ChannelConversation.conversation_id == conversation_id)
            )
