"""The Telegram inbox keeps every update until handled, in order per chat, and resumes mid-way."""

from __future__ import annotations

import datetime as dt

from bot.channels.conversations import Base, ChannelConversation, Conversations
from bot.channels.telegram.store import TelegramStore, chat_of, conversation_id
from bot.database import session_scope


def message(update_id: int, chat_id: int, text: str = "bonjour") -> dict:
    return {
        "update_id": update_id,
        "message": {"message_id": update_id, "date": 0, "chat": {"id": chat_id, "type": "private"}, "text": text},
    }


def test_an_update_seen_twice_is_stored_once(database_url: str) -> None:
    store = TelegramStore(database_url)
    assert store.add([message(1, 10), message(2, 10)]) == 2
    assert store.add([message(2, 10), message(3, 11)]) == 1


def test_updates_of_a_chat_come_out_in_order_and_a_postponed_one_blocks_its_chat_only(database_url: str) -> None:
    store = TelegramStore(database_url)
    store.add([message(5, 10), message(6, 11), message(7, 10)])
    assert store.due_chats() == [10, 11]
    first = store.next_due(10)
    assert first is not None and first[0] == 5
    store.record_failure(5, "RasaUnavailableError")
    store.postpone(5, 60)
    assert store.next_due(10) is None  # 7 waits behind 5: order is kept
    assert store.due_chats() == [11]
    store.finish(6)
    assert store.due_chats() == []


def test_progress_survives_a_new_store_object(database_url: str) -> None:
    TelegramStore(database_url).add([message(1, 10)])
    first = TelegramStore(database_url)
    first.save_replies(1, [{"text": "a"}, {"text": "b"}])
    first.mark_sent(1, 1)
    progress = TelegramStore(database_url).progress(1)
    assert progress.replies == [{"text": "a"}, {"text": "b"}]
    assert progress.sent == 1


def test_button_keys_are_short_stable_and_resolve_to_their_payload(database_url: str) -> None:
    store = TelegramStore(database_url)
    payload = '/check_eligibility{"program": "e-technopark-incubation-program-with-a-long-name"}'
    key = store.button_key(payload)
    assert len(key.encode()) <= 64
    assert store.button_key(payload) == key
    assert store.button_payload(key) == payload
    assert store.button_payload("unknown") is None


def test_conversations_keep_their_channel_address_and_language(database_url: str) -> None:
    conversations = Conversations(database_url)
    conversations.remember(conversation_id(42), "telegram", "42", "private", "en")
    conversations.remember(conversation_id(42), "telegram", "42", "private", None)
    assert conversations.language("telegram-42") == "en"
    assert conversations.language("telegram-43") is None
    with session_scope(Base.metadata, database_url) as session:
        row = session.get(ChannelConversation, "telegram-42")
        assert (row.channel, row.address, row.kind) == ("telegram", "42", "private")


def test_done_updates_are_pruned_after_the_retention(database_url: str) -> None:
    store = TelegramStore(database_url)
    store.add([message(1, 10), message(2, 10)])
    store.finish(1)
    assert store.prune(older_than=dt.timedelta(seconds=-1)) == 1
    assert store.next_due(10) is not None  # the pending one is kept


def test_chat_of_button_taps_and_edits() -> None:
    tap = {"update_id": 1, "callback_query": {"id": "q", "from": {"id": 7}, "message": {"chat": {"id": -100}}}}
    assert chat_of(tap) == -100
    assert chat_of({"update_id": 2, "edited_message": {"chat": {"id": 9}}}) == 9
    assert chat_of({"update_id": 3, "poll": {}}) is None
