"""Founders on Telegram: python-telegram-bot's real HTTP client against a local Bot API stand-in,
the real bridge process, and the real Rasa server and action server.

Each test starts its own bridge (``python -m bot.channels.telegram.bridge``) on the
module's Sanad and uses its own chat ids, so tests do not see each other's messages.
"""

from __future__ import annotations

import itertools
import json
import os
import shutil
import signal
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
import yaml
from sqlalchemy import select

from bot import runner
from bot.catalog.loader import DATA_DIR, load_catalog
from bot.channels.telegram.store import Base, InboxUpdate
from bot.database import session_scope
from tests.model.conftest import Sanad, free_port
from tests.support.bot_api import BotApiStandIn, SentMessage

TOKEN = "123456:TEST-token-never-logged"
GREETING_FR = "Bonjour, je suis Sanad"
GREETING_EN = "Hello, I'm Sanad"
GREETING_AR = "أنا سند"
GREETING_ARY = "Salam! Ana Sanad"
UNAVAILABLE = "Sanad est momentanément indisponible"

_chat_ids = itertools.count(1001)


def new_chat() -> int:
    return next(_chat_ids)


@dataclass
class Telegram:
    """The stand-in, the bridge process, and helpers to talk like a founder."""

    api: BotApiStandIn
    bridge: runner.Service
    env: dict[str, str]
    sanad: Sanad

    def start_bridge(self, **overrides: str) -> None:
        self.env.update(overrides)
        self.bridge = runner.telegram_bridge(self.env, self.bridge.log_path.parent)
        runner.start_all([self.bridge], self.env, timeout=60)

    def kill_bridge(self) -> None:
        """SIGKILL: no cleanup, like a crash or a container being killed."""
        assert self.bridge.process is not None
        os.killpg(self.bridge.process.pid, signal.SIGKILL)
        self.bridge.process.wait()

    def status(self, update_id: int) -> str | None:
        with session_scope(Base.metadata, self.sanad.catalog_url) as session:
            return session.scalar(select(InboxUpdate.status).where(InboxUpdate.update_id == update_id))

    def replies_stored(self, update_id: int) -> bool:
        with session_scope(Base.metadata, self.sanad.catalog_url) as session:
            replies = session.scalar(select(InboxUpdate.replies).where(InboxUpdate.update_id == update_id))
            return replies is not None

    def wait_handled(self, *update_ids: int, timeout: float = 120) -> None:
        self.api.wait_for(lambda: all(self.status(u) == "done" for u in update_ids), timeout=timeout)

    def texts(self, chat_id: int) -> list[str]:
        return [m.plain_text or "" for m in self.api.sent(chat_id)]

    def say(self, chat_id: int, text: str | None = None, **kwargs: Any) -> list[SentMessage]:
        """Send a founder message and return the bot messages it caused, once it is fully handled."""
        before = len(self.api.sent(chat_id))
        update_id = self.api.push_message(chat_id, text, **kwargs)
        self.wait_handled(update_id)
        return self.api.sent(chat_id)[before:]

    def tap(self, chat_id: int, message: SentMessage, title: str) -> list[SentMessage]:
        """Tap the button titled ``title`` under a bot message."""
        data = next(button["callback_data"] for button in message.buttons if button["text"] == title)
        before = len(self.api.sent(chat_id))
        update_id = self.api.push_callback(chat_id, message.message_id, data)
        self.wait_handled(update_id)
        return self.api.sent(chat_id)[before:]


def joined(messages: list[SentMessage]) -> str:
    """What the founder reads, all messages together."""
    return "\n".join(m.plain_text or "" for m in messages)


def buttons(message: SentMessage) -> list[str]:
    return [b["text"] for b in message.buttons]


def user_texts(sanad: Sanad, conversation: str) -> list[str]:
    """What the founder said, as Rasa's tracker store recorded it."""
    with sqlite3.connect(sanad.tracker_url.removeprefix("sqlite:///")) as db:
        rows = db.execute(
            "select data from events where sender_id = ? and type_name = 'user' order by id", (conversation,)
        ).fetchall()
    return [json.loads(data)["text"] for (data,) in rows]


@pytest.fixture(scope="module")
def bot_api() -> Iterator[BotApiStandIn]:
    """One Telegram for the module, like the real one: update ids keep growing across bridge restarts."""
    with BotApiStandIn() as api:
        yield api


