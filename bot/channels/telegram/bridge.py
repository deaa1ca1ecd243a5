"""Telegram bridge: founders talk to Sanad in Telegram, through python-telegram-bot.

The flow, step by step:

1. **Receive** (``receive``). Updates come by long polling (default: works on a
   laptop with no public URL) or by webhook (``SANAD_TELEGRAM_MODE=webhook``, the
   secret token checked on every request). Each update is stored in the inbox
   before Telegram is told it arrived, so a crash or restart loses none.
2. **Dispatch** (``dispatch``). One worker per chat hands that chat's pending
   updates, oldest first, to the Application's handlers; chats run in parallel.
3. **Handle** (below). One small handler per step: /start, /help, /langue,
   /conseiller, /reset, a text, a button tap, an edited message, anything that
   is not text. The founder's words go to Rasa's REST webhook under a
   conversation id stable per chat (``telegram-<chat id>``) with the channel
   metadata; the staff console finds the conversation by it.
4. **Deliver**. Rasa's replies are stored with the update, then sent one by one
   (``render`` makes them safe Telegram HTML under the length limit), each
   recorded once Telegram accepted it: a retry resumes where it stopped, asks
   Rasa nothing twice and repeats no message (but the one in flight at the
   instant of a crash).
5. **Advisor** (``human``). While a staff member holds the chat (``bot.handoff``),
   the founder's words go to them instead of Rasa, and their replies are delivered here.
6. **Retry**. Rasa down: the founder is told once, the update waits with
   backoff, and the chat's later messages wait behind it. Telegram's 429 and the
   per-chat pace are handled by ``limits``; network errors retry the update.

Run: ``python -m bot.channels.telegram.bridge`` (the run command does it when
``TELEGRAM_BOT_TOKEN`` is set). Configuration: see ``bot.settings``.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import re
import secrets
import signal
import sys
from asyncio import Task
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from aiohttp import web
from telegram import Bot, BotCommand, InlineKeyboardButton, InlineKeyboardMarkup, Message, Update
from telegram.constants import ChatAction, ChatType, ParseMode
from telegram.error import BadRequest, InvalidToken, NetworkError, TelegramError
from telegram.ext import Application, CallbackQueryHandler, CommandHandler, ContextTypes, MessageHandler, filters

from bot.channels.conversations import Conversations
from bot.channels.rasa_client import LANGUAGES, RasaClient, RasaUnavailableError, founder_text, greet
from bot.channels.telegram import human, receive, render, texts
from bot.channels.telegram.dispatch import Dispatcher
from bot.channels.telegram.limits import PacedRateLimiter
from bot.channels.telegram.store import TelegramStore, conversation_id
from bot.language import next_language
from bot.settings import environment

logger = logging.getLogger("sanad.telegram")

CHANNEL = "telegram"
T = TypeVar("T")


@dataclass
class Sanad:
    """What the handlers share, kept in ``application.bot_data``."""

    store: TelegramStore
    conversations: Conversations
    rasa: RasaClient


def sanad(context: ContextTypes.DEFAULT_TYPE) -> Sanad:
    return context.bot_data["sanad"]


LANGUAGE_PAYLOADS = {greet(code): code for code in LANGUAGES}


# -- the handlers, one per step ----------------------------------------------------------------


async def start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/start: greet in the founder's Telegram language (French by default), topics as buttons."""
    user = update.effective_user
    language = texts.telegram_language(user.language_code if user else None)
    remember(update, context, language)
    await converse(update, context, greet(language))


async def help_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/help: what Sanad can do."""
    await converse(update, context, "/ask_capabilities")


async def choose_language(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/langue or /language: one button per language; a tap greets in that language."""
    buttons = [{"title": name, "payload": greet(code)} for code, name in texts.LANGUAGE_NAMES.items()]
    question = texts.text("choose_language", language_of(update, context))
    await respond(update, context, [{"text": question, "buttons": buttons}])


