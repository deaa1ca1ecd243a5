"""The console's pages, one small handler per page or form; the work is in ``queries``, ``analytics``,
``nlu_export`` and ``auth``. Every form posts back and redirects (303) to the page it came from."""

from __future__ import annotations

import asyncio
import datetime as dt
import secrets
import urllib.parse
from collections.abc import Awaitable, Callable
from pathlib import Path

from aiohttp import web
from itsdangerous import BadSignature
from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.catalog.models import AdvisorRequest
from bot.console import analytics, auth, inbox, nlu_export, queries
from bot.console.models import ROLES, IndexedConversation, IndexedMessage, Note, Review, StaffUser, Tag
from bot.console.pii import mask
from bot.console.web import (
    LOGIN_COOKIE,
    LOW_CONFIDENCE,
    SESSION_COOKIE,
    SIGNER,
    TRACKER,
    form,
    in_session,
    problem,
    render,
    see_other,
    set_cookie,
    staff,
)
from bot.database import utcnow

Indexer = Callable[[web.Application], Awaitable[None]]
INDEX = web.AppKey("index", object)  # the function that brings the index up to date
REQUEST_STATUSES = {"new": "nouvelle", "in_progress": "en cours", "done": "traitée"}
MAX_NOTE = 2000
LOGIN_TTL = 30 * 60


# --- sign-in ------------------------------------------------------------------------------------


def _safe_next(target: str) -> str:
    """Only a path of this console (never ``//other.site``)."""
    return target if target.startswith("/") and not target.startswith("//") else "/conversations"


def _login_token(request: web.Request) -> str | None:
    """The token of the sign-in form's own cookie, if it is there and signed by us."""
    try:
        return request.app[SIGNER].unsign(request.cookies.get(LOGIN_COOKIE, "")).decode()
    except BadSignature:
        return None


async def login_page(request: web.Request, error: str = "", status: int = 200) -> web.Response:
    # The same token while the cookie lives: a second tab (or the browser's favicon request) that shows
    # the form again must not invalidate the first one.
    token = _login_token(request) or secrets.token_urlsafe(24)
    response = render(
        request, "login.html", status=status, csrf=token, error=error, next=_safe_next(request.query.get("next", ""))
    )
    set_cookie(response, request, LOGIN_COOKIE, request.app[SIGNER].sign(token).decode(), LOGIN_TTL)
    return response


async def login(request: web.Request) -> web.StreamResponse:
    fields = await form(request)
    expected = _login_token(request)
    if expected is None or not auth.csrf_matches(expected, fields.get("csrf")):
        return await login_page(request, "Formulaire expiré : réessayez.", status=403)

    def sign_in(session: Session) -> str | None:
        user = auth.authenticate(session, fields.get("username", ""), fields.get("password", ""))
        return auth.open_session(session, user) if user else None

    token = await in_session(request, sign_in)
    if token is None:
        return await login_page(request, "Identifiant ou mot de passe incorrect (ou compte verrouillé).", status=401)
    response = see_other(_safe_next(fields.get("next", "")))
    set_cookie(response, request, SESSION_COOKIE, request.app[SIGNER].sign(token).decode(), 12 * 3600)
    response.del_cookie(LOGIN_COOKIE, path="/")
    raise response


async def logout(request: web.Request) -> web.StreamResponse:
    token = request.app[SIGNER].unsign(request.cookies[SESSION_COOKIE]).decode()
    await in_session(request, lambda s: auth.close_session(s, token))
    response = see_other("/login")
    response.del_cookie(SESSION_COOKIE, path="/")
    raise response


# --- conversations ------------------------------------------------------------------------------


async def conversations(request: web.Request) -> web.Response:
    await request.app[INDEX](request.app)
    chosen = queries.ConversationFilter.parse(request.query)
    low = request.app[LOW_CONFIDENCE]
    page, choices = await in_session(
        request, lambda s: (queries.list_conversations(s, chosen, low), queries.filter_choices(s))
    )
    return render(
        request,
        "conversations.html",
        page=page,
        filters=chosen,
        choices=choices,
        low=low,
        link=lambda **changes: "?" + urllib.parse.urlencode(chosen.query_string(**changes)),
    )


async def conversation(request: web.Request) -> web.Response:
    conversation_id = request.match_info["conversation_id"]
    member = staff(request)
    items = await asyncio.to_thread(queries.transcript, request.app[TRACKER], conversation_id, member.is_admin)
    if not items:
        return problem(request, 404, "Conversation introuvable.")
    state, handoffs = await in_session(
        request,
        lambda s: (queries.review_state(s, conversation_id), inbox.handoffs_of(s, conversation_id, member.is_admin)),
    )
    return render(
        request,
        "transcript.html",
        conversation_id=conversation_id,
        items=items,
        state=state,
        handoffs=handoffs,
        channel=await _channel_of(request, conversation_id),
    )


async def _channel_of(request: web.Request, conversation_id: str) -> str:
    row = await in_session(request, lambda s: s.get(IndexedConversation, conversation_id))
    return row.channel if row else "?"