@pytest.fixture
def telegram(sanad: Sanad, bot_api: BotApiStandIn, tmp_path: Path) -> Iterator[Telegram]:
    env = {
        **sanad.env,
        "TELEGRAM_BOT_TOKEN": TOKEN,
        "SANAD_TELEGRAM_API_URL": bot_api.base_url,
        "SANAD_TELEGRAM_PORT": str(free_port()),
        "SANAD_TELEGRAM_RETRY_MAX": "2",
    }
    telegram = Telegram(bot_api, runner.telegram_bridge(env, tmp_path), env, sanad)
    runner.start_all([telegram.bridge], env, timeout=60)
    try:
        yield telegram
    finally:
        telegram.bridge.stop()
        assert TOKEN not in telegram.bridge.log_path.read_text(errors="replace"), "the bot token leaked into the log"


def test_french_conversation_with_a_button_tap(telegram: Telegram) -> None:
    chat = new_chat()
    [greeting] = telegram.say(chat, "/start", language_code="fr")
    assert GREETING_FR in greeting.plain_text
    assert greeting.parse_mode == "HTML"
    assert buttons(greeting) == ["Programmes", "Financement", "Suis-je éligible ?", "Parler à un conseiller"]
    assert any(c.params["chat_id"] == chat for c in telegram.api.calls("sendChatAction"))

    answered_taps = len(telegram.api.calls("answerCallbackQuery"))
    listing = telegram.tap(chat, greeting, "Programmes")
    assert "Plug and Play" in joined(listing)
    assert telegram.api.message(chat, greeting.message_id).get("reply_markup") is None  # no second tap
    assert len(telegram.api.calls("answerCallbackQuery")) == answered_taps + 1

    details = telegram.say(chat, "parle-moi de Plug and Play")
    assert "Durée : 3 mois" in joined(details) and "Source :" in joined(details)
    assert "plus de 60 startups" in joined(telegram.say(chat, "Et combien de startups ?"))

    # The conversation is one Rasa conversation per chat, with the channel and chat on each message.
    assert user_texts(telegram.sanad, f"telegram-{chat}")[-2:] == [
        "parle-moi de Plug and Play",
        "Et combien de startups ?",
    ]
    with sqlite3.connect(telegram.sanad.tracker_url.removeprefix("sqlite:///")) as db:
        (data,) = db.execute(
            "select data from events where sender_id = ? and type_name = 'user' order by id desc limit 1",
            (f"telegram-{chat}",),
        ).fetchone()
    event = json.loads(data)
    assert event["input_channel"] == "telegram"
    assert event["metadata"]["channel"] == "telegram" and event["metadata"]["chat_id"] == chat


def test_english_conversation_and_commands(telegram: Telegram) -> None:
    chat = new_chat()
    [greeting] = telegram.say(chat, "/start", language_code="en")
    assert GREETING_EN in greeting.plain_text
    assert "UM6P Ventures" in joined(telegram.say(chat, "what funding options are there for my startup?"))

    [question] = telegram.say(chat, "/langue")
    assert buttons(question) == ["Français", "English", "العربية", "Darija"]
    assert GREETING_FR in joined(telegram.tap(chat, question, "Français"))
    assert "Je réponds à partir du catalogue" in joined(telegram.say(chat, "/help"))
    assert "/conseiller" in joined(telegram.say(chat, "/commande_inconnue"))
    assert GREETING_FR in joined(telegram.say(chat, "/reset"))
    assert joined(telegram.say(chat, "/conseiller"))  # the advisor form asks its first question

    registered = {c.params.get("language_code"): c.params["commands"] for c in telegram.api.calls("setMyCommands")}
    assert {c["command"] for c in registered[None]} == {"start", "help", "langue", "conseiller", "reset"}
    assert {c["command"] for c in registered["en"]} == {"start", "help", "language", "advisor", "reset"}
    assert {c["command"] for c in registered["ar"]} == {"start", "help", "language", "advisor", "reset"}
    assert "ary" not in registered  # Telegram knows two-letter codes only: Darija is reached by /langue


def arabic_share(text: str) -> float:
    """The share of a reply's letters that are Arabic: brand names stay Latin in Arabic replies."""
    letters = [ch for ch in text if ch.isalpha()]
    return sum(1 for ch in letters if "\u0600" <= ch <= "\u06ff") / max(len(letters), 1)


