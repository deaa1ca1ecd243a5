"""The widget's message store: a resend is recognised, replies are kept in order, buttons are checked."""

from __future__ import annotations

from bot.channels.web.store import WebStore, conversation_id


def test_a_resent_message_is_the_same_message_and_keeps_its_replies(database_url: str) -> None:
    store = WebStore(database_url)
    first = store.receive("session-1", "client-aaaa", "bonjour", None)
    assert not first.answered
    again = store.receive("session-1", "client-aaaa", "bonjour", None)
    assert again.id == first.id and not again.answered  # still pending: the widget may try again

    store.answer(
        "session-1",
        first.id,
        [{"text": "Bonjour !", "buttons": [{"title": "Programmes", "payload": "/list_programs"}]}],
    )
    assert store.receive("session-1", "client-aaaa", "bonjour", None).answered
    [reply] = store.replies_to(first.id)
    assert reply["text"] == "Bonjour !" and reply["buttons"] == [{"title": "Programmes", "payload": "/list_programs"}]


def test_history_reads_back_both_sides_in_order_after_an_id(database_url: str) -> None:
    store = WebStore(database_url)
    founder = store.receive("session-2", "client-bbbb", "programmes ?", None)
    store.answer("session-2", founder.id, [{"text": "Voici"}, {"text": "la liste"}])
    history = store.history("session-2")
    assert [(m["author"], m["text"]) for m in history] == [
        ("founder", "programmes ?"),
        ("sanad", "Voici"),
        ("sanad", "la liste"),
    ]
    assert [m["text"] for m in store.history("session-2", after=history[0]["id"])] == ["Voici", "la liste"]
    assert store.history("another-session") == []


def test_only_buttons_sanad_offered_in_this_conversation_are_accepted(database_url: str) -> None:
    store = WebStore(database_url)
    founder = store.receive("session-3", "client-cccc", "bonjour", None)
    store.answer(
        "session-3",
        founder.id,
        [{"text": "?", "buttons": [{"title": "Détails", "payload": '/program_details{"program": "x"}'}]}],
    )
    assert store.offered("session-3", '/program_details{"program": "x"}')
    assert not store.offered("session-3", "/request_advisor")
    assert not store.offered("session-4", '/program_details{"program": "x"}')
    assert conversation_id("session-3") == "web-session-3"
