"""Real Rasa server + real action server, talked to over the REST webhook like a channel would."""

from __future__ import annotations

import sqlite3
import urllib.request

import pytest
from sqlalchemy import func, select

from bot.catalog import models
from bot.catalog.db import session_scope
from tests.model.conftest import Sanad
from tests.model.test_telegram import arabic_share


def catalog_counts(url: str) -> dict[str, int]:
    with session_scope(url) as session:
        return {
            table.__tablename__: session.scalar(select(func.count()).select_from(table))
            for table in (models.Program, models.Criterion, models.Financing, models.KeyFact, models.Source)
        }


def test_french_conversation_with_follow_up(sanad: Sanad) -> None:
    who = "fr-founder"
    assert "je suis Sanad" in sanad.say(who, "bjr")
    listing = sanad.send(who, "quels sont les programmes d'accélération ?")
    assert "Programme d'accélération Technopark × Plug and Play" in "\n".join(r.get("text", "") for r in listing)
    assert any(b["title"] == "Détails" for r in listing for b in r.get("buttons", []))
    details = sanad.say(who, "parle-moi de Plug and Play")
    assert "Durée : 3 mois" in details and "Source :" in details
    assert "plus de 60 startups marocaines" in sanad.say(who, "Et combien de startups ?")
    assert "Nos sources ne précisent pas la date limite" in sanad.say(who, "c'est quoi la date limite ?")


def test_english_conversation(sanad: Sanad) -> None:
    who = "en-founder"
    assert "I'm Sanad" in sanad.say(who, "hello")
    assert "hybrid-format training" in sanad.say(who, "tell me about E-Technopark")
    assert "Our sources do not state the duration" in sanad.say(who, "how long does the program last?")
    assert "UM6P Ventures" in sanad.say(who, "what funding options are there for my startup?")


def test_buttons_drive_the_same_flows(sanad: Sanad) -> None:
    who = "button-founder"
    details = sanad.say(who, '/program_details{"program": "glovo-startup-lab"}')
    # the article as people cite it (no title: "article de presse", its date), never its file name
    assert "Glovo Startup Lab" in details and "Source : article de presse, mai 2024" in details
    assert ".txt" not in details


def test_eligibility_form_in_french(sanad: Sanad) -> None:
    who = "eligibility-founder"
    assert "À quel stade" in sanad.say(who, "suis-je éligible ?")
    assert "Dans quel secteur" in sanad.say(who, "on a un MVP")
    assert "Dans quelle ville" in sanad.say(who, "intelligence artificielle")
    assert "Depuis combien de temps" in sanad.say(who, "Casablanca")
    assert "Je n'ai pas compris cette réponse" in sanad.say(who, "hmm 🤔")
    assert "résident d'un Technopark" in sanad.say(who, "18 mois")
    assert "statut juridique" in sanad.say(who, "/affirm")
    verdicts = sanad.say(who, "SARL")
    assert "✅ Accès des startups de Technopark" in verdicts
    assert "❌ E-Technopark (plateforme à distance) : non éligible — conçu pour les startups non résidentes" in verdicts
    assert "les critères d'éligibilité ne sont pas publiés" in verdicts


def test_eligibility_form_in_arabic(sanad: Sanad) -> None:
    who = "ar-eligibility-founder"
    assert "في أي مرحلة" in sanad.say(who, "هل شركتي مؤهلة للبرامج؟")
    assert "في أي قطاع" in sanad.say(who, "لدينا نموذج أولي")
    assert "في أي مدينة" in sanad.say(who, "الذكاء الاصطناعي")
    assert "كم مضى" in sanad.say(who, "في الدار البيضاء")
    assert "مقيمون" in sanad.say(who, "عمر الشركة سنتان")
    assert "الشكل القانوني" in sanad.say(who, "نعم")
    verdicts = sanad.say(who, "شركة ذات مسؤولية محدودة")
    assert "✅" in verdicts and "❌" in verdicts and arabic_share(verdicts) > 0.5, verdicts


def test_darija_in_latin_letters_gets_darija(sanad: Sanad) -> None:
    who = "ary-founder"
    assert "Salam! Ana Sanad" in sanad.say(who, "salam, labas 3lik?")
    listing = sanad.say(who, "chno homa les programmes li kaynin?")
    assert "Hahoma les programmes" in listing and "Plug and Play" in listing
    assert "UM6P Ventures" in sanad.say(who, "kifach nl9a tamwil l startup dyali?")


