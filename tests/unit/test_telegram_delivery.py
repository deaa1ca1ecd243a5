"""How the bridge paces Telegram requests and decides what to do with an update that failed."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from sqlalchemy import select
from telegram.error import Forbidden, NetworkError, RetryAfter

from bot.channels.rasa_client import RasaUnavailableError
from bot.channels.telegram import limits
from bot.channels.telegram.dispatch import MAX_ATTEMPTS, Dispatcher
from bot.channels.telegram.limits import PacedRateLimiter
from bot.channels.telegram.store import Base, InboxUpdate, TelegramStore
from bot.database import session_scope


@pytest.fixture
def frozen_clock(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    """``time.monotonic`` as seen by the limiter, moved by hand."""
    now = [1000.0]
    monkeypatch.setattr(limits.time, "monotonic", lambda: now[0])
    return now


def test_messages_to_one_chat_are_paced_after_a_burst_and_other_chats_are_not_held_up(
    frozen_clock: list[float],
) -> None:
    limiter = PacedRateLimiter(chat_interval=1.0, overall_per_second=30)
    # a short burst goes at once (a reply of a few messages), then one per second
    assert [limiter._chat_slot(42, "sendMessage") for _ in range(5)] == pytest.approx([0, 0, 0, 1, 2])
    assert limiter._chat_slot(43, "sendMessage") == 0  # another chat: its own pace
    assert limiter._chat_slot(42, "sendChatAction") == 0  # "typing" is not a message
    assert [limiter._overall_slot() for _ in range(3)] == pytest.approx([0, 1 / 30, 2 / 30])  # 30/s shared


def test_after_a_pause_a_chat_may_burst_again(frozen_clock: list[float]) -> None:
    limiter = PacedRateLimiter(chat_interval=1.0)
    assert [limiter._chat_slot(7, "sendMessage") for _ in range(4)] == pytest.approx([0, 0, 0, 1])
    frozen_clock[0] += 10
    assert [limiter._chat_slot(7, "sendMessage") for _ in range(4)] == pytest.approx([0, 0, 0, 1])


def test_groups_get_twenty_messages_a_minute(frozen_clock: list[float]) -> None:
    limiter = PacedRateLimiter()
    assert [limiter._chat_slot(-100, "sendMessage") for _ in range(4)] == pytest.approx([0, 0, 0, 3])


def test_a_429_is_waited_out_then_the_request_is_sent_again() -> None:
    calls: list[int] = []

    async def flaky(**_: Any) -> bool:
        calls.append(1)
        if len(calls) == 1:
            raise RetryAfter(0)
        return True

    limiter = PacedRateLimiter(chat_interval=0)
    assert asyncio.run(limiter.process_request(flaky, (), {}, "sendMessage", {"chat_id": 1}, None)) is True
    assert len(calls) == 2


def test_a_429_that_never_ends_is_raised_after_the_retries() -> None:
    async def always_429(**_: Any) -> bool:
        raise RetryAfter(0)

    limiter = PacedRateLimiter(chat_interval=0, max_retries=2)
    with pytest.raises(RetryAfter):
        asyncio.run(limiter.process_request(always_429, (), {}, "sendMessage", {"chat_id": 1}, None))


def status(url: str, update_id: int) -> tuple[str, int]:
    with session_scope(Base.metadata, url) as session:
        row = session.scalars(select(InboxUpdate).where(InboxUpdate.update_id == update_id)).one()
        return row.status, row.attempts


@pytest.fixture
def dispatcher(database_url: str) -> Dispatcher:
    store = TelegramStore(database_url)
    store.add([{"update_id": 1, "message": {"chat": {"id": 5}}}])
    return Dispatcher(application=None, store=store, max_delay=30)


def test_a_founder_who_blocked_the_bot_is_given_up_on(dispatcher: Dispatcher, database_url: str) -> None:
    assert dispatcher._failed(1, Forbidden("bot was blocked by the user")) is True
    assert status(database_url, 1) == ("failed", 0)


@pytest.mark.parametrize("error", [RasaUnavailableError("connection refused"), NetworkError("reset"), RetryAfter(3)])
def test_passing_trouble_is_retried_for_as_long_as_it_lasts(
    dispatcher: Dispatcher, database_url: str, error: Exception
) -> None:
    for _ in range(MAX_ATTEMPTS + 2):
        assert dispatcher._failed(1, error) is False  # the chat waits: order is kept
    assert status(database_url, 1) == ("pending", MAX_ATTEMPTS + 2)
    assert dispatcher.store.next_due(5) is None  # postponed


def test_an_error_that_comes_back_is_set_aside_after_a_few_attempts(dispatcher: Dispatcher, database_url: str) -> None:
    lasting = RasaUnavailableError("Rasa answered HTTP 500", lasting=True)
    results = [dispatcher._failed(1, lasting) for _ in range(MAX_ATTEMPTS)]
    assert results == [False] * (MAX_ATTEMPTS - 1) + [True]
    assert status(database_url, 1) == ("failed", MAX_ATTEMPTS)
