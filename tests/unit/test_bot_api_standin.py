"""The Telegram Bot API stand-in, checked through python-telegram-bot's real client and error mapping."""

from __future__ import annotations

import asyncio
import datetime as dtm
import time
from collections.abc import Awaitable, Callable, Iterator
from typing import TypeVar

import httpx
import pytest
from telegram import Bot, BotCommand, BotCommandScopeAllPrivateChats, InlineKeyboardButton, InlineKeyboardMarkup
from telegram.error import BadRequest, Conflict, NetworkError, RetryAfter, TimedOut

from tests.support.bot_api import BotApiStandIn

T = TypeVar("T")
TOKEN = "123456:TEST-token"
KEYBOARD = InlineKeyboardMarkup(
    [
        [
            InlineKeyboardButton("Programmes", callback_data="programs"),
            InlineKeyboardButton("Site", url="https://technopark.ma"),
        ]
    ]
)


@pytest.fixture
def standin() -> Iterator[BotApiStandIn]:
    with BotApiStandIn() as server:
        yield server


def run(standin: BotApiStandIn, scenario: Callable[[Bot], Awaitable[T]]) -> T:
    """Run ``scenario`` with an initialized PTB bot pointed at the stand-in."""

    async def main() -> T:
        async with Bot(TOKEN, base_url=standin.base_url) as bot:
            return await scenario(bot)

    return asyncio.run(main())


def seconds(period: int | dtm.timedelta) -> float:
    """PTB gives retry_after as int, or as timedelta with PTB_TIMEDELTA=true."""
    return period.total_seconds() if isinstance(period, dtm.timedelta) else period


def test_get_me_describes_the_bot(standin: BotApiStandIn) -> None:
    me = run(standin, lambda bot: bot.get_me())

    assert (me.id, me.username, me.is_bot, me.can_read_all_group_messages) == (1000, "sanad_test_bot", True, False)
    assert [call.status for call in standin.calls("getme")] == [200, 200]  # Bot.initialize() asks too


def test_html_message_with_keyboard_is_recorded_and_returned(standin: BotApiStandIn) -> None:
    standin.push_message(42, "/start")

    message = run(
        standin,
        lambda bot: bot.send_message(42, "<b>Bienvenue</b> &amp; marhba", parse_mode="HTML", reply_markup=KEYBOARD),
    )

    assert (message.message_id, message.text, message.from_user.username) == (2, "Bienvenue & marhba", "sanad_test_bot")
    assert message.reply_markup == KEYBOARD
    [sent] = standin.sent(42)
    assert (sent.method, sent.message_id, sent.text, sent.plain_text, sent.parse_mode) == (
        "sendMessage",
        2,
        "<b>Bienvenue</b> &amp; marhba",
        "Bienvenue & marhba",
        "HTML",
    )
    assert [button["text"] for button in sent.buttons] == ["Programmes", "Site"]
    assert standin.message(42, 2)["reply_markup"] == KEYBOARD.to_dict()


@pytest.mark.parametrize(
    "html",
    [
        '<a href="https://technopark.ma/?a=1&amp;b=2">lien</a>',
        '<span class="tg-spoiler">x</span> <tg-spoiler>y</tg-spoiler>',
        '<blockquote><i>cité</i></blockquote> <pre><code class="language-python">1 &lt; 2</code></pre>',
        "&#39;&#x27;&quot;&gt;",
    ],
)
def test_valid_html_is_accepted(standin: BotApiStandIn, html: str) -> None:
    standin.push_message(42, "salam")

    run(standin, lambda bot: bot.send_message(42, html, parse_mode="HTML"))

    assert len(standin.sent(42)) == 1


