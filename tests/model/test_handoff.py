"""Human handoff end to end: a founder on Telegram (PTB's real client, the Bot API stand-in, the real
bridge) and a founder in the website widget (Playwright) each ask for an advisor; a staff member signed
into the console in a second browser context takes the conversation, messages go both ways on the
founder's channel while Sanad stays silent, then the founder is handed back and Sanad answers again.
Plus: two staff members taking the same conversation at once over HTTP, exactly one gets it.
"""

from __future__ import annotations

import threading
import uuid
from collections.abc import Iterator
from typing import Any

import pytest
import requests
from sqlalchemy import select

from bot.handoff import desk
from bot.handoff.models import Handoff, HandoffMessage
from tests.model.conftest import SCREENSHOTS, Sanad
from tests.model.test_telegram import (  # noqa: F401 (bot_api and telegram are fixtures)
    Telegram,
    bot_api,
    joined,
    new_chat,
    telegram,
    user_texts,
)
from tests.support.console import PASSWORD, add_staff, csrf_of, signed_in

SLOW = 90_000  # ms


@pytest.fixture(scope="module")
def staff_accounts(sanad: Sanad) -> None:
    add_staff(sanad.catalog_url, "amina", "reviewer")
    add_staff(sanad.catalog_url, "youssef", "reviewer")