def _back(conversation_id: str, anchor: str = "") -> web.HTTPSeeOther:
    return see_other(f"/conversations/{urllib.parse.quote(conversation_id, safe='')}{anchor}")


async def mark_reviewed(request: web.Request) -> web.StreamResponse:
    conversation_id = request.match_info["conversation_id"]
    done = (await form(request)).get("reviewed") == "1"
    who = staff(request).username

    def save(session: Session) -> None:
        review = session.get(Review, conversation_id)
        if done and review is None:
            session.add(Review(conversation_id=conversation_id, reviewed_by=who, reviewed_at=utcnow()))
        elif not done and review is not None:
            session.delete(review)

    await in_session(request, save)
    raise _back(conversation_id)


async def add_tag(request: web.Request) -> web.StreamResponse:
    conversation_id = request.match_info["conversation_id"]
    tag = " ".join((await form(request)).get("tag", "").split()).casefold()[:40]
    who = staff(request).username
    if tag:

        def save(session: Session) -> None:
            if session.get(Tag, (conversation_id, tag)) is None:
                session.add(Tag(conversation_id=conversation_id, tag=tag, added_by=who))

        await in_session(request, save)
    raise _back(conversation_id)


async def remove_tag(request: web.Request) -> web.StreamResponse:
    conversation_id = request.match_info["conversation_id"]
    tag = (await form(request)).get("tag", "")

    def save(session: Session) -> None:
        row = session.get(Tag, (conversation_id, tag))
        if row is not None:
            session.delete(row)

    await in_session(request, save)
    raise _back(conversation_id)


async def add_note(request: web.Request) -> web.StreamResponse:
    conversation_id = request.match_info["conversation_id"]
    fields = await form(request)
    text = fields.get("text", "").strip()[:MAX_NOTE]
    event_id = int(fields["event_id"]) if fields.get("event_id", "").isdigit() else None
    who = staff(request).username
    if text:
        await in_session(
            request, lambda s: s.add(Note(conversation_id=conversation_id, event_id=event_id, author=who, text=text))
        )
    raise _back(conversation_id, "#notes")


async def flag_message(request: web.Request) -> web.StreamResponse:
    event_id = int(request.match_info["event_id"])
    who = staff(request).username

    def save(session: Session) -> str | None:
        message = session.get(IndexedMessage, event_id)
        if message is not None:
            nlu_export.flag(session, message, who)
        return message.conversation_id if message else None

    await request.app[INDEX](request.app)
    conversation_id = await in_session(request, save)
    if conversation_id is None:
        return problem(request, 404, "Message introuvable.")
    raise _back(conversation_id, f"#m{event_id}")


# --- NLU inbox ----------------------------------------------------------------------------------


async def nlu_inbox(request: web.Request, error: str = "", status: int = 200) -> web.Response:
    await request.app[INDEX](request.app)
    low = request.app[LOW_CONFIDENCE]
    items, total = await in_session(request, lambda s: queries.nlu_inbox(s, low))
    return render(
        request,
        "nlu.html",
        status=status,
        items=items,
        total=total,
        low=low,
        error=error,
        intents=nlu_export.domain_intents(),
        entities=nlu_export.domain_entities(),
        annotate=nlu_export.annotate,
    )


async def nlu_decide(request: web.Request) -> web.StreamResponse:
    event_id = int(request.match_info["event_id"])
    fields = await form(request)
    who = staff(request).username

    def save(session: Session) -> bool:
        message = session.get(IndexedMessage, event_id)
        if message is None:
            return False
        nlu_export.decide(
            session, message, fields.get("decision", ""), who, fields.get("intent", ""), fields.get("annotated", "")
        )
        return True

    try:
        found = await in_session(request, save)
    except nlu_export.AnnotationError as error:
        return await nlu_inbox(request, str(error), status=422)
    if not found:
        return problem(request, 404, "Message introuvable.")
    raise see_other("/nlu")


async def nlu_download(request: web.Request) -> web.Response:
    result = await in_session(request, lambda s: nlu_export.export(s, mark=False))
    return web.Response(
        text=result.yaml_text,
        content_type="application/x-yaml",
        charset="utf-8",
        headers={"Content-Disposition": 'attachment; filename="reviewed.yml"'},
    )


# --- analytics ----------------------------------------------------------------------------------


def _period(request: web.Request) -> analytics.Period:
    try:
        days = max(1, min(int(request.query.get("days", "30")), 366))
    except ValueError:
        days = 30
    return analytics.Period.last_days(days)


async def analytics_page(request: web.Request) -> web.Response:
    await request.app[INDEX](request.app)
    period = _period(request)
    tables = await in_session(request, lambda s: [build(s, period) for build in analytics.TABLES.values()])
    return render(request, "analytics.html", tables=tables, period=period, days=(period.end - period.start).days + 1)


