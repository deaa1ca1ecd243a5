"""The handoff desk on a real SQLite file: requests, one taker out of many, routing, delivery, office hours."""

from __future__ import annotations

import asyncio
import datetime as dt
import threading
from pathlib import Path

import pytest
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy import select

from actions.advisor import ActionSaveAdvisorRequest
from actions.answers import misunderstood_twice
from bot.handoff import desk
from bot.handoff.hours import OfficeHours
from bot.handoff.models import Handoff, HandoffEvent, HandoffMessage


def new_handoff(url: str, conversation: str = "web-abc", channel: str = "web") -> int:
    with desk.session_scope(url) as session:
        return desk.request(session, conversation, channel, "financement", "fr").id


def test_a_request_is_waiting_and_asking_again_returns_it(database_url: str) -> None:
    first = new_handoff(database_url)
    assert new_handoff(database_url) == first
    with desk.session_scope(database_url) as session, pytest.raises(desk.HandoffError):
        desk.request(session, "rest-1", "rest", "x", "fr")  # no channel to reach the founder on


def test_of_many_staff_taking_at_once_exactly_one_gets_it(database_url: str) -> None:
    handoff_id = new_handoff(database_url)
    barrier = threading.Barrier(6)
    results: dict[str, bool] = {}

    def try_take(name: str) -> None:
        barrier.wait()
        with desk.session_scope(database_url) as session:
            results[name] = desk.take(session, handoff_id, name)

    threads = [threading.Thread(target=try_take, args=(f"staff{n}",)) for n in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    winners = [name for name, won in results.items() if won]
    assert len(results) == 6 and len(winners) == 1
    with desk.session_scope(database_url) as session:
        assert session.get(Handoff, handoff_id).assigned_to == winners[0]
        notices = session.scalars(select(HandoffMessage).where(HandoffMessage.author == "notice")).all()
        assert len(notices) == 1 and winners[0].capitalize() in notices[0].text


def test_founder_messages_go_to_the_advisor_only_while_one_holds_the_conversation(database_url: str) -> None:
    handoff_id = new_handoff(database_url)
    with desk.session_scope(database_url) as session:
        assert not desk.route_founder_message(session, "web-abc", "avant", "web:1")  # waiting: Sanad answers
        desk.take(session, handoff_id, "amina")
    with desk.session_scope(database_url) as session:
        assert desk.route_founder_message(session, "web-abc", "bonjour", "web:2")
        assert desk.route_founder_message(session, "web-abc", "bonjour", "web:2")  # a retry stores it once
        assert not desk.route_founder_message(session, "web-other", "x", "web:3")
        desk.close(session, handoff_id, "amina", "handed_back")
    with desk.session_scope(database_url) as session:
        assert not desk.route_founder_message(session, "web-abc", "après", "web:4")
        founder = session.scalars(select(HandoffMessage.text).where(HandoffMessage.author == "founder")).all()
        assert founder == ["bonjour"]
        actions = session.scalars(select(HandoffEvent.action).order_by(HandoffEvent.id)).all()
        assert actions == ["requested", "taken", "handed_back"]


def test_only_the_holder_replies_and_closes(database_url: str) -> None:
    handoff_id = new_handoff(database_url)
    with desk.session_scope(database_url) as session:
        with pytest.raises(desk.HandoffError, match="pas"):
            desk.reply(session, handoff_id, "amina", "bonjour")  # not taken yet
        desk.take(session, handoff_id, "amina")
        with pytest.raises(desk.HandoffError, match="tenue par amina"):
            desk.reply(session, handoff_id, "youssef", "bonjour")
        with pytest.raises(desk.HandoffError, match="vide"):
            desk.reply(session, handoff_id, "amina", "   ")
        desk.reply(session, handoff_id, "amina", "Bonjour Salma")
        with pytest.raises(desk.HandoffError, match="tenue par amina"):
            desk.close(session, handoff_id, "youssef", "resolved")
        desk.close(session, handoff_id, "amina", "resolved")
        with pytest.raises(desk.HandoffError, match="close"):
            desk.close(session, handoff_id, "amina", "resolved")


def test_delivery_is_claimed_once_retried_and_given_up(database_url: str) -> None:
    handoff_id = new_handoff(database_url, "telegram-42", "telegram")
    with desk.session_scope(database_url) as session:
        desk.take(session, handoff_id, "amina")
        desk.reply(session, handoff_id, "amina", "Bonjour")
    with desk.session_scope(database_url) as session:
        claimed = desk.claim_outbound(session, "telegram")
    with desk.session_scope(database_url) as session:
        assert desk.claim_outbound(session, "telegram") == []  # another bridge gets nothing
        assert desk.claim_outbound(session, "web") == []
    assert [m.author for m in claimed] == ["notice", "advisor"]
    joined, answer = claimed
    with desk.session_scope(database_url) as session:
        desk.delivered(session, joined.id)
        desk.release(session, answer.id, "network down")
    with desk.session_scope(database_url) as session:
        [again] = desk.claim_outbound(session, "telegram")
        assert again.id == answer.id
        desk.release(session, again.id, "Forbidden: bot was blocked by the user", give_up=True)
    with desk.session_scope(database_url) as session:
        states = dict(session.execute(select(HandoffMessage.id, HandoffMessage.delivery)).all())
        assert states == {joined.id: "delivered", answer.id: "failed"}


def test_a_claim_left_by_a_crashed_channel_is_retried(database_url: str) -> None:
    handoff_id = new_handoff(database_url)
    with desk.session_scope(database_url) as session:
        desk.take(session, handoff_id, "amina")
    with desk.session_scope(database_url) as session:
        [notice] = desk.claim_outbound(session, "web", "web-abc")
        message = session.get(HandoffMessage, notice.id)
        message.claimed_at -= desk.STALE_CLAIM + dt.timedelta(seconds=1)
    with desk.session_scope(database_url) as session:
        assert [m.id for m in desk.claim_outbound(session, "web", "web-abc")] == [notice.id]


HOURS = OfficeHours.parse("1-5 09:00-18:00", "Africa/Casablanca")


@pytest.mark.parametrize(
    ("utc", "is_open", "opening"),
    [
        ("2026-11-23T10:00", True, "2026-11-23T11:00"),  # Monday 11:00 in Casablanca (UTC+1)
        ("2026-11-23T17:30", False, "2026-11-24T09:00"),  # Monday 18:30: Tuesday morning
        ("2026-11-28T12:00", False, "2026-11-30T09:00"),  # Saturday: Monday
        ("2026-11-27T07:59", False, "2026-11-27T09:00"),  # Friday 08:59: an hour later
    ],
)
def test_office_hours(utc: str, is_open: bool, opening: str) -> None:
    at = dt.datetime.fromisoformat(utc)
    assert HOURS.is_open(at) is is_open
    assert HOURS.next_opening(at).replace(tzinfo=None) == dt.datetime.fromisoformat(opening)


def test_outside_office_hours_the_founder_is_told_when(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SANAD_OFFICE_HOURS", "1-5 09:00-18:00")
    saturday = dt.datetime(2026, 11, 28, 12, 0, tzinfo=dt.timezone.utc)
    text = desk.requested_reply("fr", "Salma", 7, now=saturday)
    assert "du lundi au vendredi, de 09:00 à 18:00" in text and "lundi 30/11 à 09:00" in text
    monday = dt.datetime(2026, 11, 23, 10, 0, tzinfo=dt.timezone.utc)
    assert "va vous rejoindre ici" in desk.requested_reply("fr", "Salma", 7, now=monday)
    with pytest.raises(ValueError, match="SANAD_OFFICE_HOURS"):
        OfficeHours.parse("weekdays", "Africa/Casablanca")


def tracker(channel: str | None, events: list[dict] | None = None) -> Tracker:
    return Tracker(
        sender_id=f"{channel or 'rest'}-founder",
        slots={
            "language": "fr",
            "advisor_name": "Salma",
            "advisor_contact": "salma@example.ma",
            "advisor_topic": "prêt",
        },
        latest_message={
            "intent": {"name": "inform"},
            "text": "prêt",
            "metadata": {"channel": channel} if channel else {},
        },
        events=events or [],
        paused=False,
        followup_action=None,
        active_loop={},
        latest_action_name="action_listen",
    )


@pytest.mark.parametrize(("channel", "says"), [("web", "va vous rejoindre ici"), (None, "vous contactera à")])
def test_the_advisor_request_opens_a_handoff_on_live_channels(
    loaded_catalog: str, monkeypatch: pytest.MonkeyPatch, channel: str | None, says: str
) -> None:
    monkeypatch.setenv("SANAD_OFFICE_HOURS", "1-7 00:00-24:00")
    dispatcher = CollectingDispatcher()
    asyncio.run(ActionSaveAdvisorRequest().run(dispatcher, tracker(channel), {}))
    assert says in dispatcher.messages[0]["text"]
    with desk.session_scope(loaded_catalog) as session:
        handoffs = session.scalars(select(Handoff)).all()
    assert [(h.channel, h.status, h.reason) for h in handoffs] == ([("web", "waiting", "prêt")] if channel else [])


def test_two_misunderstood_messages_in_a_row_offer_an_advisor() -> None:
    def user(intent: str) -> dict:
        return {"event": "user", "parse_data": {"intent": {"name": intent}}}

    assert not misunderstood_twice(tracker("web", [user("greet"), user("nlu_fallback")]))
    assert misunderstood_twice(tracker("web", [user("greet"), user("nlu_fallback"), user("nlu_fallback")]))
    assert not misunderstood_twice(tracker("web", [user("nlu_fallback"), user("greet"), user("nlu_fallback")]))


def test_the_handoff_tables_are_created_on_first_use(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'fresh.db'}"  # tables are created on first use, like every channel table
    assert new_handoff(url) == 1
