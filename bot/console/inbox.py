"""The console's live inbox: founders waiting for an advisor, and the conversations staff hold.

A staff member takes a waiting conversation (one click; if a colleague was first, they are
told who), reads the transcript so far, writes to the founder on the founder's own channel,
sees each message's delivery, then hands the founder back to Sanad or resolves. The page of
a conversation asks the server for new messages every two seconds (``static/console.js``):
the founder's words appear without a reload. The work itself is ``bot.handoff.desk``.
"""

from __future__ import annotations

import asyncio
from typing import Any

from aiohttp import web
from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.console import queries
from bot.console.pii import mask
from bot.console.web import TRACKER, form, in_session, problem, render, see_other, staff
from bot.handoff import desk
from bot.handoff.models import Handoff, HandoffEvent, HandoffMessage

RECENT = 20
STATUS_LABELS = {"waiting": "en attente", "open": "en cours", "resolved": "close"}
DELIVERY_LABELS = {
    "pending": "en file",
    "sending": "envoi…",
    "delivered": "remis",
    "failed": "non remis",
    "received": "reçu",
}


def _handoff_id(request: web.Request) -> int:
    return int(request.match_info["handoff_id"])


async def inbox(request: web.Request) -> web.Response:
    def load(session: Session) -> dict[str, list[Handoff]]:
        def of(status: str, limit: int | None = None) -> list[Handoff]:
            query = select(Handoff).where(Handoff.status == status).order_by(Handoff.created_at.desc())
            return list(session.scalars(query.limit(limit) if limit else query))

        return {"waiting": of("waiting"), "open": of("open"), "resolved": of("resolved", RECENT)}

    groups = await in_session(request, load)
    return render(request, "inbox.html", groups=groups, labels=STATUS_LABELS, mask=mask)


def _message_json(message: HandoffMessage, reveal: bool) -> dict[str, Any]:
    return {
        "id": message.id,
        "author": message.author,
        "staff": message.staff,
        "text": message.text if reveal else mask(message.text),
        "delivery": message.delivery,
        "delivery_label": DELIVERY_LABELS.get(message.delivery, message.delivery),
        "error": message.error,
        "at": message.created_at.strftime("%d/%m %H:%M:%S"),
    }


def _thread(session: Session, handoff_id: int, reveal: bool) -> list[dict[str, Any]]:
    messages = session.scalars(
        select(HandoffMessage).where(HandoffMessage.handoff_id == handoff_id).order_by(HandoffMessage.id)
    )
    return [_message_json(m, reveal) for m in messages]


def handoffs_of(session: Session, conversation_id: str, reveal: bool) -> list[tuple[Handoff, list[dict[str, Any]]]]:
    """The conversation's handoffs and their messages: the part of it Rasa never saw."""
    handoffs = session.scalars(
        select(Handoff).where(Handoff.conversation_id == conversation_id).order_by(Handoff.id)
    ).all()
    return [(handoff, _thread(session, handoff.id, reveal)) for handoff in handoffs]


async def handoff_page(request: web.Request, error: str = "", status: int = 200) -> web.Response:
    handoff_id = _handoff_id(request)
    reveal = staff(request).is_admin

    def load(session: Session) -> tuple[Handoff | None, list[dict[str, Any]], list[HandoffEvent]]:
        handoff = session.get(Handoff, handoff_id)
        events = session.scalars(
            select(HandoffEvent).where(HandoffEvent.handoff_id == handoff_id).order_by(HandoffEvent.id)
        )
        return handoff, _thread(session, handoff_id, reveal), list(events)

    handoff, thread, events = await in_session(request, load)
    if handoff is None:
        return problem(request, 404, "Demande introuvable.")
    items = await asyncio.to_thread(queries.transcript, request.app[TRACKER], handoff.conversation_id, reveal)
    return render(
        request,
        "handoff.html",
        status=status,
        handoff=handoff,
        thread=thread,
        events=events,
        items=items,
        error=error,
        labels=STATUS_LABELS,
        reason=handoff.reason if reveal else mask(handoff.reason),
    )


async def handoff_messages(request: web.Request) -> web.Response:
    """The live part of the page: status, holder and every message with its delivery state."""
    handoff_id = _handoff_id(request)
    reveal = staff(request).is_admin

    def load(session: Session) -> dict[str, Any] | None:
        handoff = session.get(Handoff, handoff_id)
        if handoff is None:
            return None
        return {
            "status": handoff.status,
            "status_label": STATUS_LABELS[handoff.status],
            "assigned_to": handoff.assigned_to,
            "messages": _thread(session, handoff_id, reveal),
        }

    body = await in_session(request, load)
    return web.json_response(body) if body else web.json_response({"error": "not_found"}, status=404)


async def take(request: web.Request) -> web.StreamResponse:
    handoff_id, who = _handoff_id(request), staff(request).username

    def work(session: Session) -> str | None:
        if desk.take(session, handoff_id, who):
            return None
        handoff = session.get(Handoff, handoff_id)
        if handoff is None:
            return "Demande introuvable."
        return f"Déjà prise par {handoff.assigned_to}." if handoff.assigned_to else "Cette demande est close."

    refusal = await in_session(request, work)
    if refusal:
        return await handoff_page(request, refusal, status=409)
    raise see_other(f"/inbox/{handoff_id}")


async def reply(request: web.Request) -> web.StreamResponse:
    handoff_id, who = _handoff_id(request), staff(request).username
    text = (await form(request)).get("text", "")
    try:
        await in_session(request, lambda s: desk.reply(s, handoff_id, who, text))
    except desk.HandoffError as refusal:
        return await handoff_page(request, str(refusal), status=409)
    raise see_other(f"/inbox/{handoff_id}#reply")


async def close(request: web.Request) -> web.StreamResponse:
    handoff_id, who = _handoff_id(request), staff(request).username
    outcome = (await form(request)).get("outcome", "")
    try:
        await in_session(request, lambda s: desk.close(s, handoff_id, who, outcome))
    except desk.HandoffError as refusal:
        return await handoff_page(request, str(refusal), status=409)
    raise see_other("/inbox")


def add_routes(app: web.Application) -> None:
    app.router.add_get("/inbox", inbox)
    app.router.add_get(r"/inbox/{handoff_id:\d+}", handoff_page)
    app.router.add_get(r"/inbox/{handoff_id:\d+}/messages", handoff_messages)
    app.router.add_post(r"/inbox/{handoff_id:\d+}/take", take)
    app.router.add_post(r"/inbox/{handoff_id:\d+}/reply", reply)
    app.router.add_post(r"/inbox/{handoff_id:\d+}/close", close)