@pytest.mark.parametrize(
    ("html", "error"),
    [
        ("ligne<br>ligne", 'Unsupported start tag "br"'),
        ("<b>gras", 'Can\'t find end tag corresponding to start tag "b"'),
        ("<b><i>x</b></i>", 'expected "</i>", found "</b>"'),
        ("CA < 10 MDH", 'Unsupported start tag ""'),
        ("R&D", "Can't find end of the entity"),
        ("<span>x</span>", 'Tag "span" must have class "tg-spoiler"'),
    ],
)
def test_invalid_html_is_a_bad_request(standin: BotApiStandIn, html: str, error: str) -> None:
    standin.push_message(42, "salam")

    with pytest.raises(BadRequest) as raised:
        run(standin, lambda bot: bot.send_message(42, html, parse_mode="HTML"))

    # PTB drops "Bad Request: " and capitalizes the rest, lowering every other letter.
    assert raised.value.message.startswith("Can't parse entities: ")
    assert error.lower() in raised.value.message
    assert standin.sent() == []
    assert standin.calls("sendMessage")[0].status == 400


def test_length_empty_text_unknown_chat_and_long_callback_data(standin: BotApiStandIn) -> None:
    standin.push_message(42, "salam")

    async def scenario(bot: Bot) -> list[str]:
        errors = []
        await bot.send_message(42, f"<b>{'é' * 4096}</b>", parse_mode="HTML")  # 4096 once the tags are gone
        for text, kwargs in [
            ("é" * 4097, {}),
            ("<b> </b>", {"parse_mode": "HTML"}),
            ("salam", {"chat_id": 43}),
            ("salam", {"reply_markup": InlineKeyboardMarkup([[InlineKeyboardButton("x", callback_data="p" * 65)]])}),
        ]:
            with pytest.raises(BadRequest) as raised:
                await bot.send_message(text=text, **{"chat_id": 42, **kwargs})
            errors.append(raised.value.message)
        return errors

    assert run(standin, scenario) == [
        "Message is too long",  # PTB drops "Bad Request: " and capitalizes (lowering the rest)
        "Message text is empty",
        "Chat not found",
        "Button_data_invalid",
    ]
    assert len(standin.sent(42)) == 1


def test_get_updates_confirms_with_offset_and_long_polls(standin: BotApiStandIn) -> None:
    first = standin.push_message(42, "/start@sanad_test_bot now")
    second = standin.push_message(-100, "question", chat_type="group", user_id=7, mention_bot=True)

    async def scenario(bot: Bot) -> None:
        updates = await bot.get_updates()
        assert [update.update_id for update in updates] == [first, second]
        command, mention = updates[0].message, updates[1].message
        assert (command.text, command.entities[0].type, command.entities[0].length) == (
            "/start@sanad_test_bot now",
            "bot_command",
            21,
        )
        assert (mention.chat.type, mention.chat.id, mention.from_user.id, mention.from_user.language_code) == (
            "group",
            -100,
            7,
            "fr",
        )
        assert (mention.text, mention.entities[0].type) == ("@sanad_test_bot question", "mention")

        assert [update.update_id for update in await bot.get_updates(offset=first + 1)] == [second]
        assert [update["update_id"] for update in standin.pending_updates()] == [second]
        assert await bot.get_updates(offset=second + 1) == ()
        assert (standin.acked_offset, standin.pending_updates()) == (second + 1, [])

        started = time.monotonic()
        assert await bot.get_updates(offset=second + 1, timeout=1) == ()
        assert 0.9 < time.monotonic() - started < 2

        poll = asyncio.create_task(bot.get_updates(offset=second + 1, timeout=10))
        await asyncio.sleep(0.2)
        third = standin.push_message(42, "ana hna")
        started = time.monotonic()
        assert [update.update_id for update in await poll] == [third]
        assert time.monotonic() - started < 1

    run(standin, scenario)


