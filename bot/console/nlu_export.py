"""Staff decisions on founder messages, and their export as Rasa NLU training data.

A message in the NLU inbox is confirmed (the predicted intent was right),
relabelled (another intent, entities written in Rasa's annotation syntax
``[Casablanca](city)``) or discarded. The export adds the confirmed and
relabelled examples to ``nlu_data/reviewed.yml`` — merged with what the file
already holds, never replacing it, so nothing reviewed earlier is lost — with
contacts masked (training data is committed), and skips a text the training
data already has. ``rasa data validate`` accepts the file; training reads every
file under ``nlu_data/``, so the next ``make train`` (or ``make run``) retrains
with it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import yaml
from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.console.models import IndexedMessage, NluReview
from bot.console.pii import EMAIL, PHONE
from bot.database import utcnow
from bot.settings import REPO_ROOT

DOMAIN_DIR = REPO_ROOT / "bot" / "domain"
NLU_DIR = REPO_ROOT / "nlu_data"
EXPORT_FILE = NLU_DIR / "reviewed.yml"
ANNOTATION = re.compile(r"\[([^\[\]]+)\]\(([a-z_]+)\)")
#: Placeholders that keep an example's shape without the founder's contact.
EMAIL_PLACEHOLDER = "contact@exemple.ma"
PHONE_PLACEHOLDER = "0600000000"
IGNORED_INTENTS = frozenset({"nlu_fallback"})


class AnnotationError(ValueError):
    """An annotated text staff wrote that cannot become a training example; the message says why."""


def _domain_lists(key: str) -> list[str]:
    names: list[str] = []
    for path in sorted(DOMAIN_DIR.glob("*.yml")):
        for item in (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get(key) or []:
            name = next(iter(item)) if isinstance(item, dict) else str(item)
            if name not in names:
                names.append(name)
    return names


def domain_intents() -> list[str]:
    return sorted(_domain_lists("intents"))


def domain_entities() -> list[str]:
    return sorted(e for e in _domain_lists("entities") if e != "language")


def plain_text(annotated: str) -> str:
    return ANNOTATION.sub(lambda m: m.group(1), annotated)


def annotate(text: str, entities: Iterable[dict]) -> str:
    """``text`` with ``entities`` (start, end, entity) written in Rasa's annotation syntax."""
    spans = sorted(
        (int(e["start"]), int(e["end"]), str(e["entity"]))
        for e in entities
        if isinstance(e.get("start"), int) and isinstance(e.get("end"), int) and e.get("entity")
    )
    out, position = [], 0
    for start, end, entity in spans:
        if start < position or end > len(text) or start >= end or "[" in text[start:end] or "]" in text[start:end]:
            continue
        out += [text[position:start], f"[{text[start:end]}]({entity})"]
        position = end
    out.append(text[position:])
    return "".join(out)


def check_annotation(original: str, annotated: str) -> str:
    """``annotated`` on one line, if it is ``original`` with entities of the domain marked; else AnnotationError."""
    annotated = " ".join(annotated.split())
    if plain_text(annotated) != " ".join(original.split()):
        raise AnnotationError(
            "Le texte annoté doit rester celui du fondateur : seules les annotations [valeur](entité) s'ajoutent."
        )
    unknown = sorted({m.group(2) for m in ANNOTATION.finditer(annotated)} - set(domain_entities()))
    if unknown:
        raise AnnotationError(f"Entité inconnue : {', '.join(unknown)} (connues : {', '.join(domain_entities())}).")
    return annotated


def flag(session: Session, message: IndexedMessage, staff: str) -> None:
    """Put a message in the NLU inbox (a second flag, or a flag after a decision, changes nothing)."""
    if session.get(NluReview, message.event_id) is None:
        session.add(
            NluReview(
                event_id=message.event_id, conversation_id=message.conversation_id, status="flagged", flagged_by=staff
            )
        )