def test_arabic_and_darija_founders(telegram: Telegram) -> None:
    chat = new_chat()
    # Arabic script in, Arabic script out: the catalog's own Arabic text, its buttons, its sources.
    listing = telegram.say(chat, "ما هي البرامج التي تقدمونها للشركات الناشئة؟", language_code="fr")
    assert "Plug and Play" in joined(listing) and arabic_share(joined(listing)) > 0.5, joined(listing)
    details = joined(telegram.say(chat, "حدثني عن برنامج Glovo Startup Lab"))
    assert "المصدر" in details and arabic_share(details) > 0.5, details
    # One word of another language does not flip the conversation.
    thanks = joined(telegram.say(chat, "merci"))
    assert arabic_share(thanks) > 0.5, thanks

    # Darija in Arabic letters is answered in Arabic script too.
    darija = joined(telegram.say(chat, "واش كاين شي تمويل للستارتاب ديالي؟"))
    assert arabic_share(darija) > 0.5 and "UM6P Ventures" in darija, darija

    # /langue offers the four languages; Darija answers in Latin letters.
    [question] = telegram.say(chat, "/langue")
    assert buttons(question) == ["Français", "English", "العربية", "Darija"]
    assert GREETING_ARY in joined(telegram.tap(chat, question, "Darija"))
    latin = joined(telegram.say(chat, "wach kayn chi tamwil l startup dyali?"))
    assert "l'financement" in latin and arabic_share(latin) == 0, latin
    # Telegram's own sentences follow the chat's language too.
    assert "Kan9ra ghir les messages" in joined(telegram.say(chat, sticker=True))

    # A founder whose Telegram is in Arabic is greeted in Arabic by /start.
    other = new_chat()
    assert GREETING_AR in joined(telegram.say(other, "/start", language_code="ar"))


def test_messages_that_are_not_text_get_a_friendly_answer(telegram: Telegram) -> None:
    chat = new_chat()
    for kind in ("sticker", "voice", "location", "document"):
        [reply] = telegram.say(chat, **{kind: True})
        assert "Je ne lis que les messages écrits" in reply.plain_text, kind
    [reply] = telegram.say(chat, photo=True, caption="")
    assert "Je ne lis que les messages écrits" in reply.plain_text
    [greeting] = telegram.say(chat, "bonjour")
    before = len(telegram.api.sent(chat))
    founder_message_id = greeting.message_id - 1  # message ids are per chat, shared by founder and bot
    telegram.wait_handled(telegram.api.push_edit(chat, founder_message_id, "bonjour Sanad"))
    assert "modifié un message" in joined(telegram.api.sent(chat)[before:])


def test_group_chats_answer_only_when_addressed(telegram: Telegram) -> None:
    group = -new_chat()
    assert telegram.say(group, "bonjour tout le monde", chat_type="group") == []
    assert GREETING_FR in joined(telegram.say(group, "bonjour", chat_type="group", mention_bot=True))