def test_founder_messages_parse_as_telegram_updates(standin: BotApiStandIn) -> None:
    standin.push_message(42, "/start")
    standin.push_message(42, caption="")
    standin.push_message(42, caption="mon logo", photo=True)
    standin.push_message(42, sticker=True)
    standin.push_message(42, voice=True, language_code=None)
    standin.push_message(42, document=True)
    standin.push_message(42, location=True)

    async def scenario(bot: Bot) -> None:
        sent = await bot.send_message(42, "Votre secteur ?")
        standin.push_message(42, "Fintech", reply_to_message_id=sent.message_id)
        standin.push_edit(42, 1, "/help")
        updates = await bot.get_updates()
        messages = [update.message for update in updates[:7]]
        assert [message.message_id for message in messages] == [1, 2, 3, 4, 5, 6, 7]
        assert (messages[1].photo[-1].width, messages[1].caption) == (1280, None)
        assert messages[2].caption == "mon logo"
        assert messages[3].sticker.emoji == "👍"
        assert (messages[4].voice.duration, messages[4].from_user.language_code) == (4, None)
        assert messages[5].document.file_name == "business-plan.pdf"
        assert messages[6].location.latitude == pytest.approx(33.5731)
        reply = updates[7].message
        assert (reply.message_id, reply.reply_to_message.message_id, reply.reply_to_message.from_user.is_bot) == (
            9,
            8,
            True,
        )
        assert (updates[8].edited_message.message_id, updates[8].edited_message.text) == (1, "/help")

    run(standin, scenario)
    with pytest.raises(ValueError, match="text or exactly one attachment"):
        standin.push_message(42, "texte", photo=True)
    with pytest.raises(ValueError, match="negative"):
        standin.push_message(100, "salam", chat_type="group")


def test_fail_next_answers_flood_control_without_sending(standin: BotApiStandIn) -> None:
    standin.push_message(42, "salam")
    standin.fail_next("sendMessage", status=429, retry_after=3)

    async def scenario(bot: Bot) -> None:
        with pytest.raises(RetryAfter) as raised:
            await bot.send_message(42, "premier essai")
        assert seconds(raised.value.retry_after) == 3
        await bot.send_message(42, "second essai")

    run(standin, scenario)

    assert [sent.text for sent in standin.sent(42)] == ["second essai"]
    assert [call.status for call in standin.calls("sendMessage")] == [429, 200]


def test_outage_is_a_network_error_then_recovers(standin: BotApiStandIn) -> None:
    async def scenario(bot: Bot) -> None:
        standin.outage(0.3)
        with pytest.raises(NetworkError, match=r"Bad Gateway \(502\)"):
            await bot.get_me()
        await asyncio.sleep(0.4)
        assert (await bot.get_me()).username == "sanad_test_bot"

    run(standin, scenario)

    assert [call.status for call in standin.calls("getMe")] == [200, 502, 200]


def test_callback_carries_the_bot_message_and_keyboard_edits(standin: BotApiStandIn) -> None:
    standin.push_message(42, "/start")

    async def scenario(bot: Bot) -> None:
        sent = await bot.send_message(42, "Choisissez :", reply_markup=KEYBOARD)
        standin.push_callback(42, sent.message_id, "programs")
        query = (await bot.get_updates())[-1].callback_query
        assert (query.data, query.from_user.id, query.message.message_id, query.message.text) == (
            "programs",
            42,
            sent.message_id,
            "Choisissez :",
        )
        assert query.message.reply_markup == KEYBOARD
        assert await bot.answer_callback_query(query.id, text="C'est noté")
        with pytest.raises(BadRequest, match=r"(?i)query id is invalid"):
            await bot.answer_callback_query("123")

        edited = await bot.edit_message_reply_markup(42, sent.message_id, reply_markup=None)
        assert edited.reply_markup is None
        with pytest.raises(BadRequest, match=r"(?i)message is not modified"):
            await bot.edit_message_reply_markup(42, sent.message_id, reply_markup=None)

    run(standin, scenario)

    assert "reply_markup" not in standin.message(42, 2)
    with pytest.raises(ValueError, match="no button with callback_data 'programs'"):
        standin.push_callback(42, 2, "programs")


def test_webhook_makes_get_updates_conflict(standin: BotApiStandIn) -> None:
    async def scenario(bot: Bot) -> None:
        with pytest.raises(BadRequest, match=r"(?i)https url must be provided"):
            await bot.set_webhook("http://sanad.ma/telegram")
        assert await bot.set_webhook("https://sanad.ma/telegram", secret_token="s3cret")
        assert (await bot.get_webhook_info()).url == "https://sanad.ma/telegram"
        with pytest.raises(Conflict, match="webhook is active"):
            await bot.get_updates()
        assert await bot.delete_webhook()
        assert await bot.get_updates() == ()

    run(standin, scenario)

    assert (standin.webhook_url, standin.webhook_secret_token) == ("", None)