def decide(
    session: Session, message: IndexedMessage, decision: str, staff: str, intent: str = "", annotated: str = ""
) -> NluReview:
    """Record ``decision`` (confirm, relabel, discard) on ``message``."""
    review = session.get(NluReview, message.event_id) or NluReview(
        event_id=message.event_id, conversation_id=message.conversation_id
    )
    if decision == "confirm":
        if not message.intent or message.intent in IGNORED_INTENTS:
            raise AnnotationError("Aucune intention prédite à confirmer : choisissez-en une.")
        review.status, review.intent = "confirmed", message.intent
        review.annotated = " ".join(annotate(message.text, message.entities or []).split())
    elif decision == "relabel":
        if intent not in domain_intents():
            raise AnnotationError(f"Intention inconnue : {intent or '(vide)'}.")
        review.status, review.intent = "relabelled", intent
        review.annotated = check_annotation(message.text, annotated or message.text)
    elif decision == "discard":
        review.status, review.intent, review.annotated = "discarded", None, None
    else:
        raise AnnotationError(f"Décision inconnue : {decision}.")
    review.decided_by, review.decided_at, review.exported_at = staff, utcnow(), None
    session.merge(review)
    return review


def without_contacts(annotated: str) -> str:
    return PHONE.sub(PHONE_PLACEHOLDER, EMAIL.sub(EMAIL_PLACEHOLDER, annotated))


def _examples(path: Path) -> dict[str, list[str]]:
    """Intent → example lines of a Rasa NLU YAML file (empty when absent)."""
    if not path.exists():
        return {}
    found: dict[str, list[str]] = {}
    for block in (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("nlu") or []:
        if isinstance(block, dict) and "intent" in block:
            lines = [line.strip()[2:] for line in str(block.get("examples", "")).splitlines()]
            found.setdefault(block["intent"], []).extend(line for line in lines if line)
    return found


def _known_texts(nlu_dir: Path, skip: Path) -> dict[str, str]:
    """casefolded plain text → intent, over the training data (except the export file itself)."""
    known: dict[str, str] = {}
    for path in sorted(nlu_dir.rglob("*.yml")):
        if path.resolve() != skip.resolve():
            for intent, examples in _examples(path).items():
                known.update((plain_text(e).casefold(), intent) for e in examples)
    return known


@dataclass
class Export:
    yaml_text: str
    added: int
    skipped: list[str]


def render(examples: dict[str, list[str]]) -> str:
    lines = [
        'version: "3.1"',
        "# Founder messages reviewed in the staff console (python -m bot console export-nlu).",
        "nlu:",
    ]
    for intent in sorted(examples):
        lines += [f"  - intent: {intent}", "    examples: |"]
        lines += [f"      - {example}" for example in examples[intent]]
    return "\n".join(lines) + "\n"


def export(session: Session, output: Path = EXPORT_FILE, nlu_dir: Path = NLU_DIR, mark: bool = True) -> Export:
    """The export file's new content: its current examples plus every reviewed one not yet in the training data.

    With ``mark``, the exported reviews are dated so the inbox can say so; the caller writes the file.
    """
    examples = _examples(output)
    present = {plain_text(e).casefold() for lines in examples.values() for e in lines}
    known = _known_texts(nlu_dir, output)
    added, skipped = 0, []
    reviews = session.scalars(
        select(NluReview).where(NluReview.status.in_(("confirmed", "relabelled"))).order_by(NluReview.event_id)
    )
    for review in reviews:
        example = without_contacts(review.annotated or "")
        key = plain_text(example).casefold()
        if not example or not review.intent:
            continue
        if key in known:
            if known[key] != review.intent:
                skipped.append(f"« {plain_text(example)} » : déjà dans les données sous {known[key]}")
        elif key not in present:
            examples.setdefault(review.intent, []).append(example)
            present.add(key)
            added += 1
        if mark and review.exported_at is None:
            review.exported_at = utcnow()
    return Export(render(examples), added, skipped)