def test_the_conversation_keeps_its_language_until_a_clear_message(sanad: Sanad) -> None:
    who = "switching-founder"
    assert "I'm Sanad" in sanad.say(who, "hello there")
    assert "You're welcome" in sanad.say(who, "merci")  # one French word: still English
    assert "بكل سرور" in sanad.say(who, "شكرا جزيلا على المساعدة")  # a clear Arabic sentence
    assert arabic_share(sanad.say(who, "ok")) > 0.5  # an ambiguous word keeps Arabic


def test_form_can_be_cancelled(sanad: Sanad) -> None:
    who = "cancelling-founder"
    sanad.say(who, "am I eligible?")
    assert "I've stopped" in sanad.say(who, "cancel")


def test_advisor_request_is_recorded(sanad: Sanad) -> None:
    who = "advisor-founder"
    assert "Quel est votre nom" in sanad.say(who, "je veux parler à un conseiller")
    assert "Comment vous joindre" in sanad.say(who, "Salma Benali")
    assert "Je n'ai pas reconnu" in sanad.say(who, "demain matin")
    assert "sur quel sujet" in sanad.say(who, "salma@startup.ma")
    done = sanad.say(who, "lever des fonds en seed")
    assert "Votre demande n°" in done and "salma@startup.ma" in done
    with session_scope(sanad.catalog_url) as session:
        rows = session.scalars(select(models.AdvisorRequest).where(models.AdvisorRequest.conversation_id == who)).all()
        assert [(r.name, r.contact, r.topic) for r in rows] == [
            ("Salma Benali", "salma@startup.ma", "lever des fonds en seed")
        ]


def test_advisor_request_keeps_what_the_founder_typed(sanad: Sanad) -> None:
    """The model reads a normal spelling (أ -> ا, 8 -> gh inside a word); the request stores the typed one."""
    who = "ar-advisor-founder"
    answers = ("أمينة الإدريسي", "amina8x@startup.ma", "تمويل مشروعي الأوّل، ملف رقم b8c1b3")
    sanad.say(who, "أريد التحدث مع مستشار من فضلك")
    for answer in answers:
        sanad.say(who, answer)
    with session_scope(sanad.catalog_url) as session:
        rows = session.scalars(select(models.AdvisorRequest).where(models.AdvisorRequest.conversation_id == who)).all()
        assert [(r.name, r.contact, r.topic) for r in rows] == [answers]


@pytest.mark.parametrize(
    "message",
    [
        "",
        "   ",
        "Plug and Play " * 1500,  # ~20,000 characters
        "🚀🔥😀🎉",
        "\x00\x07\x1b[31m hello \x7f",
        "'; DROP TABLE programs; --",
        "<script>alert(1)</script>",
        "ما هي البرامج المتاحة للشركات الناشئة؟",
        "wesh chno kayn f technopark 🙏 programmes?",
    ],
)
def test_bad_input_gets_an_answer_and_breaks_nothing(sanad: Sanad, message: str) -> None:
    before = catalog_counts(sanad.catalog_url)
    replies = sanad.send(f"bad-input-{abs(hash(message))}", message)
    assert replies and all(r.get("text") or r.get("buttons") for r in replies)
    assert catalog_counts(sanad.catalog_url) == before
    with urllib.request.urlopen(sanad.webhook.removesuffix("webhook"), timeout=5) as health:
        assert health.status == 200


def test_out_of_scope_gets_an_honest_answer(sanad: Sanad) -> None:
    reply = sanad.say("oos-founder", "quel temps fera-t-il demain à Rabat ?")
    assert "je réponds uniquement sur les programmes" in reply or "Je n'ai pas bien compris" in reply


def test_conversations_are_stored_in_the_sql_tracker_store(sanad: Sanad) -> None:
    sanad.say("stored-founder", "bonjour")
    path = sanad.tracker_url.removeprefix("sqlite:///")
    with sqlite3.connect(path) as db:
        (count,) = db.execute("select count(*) from events where sender_id = 'stored-founder'").fetchone()
    assert count > 0


def test_restart_mid_conversation_keeps_the_form(sanad: Sanad) -> None:
    who = "restarted-founder"
    sanad.say(who, "suis-je éligible ?")
    sanad.say(who, "idée")
    sanad.restart("Rasa server")
    sanad.restart("action server")
    assert "Dans quelle ville" in sanad.say(who, "fintech")
