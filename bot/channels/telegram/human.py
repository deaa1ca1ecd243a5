"""The human part of a Telegram conversation (``bot.handoff``): founder messages to the advisor while
one holds the chat, and the advisor's messages (and Sanad's notices) delivered to the chat.

Delivery loop: every second, claim the queued messages for Telegram (another bridge
process cannot take the same ones), send each to its chat, record it delivered; a
network error or a 429 leaves it queued for the next round, a chat that blocked the
bot marks it failed: the staff member sees either in the console.
"""

from __future__ import annotations

import asyncio
import logging

from telegram import Bot
from telegram.constants import ParseMode
from telegram.error import BadRequest, Forbidden, TelegramError

from bot.channels.telegram import render
from bot.channels.telegram.store import chat_id_of
from bot.handoff import desk, texts

logger = logging.getLogger("sanad.telegram.advisor")

CHANNEL = "telegram"
INTERVAL = 1.0


def to_advisor(url: str | None, conversation_id: str, words: str, update_id: int) -> bool:
    """True if an advisor holds the conversation: the founder's words are kept for them, Rasa is not asked."""
    with desk.session_scope(url) as session:
        return desk.route_founder_message(session, conversation_id, words, f"{CHANNEL}:{update_id}")


def as_replies(message: desk.Outbound) -> list[dict[str, str]]:
    if message.author == "advisor":
        label = texts.text("advisor_label", message.language)
        return [{"text": f"**{(message.staff or '').capitalize()} ({label}) :**\n{message.text}"}]
    return [{"text": message.text}]


async def deliver(bot: Bot, url: str | None) -> int:
    """One round: send every queued message; returns how many were delivered."""
    with desk.session_scope(url) as session:
        queued = desk.claim_outbound(session, CHANNEL)
    sent = 0
    for message in queued:
        try:
            for part in render.outgoing(as_replies(message)):
                await bot.send_message(chat_id_of(message.conversation_id), part.html, parse_mode=ParseMode.HTML)
        except (Forbidden, BadRequest) as error:  # blocked, chat gone: retrying cannot help
            outcome = (str(error), True)
        except TelegramError as error:  # network, 429, Telegram down: next round
            outcome = (str(error), False)
        else:
            outcome = None
        with desk.session_scope(url) as session:
            if outcome is None:
                desk.delivered(session, message.id)
                sent += 1
            else:
                logger.warning("advisor message %s not delivered: %s", message.id, outcome[0])
                desk.release(session, message.id, outcome[0], give_up=outcome[1])
    return sent


async def keep_delivering(bot: Bot, url: str | None) -> None:
    """Forever: deliver, wait a second. A database that is down is logged and retried."""
    while True:
        try:
            await deliver(bot, url)
        except Exception:
            logger.exception("advisor delivery round failed; retrying")
        await asyncio.sleep(INTERVAL)