@pytest.fixture
def console_page(browser: Any, sanad: Sanad, staff_accounts: None) -> Iterator[Any]:
    """A staff member (amina) signed into the console, in a browser context of her own."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="fr-FR")
    page = context.new_page()
    page.goto(sanad.console_url + "/login")
    page.fill("#username", "amina")
    page.fill("#password", PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    page.get_by_role("heading", name="Conversations").wait_for(timeout=SLOW)
    yield page
    context.close()


def handoff_of(sanad: Sanad, conversation: str) -> Handoff:
    with desk.session_scope(sanad.catalog_url) as session:
        return session.scalars(
            select(Handoff).where(Handoff.conversation_id == conversation).order_by(Handoff.id.desc())
        ).first()


def take_in_console(page: Any, sanad: Sanad, handoff_id: int) -> None:
    page.goto(sanad.console_url + "/inbox")
    page.locator(f"#waiting form[action='/inbox/{handoff_id}/take'] button").click()
    page.get_by_text("Votre message au fondateur").wait_for(timeout=SLOW)


def staff_reply(page: Any, text: str) -> None:
    page.fill("#text", text)
    page.get_by_role("button", name="Envoyer").click()
    page.locator("#thread li", has_text=text).locator(".delivery-delivered").wait_for(timeout=SLOW)


def test_telegram_founder_and_advisor_talk_in_the_same_chat(
    telegram: Telegram,  # noqa: F811
    console_page: Any,
    sanad: Sanad,
) -> None:
    chat = new_chat()
    conversation = f"telegram-{chat}"
    telegram.say(chat, "/start", language_code="fr")
    telegram.say(chat, "/conseiller")
    telegram.say(chat, "Salma Bennani")
    telegram.say(chat, "salma@example.ma")
    topic = f"financer mon prototype {uuid.uuid4().hex[:6]}"
    confirmation = joined(telegram.say(chat, topic))
    assert "va vous rejoindre ici" in confirmation
    handoff = handoff_of(sanad, conversation)
    assert (handoff.status, handoff.channel, handoff.reason) == ("waiting", "telegram", topic)

    # Waiting: Sanad still answers.
    assert "Plug and Play" in joined(telegram.say(chat, "quels programmes d'accélération ?"))

    take_in_console(console_page, sanad, handoff.id)
    notice = telegram.api.wait_for(lambda: [m for m in telegram.api.sent(chat) if "a rejoint" in (m.plain_text or "")])
    assert "Amina" in notice[0].plain_text

    # Held: the founder's words reach the advisor live, and Rasa does not see them.
    question = "Bonjour, quels documents faut-il pour le prêt ?"
    assert telegram.say(chat, question) == []
    console_page.locator("#thread li.user", has_text=question).wait_for(timeout=SLOW)  # no reload
    assert question not in user_texts(sanad, conversation)

    # Telegram unreachable for a few seconds: the reply waits in the queue, then arrives; the advisor sees it.
    telegram.api.outage(4)
    staff_reply(console_page, "Bonjour Salma, il faut un business plan.")
    with desk.session_scope(sanad.catalog_url) as session:
        attempts = session.scalars(select(HandoffMessage.attempts).where(HandoffMessage.text.contains("business plan")))
        assert attempts.one() >= 2
    answer = telegram.api.wait_for(
        lambda: [m for m in telegram.api.sent(chat) if "business plan" in (m.plain_text or "")]
    )
    assert answer[0].plain_text.startswith("Amina (Conseiller) :")

    # A chat that cannot receive (the founder blocked the bot): the advisor is shown it was not delivered.
    telegram.api.fail_next("sendMessage", status=403)
    console_page.fill("#text", "Vous êtes toujours là ?")
    console_page.get_by_role("button", name="Envoyer").click()
    failed = console_page.locator("#thread li", has_text="toujours là").locator(".delivery-failed")
    failed.wait_for(timeout=SLOW)
    assert "non remis" in failed.inner_text()

    console_page.get_by_role("button", name="Rendre à Sanad").click()
    console_page.get_by_role("heading", name="Inbox : fondateurs qui demandent un conseiller").wait_for(timeout=SLOW)
    telegram.api.wait_for(
        lambda: [m for m in telegram.api.sent(chat) if "vous laisse avec Sanad" in (m.plain_text or "")]
    )
    assert "Plug and Play" in joined(telegram.say(chat, "parle-moi de Plug and Play"))
    assert handoff_of(sanad, conversation).status == "resolved"


def test_widget_founder_and_advisor_talk_in_the_same_chat(browser: Any, console_page: Any, sanad: Sanad) -> None:
    founder = browser.new_context(viewport={"width": 1280, "height": 800}, locale="fr-FR").new_page()
    founder.goto(sanad.web_url + "/")
    founder.get_by_role("button", name="Ouvrir le chat avec Sanad").click()
    log = founder.locator("[role=log]")
    log.get_by_text("Bonjour, je suis Sanad").wait_for(timeout=SLOW)

    def say(text: str, expect: str) -> None:
        founder.get_by_label("Votre message").fill(text)
        founder.keyboard.press("Enter")
        log.get_by_text(expect, exact=False).last.wait_for(timeout=SLOW)

    founder.get_by_role("button", name="Parler à un conseiller").first.click()
    log.get_by_text("Quel est votre nom ?").wait_for(timeout=SLOW)
    say("Karim Alaoui", "Comment vous joindre")
    say("karim@example.ma", "sur quel sujet")
    topic = f"levée de fonds seed {uuid.uuid4().hex[:6]}"
    say(topic, "va vous rejoindre ici")
    with desk.session_scope(sanad.catalog_url) as db_session:
        handoff = db_session.scalars(select(Handoff).where(Handoff.reason == topic)).one()
    conversation = handoff.conversation_id
    assert handoff.channel == "web" and conversation.startswith("web-")

    take_in_console(console_page, sanad, handoff.id)
    log.get_by_text("a rejoint la conversation").wait_for(timeout=SLOW)  # the widget polls: no reload

    founder.get_by_label("Votre message").fill("Merci ! Quel montant minimum ?")
    founder.keyboard.press("Enter")
    console_page.locator("#thread li.user", has_text="Quel montant minimum").wait_for(timeout=SLOW)
    staff_reply(console_page, "Il n'y a pas de minimum publié, parlons de votre projet.")
    advisor = founder.locator(".advisor", has_text="pas de minimum publié")
    advisor.wait_for(timeout=SLOW)
    assert "Conseiller" in advisor.inner_text()
    founder.screenshot(path=SCREENSHOTS / "handoff-widget-founder.png")
    console_page.screenshot(path=SCREENSHOTS / "handoff-console-advisor.png", full_page=True)
    assert "Merci ! Quel montant minimum ?" not in user_texts(sanad, conversation)

    console_page.get_by_role("button", name="Marquer résolue").click()
    log.get_by_text("a clos cet échange").wait_for(timeout=SLOW)
    say("quels programmes d'accélération ?", "Plug and Play")
    founder.context.close()
    # The review page of the conversation shows the advisor's part too (Rasa never saw it).
    console_page.goto(f"{sanad.console_url}/conversations/{conversation}")
    console_page.get_by_text("pas de minimum publié").wait_for(timeout=SLOW)


def test_two_staff_taking_the_same_conversation_at_once_exactly_one_gets_it(sanad: Sanad, staff_accounts: None) -> None:
    with desk.session_scope(sanad.catalog_url) as session:
        handoff_id = desk.request(session, f"web-race{uuid.uuid4().hex[:8]}", "web", "course", "fr").id
    clients = {name: signed_in(sanad.console_url, name) for name in ("amina", "youssef")}
    tokens = {
        name: csrf_of(client.get(sanad.console_url + "/inbox", timeout=30).text) for name, client in clients.items()
    }
    barrier = threading.Barrier(2)
    answers: dict[str, requests.Response] = {}

    def take(name: str) -> None:
        barrier.wait()
        answers[name] = clients[name].post(
            f"{sanad.console_url}/inbox/{handoff_id}/take", data={"csrf": tokens[name]}, timeout=30
        )

    threads = [threading.Thread(target=take, args=(name,)) for name in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    codes = sorted(answer.status_code for answer in answers.values())
    assert codes == [200, 409]
    loser = next(answer for answer in answers.values() if answer.status_code == 409)
    with desk.session_scope(sanad.catalog_url) as session:
        holder = session.get(Handoff, handoff_id).assigned_to
    assert f"Déjà prise par {holder}" in loser.text
