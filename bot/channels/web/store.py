"""Every message of the website widget's conversations, kept in Sanad's database.

The widget shows the history after a reload or on another page of the site, and
resends a message it could not deliver; the store makes that safe: a founder
message is identified by the ``client_id`` the browser gave it, so a resend is
recognised and answered with the replies already stored, never twice. A message
whose answer failed (Rasa down) stays ``pending`` until a resend succeeds.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import JSON, Column, DateTime, ForeignKey, Integer, String, Text, UniqueConstraint, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import declarative_base

from bot.database import session_scope, utcnow

Base = declarative_base()


def conversation_id(session_id: str) -> str:
    """The Rasa sender id of a widget session, readable in the console."""
    return f"web-{session_id}"


class WebMessage(Base):
    __tablename__ = "web_messages"
    __table_args__ = (UniqueConstraint("session_id", "client_id"),)

    id = Column(Integer, primary_key=True, autoincrement=True)
    session_id = Column(String(64), nullable=False, index=True)
    #: founder (typed or tapped), sanad (a reply or a notice), advisor (a staff member, see bot.handoff)
    author = Column(String(10), nullable=False)
    client_id = Column(String(64))
    text = Column(Text, nullable=False, default="")
    #: the Rasa payload of a tapped button (founder), or the buttons offered (sanad)
    payload = Column(Text)
    buttons = Column(JSON)
    image = Column(Text)
    #: founder messages: pending until answered; sanad messages: the founder message they answer
    status = Column(String(10), nullable=False, default="answered")
    reply_to = Column(Integer, ForeignKey("web_messages.id"))
    created_at = Column(DateTime, nullable=False, default=utcnow)


@dataclass(frozen=True)
class Founder:
    """A founder message as stored: its id, and whether Sanad has answered it."""

    id: int
    text: str
    payload: str | None
    answered: bool


def as_json(message: WebMessage) -> dict[str, Any]:
    """The shape the widget renders."""
    return {
        "id": message.id,
        "author": message.author,
        "client_id": message.client_id,
        "text": message.text,
        "buttons": message.buttons or [],
        "image": message.image,
        "status": message.status,
        "created_at": message.created_at.isoformat() + "Z",
    }


class WebStore:
    def __init__(self, url: str | None = None) -> None:
        self.url = url

    def _session(self) -> Any:
        return session_scope(Base.metadata, self.url)

    def receive(self, session_id: str, client_id: str, text: str, payload: str | None) -> Founder:
        """Store a founder message, or find it if the widget sent it before (same ``client_id``)."""
        try:
            with self._session() as session:
                row = WebMessage(
                    session_id=session_id, author="founder", client_id=client_id, text=text, payload=payload,
                    status="pending",
                )  # fmt: skip
                session.add(row)
                session.flush()
                return Founder(row.id, text, payload, answered=False)
        except IntegrityError:
            with self._session() as session:
                row = session.scalars(
                    select(WebMessage).where(WebMessage.session_id == session_id, WebMessage.client_id == client_id)
                ).one()
                return Founder(row.id, row.text, row.payload, answered=row.status == "answered")

    def answer(self, session_id: str, founder_id: int, replies: list[dict[str, Any]]) -> None:
        """Store Sanad's replies to a founder message and mark it answered, in one transaction."""
        with self._session() as session:
            for reply in replies:
                session.add(
                    WebMessage(
                        session_id=session_id,
                        author="sanad",
                        text=str(reply.get("text") or ""),
                        buttons=[
                            {"title": str(b.get("title", "")), "payload": str(b.get("payload", ""))}
                            for b in reply.get("buttons") or []
                            if b.get("title") and b.get("payload")
                        ],
                        image=reply.get("image"),
                        reply_to=founder_id,
                    )
                )
            session.get(WebMessage, founder_id).status = "answered"

    def add(self, session_id: str, author: str, text: str) -> None:
        """A message that answers no founder message: an advisor's, or a notice from Sanad."""
        with self._session() as session:
            session.add(WebMessage(session_id=session_id, author=author, text=text))

    def replies_to(self, founder_id: int) -> list[dict[str, Any]]:
        with self._session() as session:
            rows = session.scalars(select(WebMessage).where(WebMessage.reply_to == founder_id).order_by(WebMessage.id))
            return [as_json(row) for row in rows]

    def founder_message(self, founder_id: int) -> dict[str, Any]:
        with self._session() as session:
            return as_json(session.get(WebMessage, founder_id))

    def history(self, session_id: str, after: int = 0, limit: int = 500) -> list[dict[str, Any]]:
        """The conversation's latest ``limit`` messages after id ``after``, oldest first."""
        with self._session() as session:
            rows = session.scalars(
                select(WebMessage)
                .where(WebMessage.session_id == session_id, WebMessage.id > after)
                .order_by(WebMessage.id.desc())
                .limit(limit)
            )
            return [as_json(row) for row in reversed(rows.all())]

    def offered(self, session_id: str, payload: str) -> bool:
        """Whether Sanad offered a button with this payload in this conversation."""
        with self._session() as session:
            rows = session.scalars(
                select(WebMessage.buttons).where(
                    WebMessage.session_id == session_id, WebMessage.author == "sanad", WebMessage.buttons.is_not(None)
                )
            )
            return any(button.get("payload") == payload for buttons in rows for button in buttons or [])