def test_a_second_bot_instance_ends_the_first_ones_poll_with_conflict(standin: BotApiStandIn) -> None:
    async def scenario(bot: Bot) -> None:
        older = asyncio.create_task(bot.get_updates(timeout=10))
        await asyncio.to_thread(standin.wait_for, lambda: standin.calls("getUpdates"), 5)
        async with Bot(TOKEN, base_url=standin.base_url) as second_instance:
            assert await second_instance.get_updates(timeout=0) == ()
        with pytest.raises(Conflict, match="terminated by other getUpdates request"):
            await older

    run(standin, scenario)


def test_stalled_request_of_a_client_that_hung_up_is_never_sent(standin: BotApiStandIn) -> None:
    standin.push_message(42, "salam")
    standin.stall("sendMessage")

    async def scenario(bot: Bot) -> None:
        in_flight = asyncio.create_task(bot.send_message(42, "perdu"))
        await asyncio.to_thread(standin.wait_for, lambda: standin.calls("sendMessage"), 5)
        in_flight.cancel()  # like the bridge process being killed mid-request
        await asyncio.to_thread(standin.wait_for, lambda: standin.calls("sendMessage")[0].dropped, 5)
        with pytest.raises(TimedOut):
            await bot.send_message(42, "trop lent", read_timeout=0.2)
        await asyncio.to_thread(standin.wait_for, lambda: standin.calls("sendMessage")[1].dropped, 5)
        standin.unstall("sendMessage")
        await bot.send_message(42, "reçu")

    run(standin, scenario)

    assert [sent.text for sent in standin.sent(42)] == ["reçu"]
    assert [(call.params["text"], call.dropped) for call in standin.calls("sendMessage")] == [
        ("perdu", True),
        ("trop lent", True),
        ("reçu", False),
    ]


def test_commands_json_bodies_unknown_methods_and_restart(standin: BotApiStandIn) -> None:
    standin.push_message(42, "salam")
    commands = [BotCommand("start", "Commencer"), BotCommand("programmes", "Les programmes")]

    async def scenario(bot: Bot) -> None:
        assert await bot.set_my_commands(commands, scope=BotCommandScopeAllPrivateChats(), language_code="fr")
        assert await bot.get_my_commands(scope=BotCommandScopeAllPrivateChats(), language_code="fr") == tuple(commands)
        assert await bot.get_my_commands() == ()
        with pytest.raises(BadRequest, match=r"(?i)bot_command_invalid"):
            await bot.set_my_commands([BotCommand("mes-programmes", "x")])

    run(standin, scenario)
    assert standin.commands({"type": "all_private_chats"}, "fr")[0] == {"command": "start", "description": "Commencer"}

    body = {"chat_id": 42, "text": "123", "reply_markup": {"inline_keyboard": [[{"text": "A", "callback_data": "a"}]]}}
    answer = httpx.post(f"{standin.base_url}{TOKEN}/SENDMESSAGE", json=body).json()
    assert (answer["ok"], answer["result"]["text"], standin.sent()[-1].buttons) == (
        True,
        "123",
        [{"text": "A", "callback_data": "a"}],
    )
    unknown = httpx.post(f"{standin.base_url}{TOKEN}/sendPoll", data={"chat_id": "42"})
    assert (unknown.status_code, unknown.json()) == (404, {"ok": False, "error_code": 404, "description": "Not Found"})

    base_url = standin.base_url
    standin.stop()
    with pytest.raises(httpx.ConnectError):
        httpx.post(f"{base_url}{TOKEN}/getMe")
    standin.start()
    assert standin.base_url == base_url
    assert httpx.post(f"{base_url}{TOKEN}/getMe").json()["result"]["username"] == "sanad_test_bot"
