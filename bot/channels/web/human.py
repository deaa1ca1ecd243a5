"""The human part of a widget conversation (``bot.handoff``): founder messages to the advisor while one
holds the conversation, and the advisor's messages (and Sanad's notices) put into the widget's store.

The widget asks for new messages every few seconds; before answering, the server
claims what is queued for that conversation (so two widget servers never copy a
message twice) and stores it as ordinary widget messages: ``delivered`` then means
"in the founder's conversation"; a widget that is closed or offline gets them at its
next request, and until then the staff member sees them as pending.
"""

from __future__ import annotations

from bot.channels.web.store import WebStore
from bot.handoff import desk

CHANNEL = "web"


def to_advisor(url: str | None, conversation_id: str, text: str, founder_message_id: int) -> bool:
    """True if an advisor holds the conversation: the founder's text is kept for them, Rasa is not asked."""
    with desk.session_scope(url) as session:
        return desk.route_founder_message(session, conversation_id, text, f"{CHANNEL}:{founder_message_id}")


def deliver(store: WebStore, url: str | None, session_id: str, conversation_id: str) -> int:
    """Move the queued messages of this conversation into the widget's store; returns how many."""
    with desk.session_scope(url) as session:
        queued = desk.claim_outbound(session, CHANNEL, conversation_id)
    for message in queued:
        store.add(session_id, "advisor" if message.author == "advisor" else "sanad", message.text)
        with desk.session_scope(url) as session:
            desk.delivered(session, message.id)
    return len(queued)