def test_a_long_reply_is_split_and_html_is_escaped(telegram: Telegram, tmp_path: Path) -> None:
    # A staff member adds a program with a very long description (and characters that mean something in HTML).
    data = tmp_path / "catalog"
    shutil.copytree(DATA_DIR, data)
    programs = yaml.safe_load((data / "programs.yml").read_text())
    long_program = dict(programs[0], id="programme-test-long", aliases=["Programme Test Long"])
    paragraph = "Accompagnement <b>R&D</b> & <script>alert('x')</script> pour startups. " * 12
    long_program["name"] = {"fr": "Programme Test Long", "en": "Long Test Program"}
    long_program["benefits"] = [{"fr": paragraph, "en": paragraph} for _ in range(7)]
    (data / "programs.yml").write_text(yaml.safe_dump([*programs, long_program], allow_unicode=True))
    load_catalog(data, url=telegram.sanad.catalog_url)
    try:
        chat = new_chat()
        telegram.say(chat, "/start")
        listing = telegram.say(chat, "quels sont les programmes ?")
        card = next(m for m in listing if "Programme Test Long" in (m.plain_text or ""))
        details = telegram.tap(chat, card, "Détails")
        assert len(details) >= 2
        assert all(len((m.plain_text or "").encode("utf-16-le")) // 2 <= 4096 for m in details)
        text = joined(details)
        assert text.count("<script>alert('x')</script>") == 7 * 12  # shown as typed, every one kept
        assert "R&D" in text
        assert all(m.parse_mode == "HTML" for m in details)
        assert "&lt;script&gt;" in details[0].text  # escaped in the HTML Sanad sent
    finally:
        load_catalog(url=telegram.sanad.catalog_url)  # back to the real catalog


def test_telegram_429_and_an_api_outage_are_waited_out(telegram: Telegram) -> None:
    chat = new_chat()
    telegram.api.fail_next("sendMessage", 1, status=429, retry_after=1)
    [greeting] = telegram.say(chat, "/start")
    assert GREETING_FR in greeting.plain_text
    statuses = [c.status for c in telegram.api.calls("sendMessage") if c.params.get("chat_id") == chat]
    assert statuses[:2] == [429, 200]

    telegram.api.outage(4)
    replies = telegram.say(chat, "merci")
    assert len(replies) == 1 and "Avec plaisir" in replies[0].plain_text


def test_rasa_down_mid_conversation_then_back(telegram: Telegram) -> None:
    chat = new_chat()
    telegram.say(chat, "/start")
    rasa = next(s for s in telegram.sanad.services if s.name == "Rasa server")
    rasa.stop()
    try:
        update_id = telegram.api.push_message(chat, "quels sont les programmes d'accélération ?")
        telegram.api.wait_for(lambda: any(UNAVAILABLE in t for t in telegram.texts(chat)), timeout=60)
    finally:
        runner.start_all([rasa], telegram.sanad.env, timeout=300)
    telegram.wait_handled(update_id, timeout=120)
    after = telegram.texts(chat)[1:]
    assert sum(UNAVAILABLE in t for t in after) == 1
    assert "Plug and Play" in "\n".join(after[1:])
    assert user_texts(telegram.sanad, f"telegram-{chat}")[-1] == "quels sont les programmes d'accélération ?"


def test_a_killed_bridge_loses_no_update_and_answers_none_twice(telegram: Telegram) -> None:
    chats = [new_chat() for _ in range(4)]
    script = ["bonjour", "merci", "au revoir"]
    telegram.bridge.stop()
    telegram.api.stall("sendMessage")  # replies are in flight, never delivered, when the bridge dies
    try:
        update_ids = [telegram.api.push_message(chat, text) for text in script for chat in chats]
        telegram.start_bridge()
        telegram.api.wait_for(lambda: telegram.api.acked_offset > max(update_ids), timeout=60)
        telegram.api.wait_for(lambda: all(telegram.status(u) is not None for u in update_ids), timeout=60)
        first_round = update_ids[: len(chats)]
        telegram.api.wait_for(lambda: all(telegram.replies_stored(u) for u in first_round), timeout=120)
        assert telegram.api.sent() == [] or all(m.chat_id not in chats for m in telegram.api.sent())
        telegram.kill_bridge()  # Rasa has answered each chat's first message; nothing reached a founder yet
    finally:
        telegram.api.unstall("sendMessage")

    telegram.start_bridge()
    telegram.wait_handled(*update_ids, timeout=180)
    for chat in chats:
        texts = telegram.texts(chat)
        assert len(texts) == 3, texts
        assert GREETING_FR in texts[0] and "Avec plaisir" in texts[1] and "Au revoir" in texts[2]
        assert user_texts(telegram.sanad, f"telegram-{chat}") == script  # Rasa was asked once per message


def test_webhook_mode_refuses_a_wrong_secret(telegram: Telegram) -> None:
    telegram.bridge.stop()
    before = len(telegram.api.calls("setWebhook"))
    port = telegram.env["SANAD_TELEGRAM_PORT"]
    telegram.start_bridge(
        SANAD_TELEGRAM_MODE="webhook",
        SANAD_TELEGRAM_WEBHOOK_URL="https://sanad.example.ma",
        TELEGRAM_WEBHOOK_SECRET="s3cret-for-tests",
    )
    registration = telegram.api.wait_for(lambda: telegram.api.calls("setWebhook")[before:])[-1]
    assert registration.params["url"] == "https://sanad.example.ma/telegram/webhook"
    assert registration.params["secret_token"] == "s3cret-for-tests"

    chat = new_chat()
    telegram.api.push_message(chat, "bonjour")
    update = telegram.api.pending_updates()[-1]
    url = f"http://127.0.0.1:{port}/telegram/webhook"  # where the reverse proxy forwards Telegram's POSTs
    header = "X-Telegram-Bot-Api-Secret-Token"
    assert httpx.post(url, json=update).status_code == 403
    assert httpx.post(url, json=update, headers={header: "wrong"}).status_code == 403
    assert telegram.status(update["update_id"]) is None  # refused updates are not kept
    assert httpx.post(url, json=update, headers={header: "s3cret-for-tests"}).status_code == 200
    telegram.wait_handled(update["update_id"])
    assert GREETING_FR in joined(telegram.api.sent(chat))


def test_fifty_chats_at_once_all_answered_in_order(telegram: Telegram) -> None:
    chats = [new_chat() for _ in range(50)]
    update_ids = [telegram.api.push_message(chat, text) for chat in chats for text in ("bonjour", "merci")]
    telegram.wait_handled(*update_ids, timeout=300)
    for chat in chats:
        texts = telegram.texts(chat)
        assert len(texts) == 2 and GREETING_FR in texts[0] and "Avec plaisir" in texts[1], (chat, texts)
