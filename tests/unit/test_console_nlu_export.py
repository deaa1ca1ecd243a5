"""NLU inbox decisions and their export as Rasa training data (read back with Rasa's own YAML reader)."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest
from rasa.shared.nlu.training_data.formats.rasa_yaml import RasaYAMLReader

from bot.console import db, nlu_export
from bot.console.models import IndexedMessage, NluReview
from bot.settings import REPO_ROOT


def message(
    event_id: int, text: str, intent: str | None = "ask_financing", entities: list | None = None
) -> IndexedMessage:
    return IndexedMessage(
        event_id=event_id,
        conversation_id=f"web-{event_id}",
        sent_at=dt.datetime(2026, 11, 1, 10, 0),
        text=text,
        search_text=text.casefold(),
        intent=intent,
        confidence=0.41,
        fallback=False,
        payload=False,
        entities=entities or [],
    )


@pytest.fixture
def nlu_dir(tmp_path: Path) -> Path:
    target = tmp_path / "nlu_data"
    shutil.copytree(REPO_ROOT / "nlu_data", target)
    return target


def test_confirm_keeps_the_predicted_intent_and_entities(database_url: str) -> None:
    with db.session_scope(database_url) as session:
        m = message(
            1,
            "financement pour ma startup à Rabat",
            entities=[{"entity": "city", "value": "rabat", "start": 30, "end": 35}],
        )
        session.add(m)
        review = nlu_export.decide(session, m, "confirm", "amina")
    assert (review.status, review.intent) == ("confirmed", "ask_financing")
    assert review.annotated == "financement pour ma startup à [Rabat](city)"


@pytest.mark.parametrize(
    ("intent", "annotated", "error"),
    [
        ("not_an_intent", "", "Intention inconnue"),
        ("ask_location", "où se trouve [Casablanca](planet)", "Entité inconnue"),
        ("ask_location", "un autre texte", "doit rester celui du fondateur"),
    ],
)
def test_a_relabel_that_cannot_train_is_refused(database_url: str, intent: str, annotated: str, error: str) -> None:
    with db.session_scope(database_url) as session:
        m = message(2, "où se trouve Casablanca")
        session.add(m)
        with pytest.raises(nlu_export.AnnotationError, match=error):
            nlu_export.decide(session, m, "relabel", "amina", intent, annotated)


def test_export_merges_masks_contacts_and_skips_known_texts(database_url: str, nlu_dir: Path) -> None:
    output = nlu_dir / "reviewed.yml"
    output.write_text('version: "3.1"\nnlu:\n  - intent: ask_sites\n    examples: |\n      - un exemple relu hier\n')
    known = next(iter(nlu_export._examples(nlu_dir / "financing.yml")["ask_financing"]))
    with db.session_scope(database_url) as session:
        for event_id, text in enumerate(
            [
                "où se trouve Casablanca",
                "appelez-moi au 0612345678 pour le financement",
                nlu_export.plain_text(known),
                "spam spam",
            ],
            start=10,
        ):
            session.add(message(event_id, text))
        session.flush()
        get = lambda i: session.get(IndexedMessage, i)  # noqa: E731
        nlu_export.decide(session, get(10), "relabel", "amina", "ask_location", "où se trouve [Casablanca](city)")
        nlu_export.decide(session, get(11), "confirm", "amina")
        nlu_export.decide(session, get(12), "relabel", "amina", "ask_deadline", nlu_export.plain_text(known))
        nlu_export.decide(session, get(13), "discard", "amina")
        result = nlu_export.export(session, output=output, nlu_dir=nlu_dir)
        assert session.get(NluReview, 10).exported_at is not None
    assert result.added == 2
    assert result.skipped == [f"« {nlu_export.plain_text(known)} » : déjà dans les données sous ask_financing"]
    assert "0612345678" not in result.yaml_text and nlu_export.PHONE_PLACEHOLDER in result.yaml_text
    assert "spam" not in result.yaml_text
    data = RasaYAMLReader().reads(result.yaml_text)
    examples = {(m.get("text"), m.get("intent")) for m in data.intent_examples}
    assert ("un exemple relu hier", "ask_sites") in examples  # what the file held is kept
    assert ("où se trouve Casablanca", "ask_location") in examples
    assert [e["value"] for e in data.entity_examples[0].get("entities")] == ["Casablanca"]
    # Running the export again adds nothing new.
    output.write_text(result.yaml_text)
    with db.session_scope(database_url) as session:
        assert nlu_export.export(session, output=output, nlu_dir=nlu_dir).added == 0


def test_flag_puts_a_message_in_the_inbox_once(database_url: str) -> None:
    with db.session_scope(database_url) as session:
        m = message(30, "un message bizarre")
        session.add(m)
        nlu_export.flag(session, m, "youssef")
        nlu_export.flag(session, m, "amina")
        assert session.get(NluReview, 30).flagged_by == "youssef"