async def analytics_csv(request: web.Request) -> web.Response:
    build = analytics.TABLES.get(request.match_info["table"])
    if build is None:
        return problem(request, 404, "Tableau inconnu.")
    period = _period(request)
    table = await in_session(request, lambda s: build(s, period))
    name = f"sanad-{table.name}-{period.start}-{period.end}.csv"
    return web.Response(
        text=table.csv(),
        content_type="text/csv",
        charset="utf-8",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


# --- advisor requests ---------------------------------------------------------------------------


async def advisor_requests(request: web.Request) -> web.Response:
    status = request.query.get("status", "")

    def load(session: Session) -> list[AdvisorRequest]:
        query = select(AdvisorRequest).order_by(AdvisorRequest.created_at.desc(), AdvisorRequest.id.desc()).limit(200)
        if status in REQUEST_STATUSES:
            query = query.where(AdvisorRequest.status == status)
        return list(session.scalars(query))

    rows = await in_session(request, load)
    return render(request, "requests.html", rows=rows, statuses=REQUEST_STATUSES, chosen=status, mask=mask)


async def advisor_request_status(request: web.Request) -> web.StreamResponse:
    request_id = int(request.match_info["request_id"])
    status = (await form(request)).get("status", "")
    if status not in REQUEST_STATUSES:
        return problem(request, 422, "Statut inconnu.")

    def save(session: Session) -> bool:
        row = session.get(AdvisorRequest, request_id)
        if row is not None:
            row.status = status
        return row is not None

    if not await in_session(request, save):
        return problem(request, 404, "Demande introuvable.")
    raise see_other("/requests")


# --- accounts (admins only: the session middleware guards /admin) -------------------------------


async def users_page(request: web.Request, error: str = "", status: int = 200) -> web.Response:
    users = await in_session(request, lambda s: list(s.scalars(select(StaffUser).order_by(StaffUser.username))))
    return render(request, "users.html", status=status, users=users, roles=ROLES, error=error, now=utcnow())


async def create_user(request: web.Request) -> web.StreamResponse:
    fields = await form(request)
    try:
        await in_session(
            request,
            lambda s: auth.create_user(
                s, fields.get("username", ""), fields.get("password", ""), fields.get("role", "")
            ),
        )
    except auth.AccountError as error:
        return await users_page(request, str(error), status=422)
    raise see_other("/admin/users")


async def update_user(request: web.Request) -> web.StreamResponse:
    user_id = int(request.match_info["user_id"])
    fields = await form(request)
    me = staff(request)

    def save(session: Session) -> None:
        user = session.get(StaffUser, user_id)
        if user is None:
            raise auth.AccountError("Compte introuvable.")
        if user.id == me.id and (fields.get("active") == "0" or fields.get("role", user.role) != "admin"):
            raise auth.AccountError("Vous ne pouvez pas désactiver votre propre compte ni retirer votre rôle d'admin.")
        if fields.get("role") in ROLES:
            user.role = fields["role"]
        if fields.get("active") in ("0", "1"):
            user.active = fields["active"] == "1"
            if not user.active:
                auth.end_sessions(session, user.id)
        if fields.get("unlock") == "1":
            user.locked_until, user.failed_logins = None, 0
        if fields.get("password"):
            auth.set_password(session, user, fields["password"])

    try:
        await in_session(request, save)
    except auth.AccountError as error:
        return await users_page(request, str(error), status=422)
    raise see_other("/admin/users")


# --- wiring -------------------------------------------------------------------------------------


async def home(request: web.Request) -> web.StreamResponse:
    raise see_other("/conversations")


async def favicon(request: web.Request) -> web.Response:
    return web.Response(status=204)


async def health(request: web.Request) -> web.Response:
    return web.json_response({"status": "ok", "time": dt.datetime.now(dt.timezone.utc).isoformat()})


def add_routes(app: web.Application, index: Indexer) -> None:
    app[INDEX] = index
    app.router.add_get("/health", health)
    app.router.add_get("/favicon.ico", favicon)
    app.router.add_get("/login", login_page)
    app.router.add_post("/login", login)
    app.router.add_post("/logout", logout)
    app.router.add_get("/", home)
    app.router.add_get("/conversations", conversations)
    app.router.add_get("/conversations/{conversation_id}", conversation)
    app.router.add_post("/conversations/{conversation_id}/review", mark_reviewed)
    app.router.add_post("/conversations/{conversation_id}/tags", add_tag)
    app.router.add_post("/conversations/{conversation_id}/tags/remove", remove_tag)
    app.router.add_post("/conversations/{conversation_id}/notes", add_note)
    app.router.add_post(r"/messages/{event_id:\d+}/flag", flag_message)
    app.router.add_get("/nlu", nlu_inbox)
    app.router.add_post(r"/nlu/{event_id:\d+}", nlu_decide)
    app.router.add_get("/nlu/export.yml", nlu_download)
    app.router.add_get("/analytics", analytics_page)
    app.router.add_get(r"/analytics/{table:[a-z]+}.csv", analytics_csv)
    app.router.add_get("/requests", advisor_requests)
    app.router.add_post(r"/requests/{request_id:\d+}", advisor_request_status)
    app.router.add_get("/admin/users", users_page)
    app.router.add_post("/admin/users", create_user)
    app.router.add_post(r"/admin/users/{user_id:\d+}", update_user)
    app.router.add_static("/static/", Path(__file__).parent / "static")