async def advisor(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/conseiller or /advisor: ask for a human (Rasa's advisor form)."""
    await converse(update, context, "/request_advisor")


async def reset(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/reset: Rasa forgets the conversation, then greets again in the founder's language."""
    await converse(update, context, "/restart", greet(language_of(update, context)))


async def text_message(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A founder's text (or a photo's caption): to Rasa as typed."""
    words = founder_words(update.effective_message, context.bot.username)
    current = sanad(context).conversations.language(conversation_id(update.effective_chat.id))
    remember(update, context, next_language(current, words))
    await converse(update, context, words or greet(language_of(update, context)))


async def button_tap(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A tap on an inline button: acknowledge it, remove the keyboard, send its payload to Rasa."""
    query = update.callback_query
    with contextlib.suppress(BadRequest):  # too old to answer (a retry, a backlog): nothing to do
        await query.answer()
    if query.message is not None:
        with contextlib.suppress(BadRequest):  # already cleaned up by an earlier attempt
            await query.edit_message_reply_markup(reply_markup=None)
    payload = sanad(context).store.button_payload(query.data or "")
    if payload is None:
        await respond(update, context, [{"text": texts.text("expired_button", language_of(update, context))}])
        return
    remember(update, context, LANGUAGE_PAYLOADS.get(payload))
    await converse(update, context, payload)


async def edited(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """An edited message: say that edits are not re-read, rather than answer twice."""
    await respond(update, context, [{"text": texts.text("edited", language_of(update, context))}])


async def unknown_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    language = language_of(update, context)
    reply = texts.text("unknown_command", language, commands=texts.command_list(language))
    await respond(update, context, [{"text": reply}])


async def non_text(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Voice, sticker, photo, document, location…: a friendly "I read text only"."""
    await respond(update, context, [{"text": texts.text("text_only", language_of(update, context))}])


# -- talking to Rasa and delivering ------------------------------------------------------------


async def converse(update: Update, context: ContextTypes.DEFAULT_TYPE, *messages: str) -> None:
    """Send the founder's words to Rasa (once per update, even across retries), then deliver."""
    store = sanad(context).store
    progress = store.progress(update.update_id)
    if progress.replies is not None:
        await respond(update, context, progress.replies)
        return
    chat_id = update.effective_chat.id
    if human.to_advisor(sanad(context).store.url, conversation_id(chat_id), " ".join(messages), update.update_id):
        await respond(update, context, [])  # an advisor holds the chat: Sanad stays silent
        return
    replies: list[dict[str, Any]] = []
    try:
        async with typing(context.bot, chat_id):
            for message in messages:
                replies += await sanad(context).rasa.send(
                    conversation_id(chat_id), message, channel=CHANNEL, metadata=metadata(update)
                )
    except RasaUnavailableError:
        if not progress.notified:
            with contextlib.suppress(TelegramError):
                await context.bot.send_message(chat_id, texts.text("unavailable", language_of(update, context)))
                store.mark_notified(update.update_id)
        raise
    await respond(update, context, replies)


async def respond(update: Update, context: ContextTypes.DEFAULT_TYPE, replies: list[dict[str, Any]]) -> None:
    """Deliver ``replies`` for this update, skipping the messages an earlier attempt already sent."""
    store = sanad(context).store
    progress = store.progress(update.update_id)
    if progress.replies is None:
        store.save_replies(update.update_id, replies)
    else:
        replies = progress.replies
    chat_id = update.effective_chat.id
    for index, message in enumerate(render.outgoing(replies)):
        if index >= progress.sent:
            await send(context.bot, chat_id, message, store)
            store.mark_sent(update.update_id, index + 1)


async def send(bot: Bot, chat_id: int, message: render.Outgoing, store: TelegramStore) -> None:
    markup = keyboard(message.buttons, store)
    if message.photo:
        try:
            await bot.send_photo(chat_id, message.photo, reply_markup=markup)
            return
        except BadRequest:  # Telegram could not fetch the image: give the link instead
            message = render.Outgoing(html=render.to_html(message.photo), plain=message.photo)
    try:
        await bot.send_message(chat_id, message.html, parse_mode=ParseMode.HTML, reply_markup=markup)
    except BadRequest as error:
        if "entities" not in str(error).lower():
            raise
        logger.warning("Telegram refused our HTML (%s); sending plain text", error)
        await bot.send_message(chat_id, message.plain, reply_markup=markup)


def keyboard(buttons: list[tuple[str, str]], store: TelegramStore) -> InlineKeyboardMarkup | None:
    """One button per row (titles are sentences); the payload travels as a short stored key."""
    if not buttons:
        return None
    rows = [[InlineKeyboardButton(title, callback_data=store.button_key(payload))] for title, payload in buttons]
    return InlineKeyboardMarkup(rows)


@contextlib.asynccontextmanager
async def typing(bot: Bot, chat_id: int) -> AsyncIterator[None]:
    """Show "typing…" while Sanad thinks; Telegram clears it after 5 s, so it is renewed."""

    async def keep_typing() -> None:
        while True:
            with contextlib.suppress(TelegramError):
                await bot.send_chat_action(chat_id, ChatAction.TYPING)
            await asyncio.sleep(4)

    task = asyncio.create_task(keep_typing())
    try:
        yield
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task


def metadata(update: Update) -> dict[str, Any]:
    """What Rasa stores with the message: the channel and where to answer, nothing about the person."""
    chat = update.effective_chat
    return {"channel": CHANNEL, "chat_id": chat.id, "chat_type": chat.type, "update_id": update.update_id}


def remember(update: Update, context: ContextTypes.DEFAULT_TYPE, language: str | None) -> None:
    chat = update.effective_chat
    sanad(context).conversations.remember(conversation_id(chat.id), CHANNEL, str(chat.id), chat.type, language)


def language_of(update: Update, context: ContextTypes.DEFAULT_TYPE) -> str:
    """The chat's language: as chosen or last detected, else from the founder's Telegram settings."""
    chosen = sanad(context).conversations.language(conversation_id(update.effective_chat.id))
    user = update.effective_user
    return chosen or texts.telegram_language(user.language_code if user else None)


def founder_words(message: Message, bot_username: str) -> str:
    """The text to send to Rasa, without the @mention of the bot."""
    words = message.text or message.caption or ""
    return founder_text(re.sub(rf"@{re.escape(bot_username)}\b", " ", words, flags=re.IGNORECASE))


class Addressed(filters.MessageFilter):
    """Private chats always; in a group, only a message that mentions the bot or replies to it."""

    def filter(self, message: Message) -> bool:
        if message.chat.type == ChatType.PRIVATE:
            return True
        bot = message.get_bot()
        replied = message.reply_to_message
        if replied is not None and replied.from_user is not None and replied.from_user.id == bot.id:
            return True
        mentions = [*message.parse_entities(["mention"]).values()]
        mentions += message.parse_caption_entities(["mention"]).values()
        return f"@{bot.username}".lower() in {mention.lower() for mention in mentions}


# -- wiring ------------------------------------------------------------------------------------


TelegramApp = Application[Any, Any, Any, Any, Any, Any]


def build_application(env: dict[str, str], store: TelegramStore, rasa: RasaClient) -> TelegramApp:
    application = (
        Application.builder()
        .token(env["TELEGRAM_BOT_TOKEN"])
        .base_url(env["SANAD_TELEGRAM_API_URL"])
        .rate_limiter(PacedRateLimiter(chat_interval=float(env["SANAD_TELEGRAM_CHAT_INTERVAL"])))
        .updater(None)  # updates come through Sanad's inbox (see receive), not PTB's in-memory queue
        .build()
    )
    application.bot_data["sanad"] = Sanad(store, Conversations(env["SANAD_DATABASE_URL"]), rasa)
    new_message = filters.UpdateType.MESSAGE
    addressed = Addressed(name="addressed")
    application.add_handlers(
        [
            CommandHandler("start", start, filters=new_message),
            CommandHandler("help", help_command, filters=new_message),
            CommandHandler(["langue", "language"], choose_language, filters=new_message),
            CommandHandler(["conseiller", "advisor"], advisor, filters=new_message),
            CommandHandler("reset", reset, filters=new_message),
            MessageHandler(filters.UpdateType.EDITED_MESSAGE & addressed, edited),
            MessageHandler(new_message & filters.COMMAND & addressed, unknown_command),
            MessageHandler(new_message & (filters.TEXT | filters.CAPTION) & addressed, text_message),
            CallbackQueryHandler(button_tap),
            MessageHandler(new_message & addressed, non_text),
        ]
    )
    return application


async def register_commands(bot: Bot) -> None:
    """The command menu Telegram shows, in French by default and in each other language.

    Telegram knows users' interface languages by two-letter codes: Darija ("ary") has
    none, so its menu is shown to nobody by default; /langue still switches to it.
    """
    for language, commands in texts.COMMANDS.items():
        if len(language) != 2:
            continue
        await bot.set_my_commands(
            [BotCommand(name, description) for name, description in commands],
            language_code=None if language == "fr" else language,
        )


async def retrying(what: str, call: Callable[[], Awaitable[T]]) -> T:
    """Call until Telegram answers, waiting out network trouble; a refused request or token is fatal."""
    delay = 1.0
    while True:
        try:
            return await call()
        except BadRequest:
            raise
        except NetworkError as error:
            logger.warning("Telegram unreachable while %s (%s); trying again in %.0fs", what, error, delay)
            await asyncio.sleep(delay)
            delay = min(delay * 2, 30)


async def go_live(env: dict[str, str], application: TelegramApp, dispatcher: Dispatcher, secret: str) -> list[Task]:
    """Connect to Telegram (getMe), register the commands and the way updates arrive; start the loops."""
    await retrying("connecting", application.initialize)
    bot = application.bot
    try:
        await register_commands(bot)
    except TelegramError as error:
        logger.warning("could not register the command menu: %s", error)
    tasks = [
        asyncio.create_task(dispatcher.run(), name="dispatcher"),
        asyncio.create_task(human.keep_delivering(bot, dispatcher.store.url), name="advisor delivery"),
    ]
    if env["SANAD_TELEGRAM_MODE"] == "webhook":
        url = env["SANAD_TELEGRAM_WEBHOOK_URL"].rstrip("/") + env["SANAD_TELEGRAM_WEBHOOK_PATH"]
        await retrying(
            "setting the webhook",
            lambda: bot.set_webhook(url, secret_token=secret, allowed_updates=receive.ALLOWED_UPDATES),
        )
        logger.info("Telegram bridge ready: @%s, webhook %s", bot.username, url)
    else:
        await retrying("leaving webhook mode", bot.delete_webhook)
        tasks.append(asyncio.create_task(receive.poll(bot, dispatcher.store, dispatcher.wake), name="polling"))
        logger.info("Telegram bridge ready: @%s, long polling", bot.username)
    return tasks


async def run(env: dict[str, str]) -> None:
    """Serve until SIGINT/SIGTERM, or until a loop fails for good (then the process exits with an error)."""
    store = TelegramStore(env["SANAD_DATABASE_URL"])
    rasa = RasaClient(f"http://{env['SANAD_HOST']}:{env['SANAD_RASA_PORT']}")
    application = build_application(env, store, rasa)
    dispatcher = Dispatcher(application, store, max_delay=float(env["SANAD_TELEGRAM_RETRY_MAX"]))
    application.add_error_handler(dispatcher.on_error)

    webhook_path = env["SANAD_TELEGRAM_WEBHOOK_PATH"] if env["SANAD_TELEGRAM_MODE"] == "webhook" else None
    secret = env.get("TELEGRAM_WEBHOOK_SECRET") or secrets.token_urlsafe(32)
    live: list[Task] = []
    server = web.AppRunner(receive.web_app(store, dispatcher.wake, lambda: bool(live), webhook_path, secret))
    await server.setup()
    await web.TCPSite(server, env["SANAD_HOST"], int(env["SANAD_TELEGRAM_PORT"])).start()

    stop = asyncio.Event()
    for signum in (signal.SIGINT, signal.SIGTERM):
        asyncio.get_running_loop().add_signal_handler(signum, stop.set)
    starting = asyncio.create_task(go_live(env, application, dispatcher, secret))
    stopping = asyncio.create_task(stop.wait())
    try:
        await asyncio.wait({starting, stopping}, return_when=asyncio.FIRST_COMPLETED)
        if starting.done():
            live.extend(starting.result())
            for task in live:  # the loops run forever: one ending means it failed for good
                task.add_done_callback(lambda _task: stop.set())
            await stop.wait()
            for task in live:
                if task.done() and not task.cancelled() and task.exception() is not None:
                    raise task.exception()  # type: ignore[misc]
    finally:
        for task in (starting, stopping, *live):
            task.cancel()
        await asyncio.gather(starting, stopping, *live, return_exceptions=True)
        await dispatcher.stop()
        await application.shutdown()
        await rasa.aclose()
        await server.cleanup()


def main() -> int:
    logging.basicConfig(format="%(asctime)s %(levelname)s %(name)s: %(message)s", level=logging.INFO)
    logging.getLogger("httpx").setLevel(logging.WARNING)  # its request lines carry the token in the URL
    logging.getLogger("aiohttp.access").setLevel(logging.WARNING)  # one line per health check otherwise
    env = environment()
    if not env.get("TELEGRAM_BOT_TOKEN"):
        logger.info("TELEGRAM_BOT_TOKEN is not set: the Telegram bridge is not started")
        return 0
    if env["SANAD_TELEGRAM_MODE"] == "webhook" and not env["SANAD_TELEGRAM_WEBHOOK_URL"]:
        logger.error("SANAD_TELEGRAM_MODE=webhook needs SANAD_TELEGRAM_WEBHOOK_URL (the public https URL)")
        return 2
    try:
        asyncio.run(run(env))
    except InvalidToken:
        logger.error("Telegram refused TELEGRAM_BOT_TOKEN: it is invalid or was revoked")
        return 2
    except receive.AnotherBridgeError as error:
        logger.error("%s", error)
        return 3
    return 0


if __name__ == "__main__":
    sys.exit(main())
