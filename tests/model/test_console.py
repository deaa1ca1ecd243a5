"""The staff console end to end: a founder chats through the real REST webhook (Rasa + action server), a
reviewer signs into the console that ``make run`` starts, in a real browser (Playwright + Debian's
Chromium), reviews the conversation, relabels a message, downloads the export; the export is valid
Rasa training data (``rasa data validate``) that training reads.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import uuid
from pathlib import Path
from typing import Any

import pytest
import requests
from rasa.shared.importers.importer import TrainingDataImporter
from sqlalchemy import select

from bot.console import analytics, db, indexer
from bot.console.models import IndexedMessage
from bot.console.nlu_export import decide
from bot.settings import REPO_ROOT
from tests.model.conftest import SCREENSHOTS, Sanad
from tests.support.console import PASSWORD, add_staff, signed_in

SLOW = 60_000  # ms


@pytest.fixture(scope="module")
def chat(sanad: Sanad) -> dict[str, str]:
    """One real conversation (with a contact in it), and the staff accounts."""
    word = f"zorglub{uuid.uuid4().hex[:6]}"
    sender = f"rest-{uuid.uuid4().hex[:10]}"
    sanad.send(sender, "Bonjour")
    sanad.send(sender, f"je cherche un financement pour ma startup {word} à Agadir")
    sanad.send(sender, "vous pouvez m'écrire à salma.b@example.ma")
    add_staff(sanad.catalog_url, "amina", "admin")
    add_staff(sanad.catalog_url, "youssef", "reviewer")
    return {"sender": sender, "word": word}


def sign_in(page: Any, sanad: Sanad, username: str) -> None:
    page.goto(sanad.console_url + "/conversations")
    page.fill("#username", username)
    page.fill("#password", PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    page.get_by_role("heading", name="Conversations").wait_for(timeout=SLOW)


def test_review_a_real_conversation_in_the_browser(browser: Any, sanad: Sanad, chat: dict[str, str]) -> None:
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="fr-FR", accept_downloads=True)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    sign_in(page, sanad, "youssef")

    # The list finds it by a word of its messages; contacts are masked there.
    page.goto(f"{sanad.console_url}/conversations?q={chat['word']}")
    rows = page.locator("table.list tbody tr")
    rows.first.wait_for(timeout=SLOW)
    assert rows.count() == 1
    assert "rest" in rows.first.inner_text()
    rows.first.get_by_role("link").click()

    # Transcript: bubbles with intent and confidence; the reviewer does not see the email.
    page.get_by_text(chat["word"]).first.wait_for(timeout=SLOW)
    body = page.locator("main").inner_text()
    assert "intention" in body and "salma.b@example.ma" not in body and "s•••@example.ma" in body
    page.fill("input[name=tag]", "à-rappeler")
    page.get_by_role("button", name="Ajouter").click()
    page.locator(".tags .tag", has_text="à-rappeler").wait_for(timeout=SLOW)
    page.get_by_role("button", name="Marquer comme relue").click()
    page.get_by_text("relue par youssef").wait_for(timeout=SLOW)
    founder = page.locator("li.user", has_text=chat["word"])
    founder.get_by_role("button", name="Signaler (à relire)").click()
    page.locator("li.user.flagged", has_text=chat["word"]).wait_for(timeout=SLOW)

    # The filters see the review and the tag.
    page.goto(f"{sanad.console_url}/conversations?reviewed=yes&tag=à-rappeler")
    assert page.locator("table.list tbody tr").count() == 1
    page.goto(f"{sanad.console_url}/conversations?reviewed=no&q={chat['word']}")
    assert page.locator("table.list tbody tr").count() == 0

    # NLU inbox: relabel the flagged message with an entity, then find it in the downloaded export.
    page.goto(sanad.console_url + "/nlu")
    item = page.locator("article.inbox", has_text=chat["word"])
    item.wait_for(timeout=SLOW)
    item.locator("select[name=intent]").select_option("ask_financing")
    item.locator("input[name=annotated]").fill(
        f"je cherche un financement pour ma startup {chat['word']} à [Agadir](city)"
    )
    item.get_by_role("button", name="Corriger").click()
    page.get_by_role("heading", name="Messages à relire").wait_for(timeout=SLOW)
    assert page.locator("article.inbox", has_text=chat["word"]).count() == 0
    with page.expect_download() as download:
        page.get_by_role("link", name="télécharger l'export").click()
    exported = Path(download.value.path()).read_text(encoding="utf-8")
    assert f"- je cherche un financement pour ma startup {chat['word']} à [Agadir](city)" in exported
    assert "intent: ask_financing" in exported

    # Analytics: every chart renders (server-side SVG), and the page is kept as a screenshot.
    page.goto(sanad.console_url + "/analytics")
    page.locator("section.chart svg").first.wait_for(timeout=SLOW)
    assert page.locator("section.chart svg").count() == len(analytics.TABLES)
    assert page.locator("#intents svg rect").count() >= 1
    page.screenshot(path=SCREENSHOTS / "console-analytics.png", full_page=True)
    context.close()
    assert errors == []


def test_an_admin_sees_the_contact_in_the_transcript(sanad: Sanad, chat: dict[str, str]) -> None:
    admin = signed_in(sanad.console_url, "amina")
    transcript = admin.get(f"{sanad.console_url}/conversations/{chat['sender']}", timeout=30).text
    assert "salma.b@example.ma" in transcript
    listing = admin.get(f"{sanad.console_url}/conversations", timeout=30).text
    assert "salma.b@example.ma" not in listing
    assert requests.get(f"{sanad.console_url}/conversations/{chat['sender']}", timeout=30).url.endswith(
        f"/login?next=/conversations/{chat['sender']}"
    )


def test_the_export_command_writes_data_that_rasa_validates_and_training_reads(
    sanad: Sanad, chat: dict[str, str], tmp_path: Path
) -> None:
    nlu_dir = tmp_path / "nlu_data"
    shutil.copytree(REPO_ROOT / "nlu_data", nlu_dir)
    (nlu_dir / "reviewed.yml").unlink(missing_ok=True)
    indexer.sync(sanad.catalog_url, sanad.tracker_url)
    with db.session_scope(sanad.catalog_url) as session:
        messages = session.scalars(select(IndexedMessage).where(IndexedMessage.conversation_id == chat["sender"]))
        by_text = {m.text: m for m in messages}
        asked = by_text[f"je cherche un financement pour ma startup {chat['word']} à Agadir"]
        decide(session, asked, "relabel", "amina", "ask_financing", asked.text.replace("Agadir", "[Agadir](city)"))
        contact = by_text["vous pouvez m'écrire à salma.b@example.ma"]
        decide(session, contact, "relabel", "amina", "request_advisor", contact.text)
    command = [sys.executable, "-m", "bot", "console", "export-nlu", "--output", str(nlu_dir / "reviewed.yml")]
    result = subprocess.run(command, cwd=REPO_ROOT, env=sanad.env, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "rasa data validate: OK" in result.stdout
    exported = (nlu_dir / "reviewed.yml").read_text(encoding="utf-8")
    assert "salma.b@example.ma" not in exported and "contact@exemple.ma" in exported

    importer = TrainingDataImporter.load_from_config(
        str(REPO_ROOT / "config.yml"),
        str(REPO_ROOT / "bot" / "domain"),
        [str(nlu_dir), str(REPO_ROOT / "bot" / "rules")],
    )
    examples = {(m.get("text"), m.get("intent")) for m in importer.get_nlu_data().intent_examples}
    assert (f"je cherche un financement pour ma startup {chat['word']} à Agadir", "ask_financing") in examples
    assert ("vous pouvez m'écrire à contact@exemple.ma", "request_advisor") in examples
