"""Founder goal: know one thing the catalog holds. One question, the answer first, then its source.

Flow: a question (``ask_question``: a program and any of its fields, Technopark, its sites,
events, financing…), the NLU fallback and out-of-scope messages run ``action_answer``, and
so do the buttons that ask for a program's card or one of its fields.

- Typed text goes to :mod:`bot.answers`, which finds the catalog passage that answers
  it, using what the NLU found (intent, program) and the program in context. The
  reply is one sentence that answers, the source as people cite it, and a "Plus de
  détails" button. What the catalog lacks gets "nos sources ne précisent pas" and the
  advisor offer; a program named with a question Sanad cannot place gets buttons for
  what the catalog does hold on it.
- A button's payload (``/program_details{"program": …}``, ``/about_technopark``,
  ``/ask_duration{"program": …}``…) shows what it names: a program's full card,
  Technopark's figures, the sites, events, financing offers, one field. A general
  question ("quels financements ?") gets the same list.
- Nothing recognised: out of scope stays out of scope; otherwise "rephrase", and an
  advisor on the second miss in a row.
"""

from __future__ import annotations

from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy.orm import Session

from actions.base import CatalogAction, latest_intent
from actions.financing import show_financing
from actions.formatting import (
    FIELD_INTENTS,
    answer_sentence,
    details_payload,
    localized,
    payload,
    program_name,
    source_line,
)
from actions.programs import program_mentions, show_program
from actions.technopark import show_about, show_contact, show_events, show_sites
from actions.texts import text
from bot import answers
from bot.answers import Answer, Finder, Question
from bot.answers.passages import Passage
from bot.vocabulary import label

FALLBACK = "nlu_fallback"


def misunderstood_twice(tracker: Tracker) -> bool:
    """Whether the latest two founder messages both went to the fallback."""
    intents = [
        ((event.get("parse_data") or {}).get("intent") or {}).get("name")
        for event in tracker.events
        if event.get("event") == "user"
    ]
    return intents[-2:] == [FALLBACK, FALLBACK]


def question_of(tracker: Tracker) -> Question:
    """The latest message as the finder reads it: its text, the NLU's best intent and programs, the context."""
    message = tracker.latest_message
    ranking = [i for i in message.get("intent_ranking") or [] if i.get("name") != FALLBACK]
    top = ranking[0] if ranking else message.get("intent") or {}
    return Question(
        text=str(message.get("text") or ""),
        intent=top.get("name"),
        confidence=float(top.get("confidence") or 0.0),
        programs=tuple(p for p in program_mentions(tracker) if isinstance(p, str)),
        context=tracker.get_slot("program"),
    )


class ActionAnswer(CatalogAction):
    def name(self) -> str:
        return "action_answer"

    def answer(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, session: Session, language: str
    ) -> list[dict[str, Any]]:
        intent = latest_intent(tracker)
        finder = answers.finder(session)
        question = question_of(tracker)
        if question.text.startswith("/"):
            return self.show(dispatcher, tracker, session, finder, language, intent)
        found = finder.find(question)
        if found.kind == "view" and found.aspect == "program_details" and found.subject:
            return show_program(dispatcher, tracker, session, language, found.subject.partition(":")[2])
        if found.kind == "view":
            return self.show(dispatcher, tracker, session, finder, language, found.aspect)
        return reply(dispatcher, tracker, finder, found, language)

    def show(
        self,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        session: Session,
        finder: Finder,
        language: str,
        intent: str | None,
    ) -> list[dict[str, Any]]:
        """What a button's payload names."""
        if intent in ("program_details", "ask_e_technopark"):
            return show_program(
                dispatcher, tracker, session, language, "e-technopark" if intent == "ask_e_technopark" else None
            )
        views = {"about_technopark": show_about, "ask_sites": show_sites, "ask_events": show_events}
        if intent in views:
            views[intent](dispatcher, session, language)
        elif intent == "ask_contact":
            show_contact(dispatcher, session, language)
        elif intent == "ask_financing":
            show_financing(dispatcher, tracker, session, language)
        else:  # one field of one program (the buttons of a clarification)
            asked = Question("", intent, 1.0, tuple(program_mentions(tracker)), tracker.get_slot("program"))
            return reply(dispatcher, tracker, finder, finder.find(asked), language)
        return []


def reply(
    dispatcher: CollectingDispatcher, tracker: Tracker, finder: Finder, found: Answer, language: str
) -> list[dict[str, Any]]:
    """Say what the finder found; remember the program it was about for the follow-ups."""
    program = found.subject.partition(":")[2] if found.subject and found.subject.startswith("program:") else None
    if found.kind == "facts":
        say_facts(dispatcher, finder, found.passages, language)
    elif found.kind == "absent":
        say_absent(dispatcher, finder, found, language)
    elif found.kind == "clarify":
        say_clarify(dispatcher, finder, found, language)
    elif found.kind == "which":
        say_which(dispatcher, finder, found, language)
    elif latest_intent(tracker) == "out_of_scope":
        dispatcher.utter_message(response="utter_out_of_scope")
        return []
    else:
        dispatcher.utter_message(response="utter_default")
        if misunderstood_twice(tracker):
            dispatcher.utter_message(response="utter_offer_advisor")
        return []
    return [SlotSet("program", program)] if program else []


def say_facts(dispatcher: CollectingDispatcher, finder: Finder, passages: tuple[Passage, ...], language: str) -> None:
    lines = [answer_sentence(p, language) for p in passages]
    sources = dict.fromkeys(source_line(p.row.source, p.row.last_verified, language) for p in passages)
    buttons = [
        {"title": text("more_details_button", language), "payload": details_payload(passages[0], finder.index.primary)}
    ]
    program = passages[0].row if passages[0].kind == "program_field" else None
    if program is not None:
        buttons.append(
            {"title": text("eligible_button", language), "payload": payload("check_eligibility", program=program.id)}
        )
    dispatcher.utter_message(text="\n".join([*lines, *sources]), buttons=buttons)


def subject_name(finder: Finder, subject: str | None, language: str) -> str | None:
    passage = finder.overview(subject) if subject else None
    if passage is None:
        return None
    if passage.kind == "program_field":
        return program_name(passage.row, language)
    return localized(passage.row.name, language)


def say_absent(dispatcher: CollectingDispatcher, finder: Finder, found: Answer, language: str) -> None:
    name = subject_name(finder, found.subject, language)
    if found.aspect == "constraint":
        kind, _, value = (found.asked or "").rpartition(":")
        named = label(kind, value, language) if kind else value
        dispatcher.utter_message(text=text("not_in_sources_named", language, what=named))
    elif name:
        what = text(f"what_{found.aspect}", language)
        dispatcher.utter_message(text=text("not_in_sources", language, what=what, program=name))
    else:
        dispatcher.utter_message(
            text=text("not_in_sources_general", language, what=text(f"what_{found.aspect}", language))
        )
    dispatcher.utter_message(response="utter_offer_advisor")


def say_clarify(dispatcher: CollectingDispatcher, finder: Finder, found: Answer, language: str) -> None:
    """A subject named, the question not placed: say so, and offer what the catalog holds on it."""
    name = subject_name(finder, found.subject, language) or ""
    buttons = []
    program = found.subject.partition(":")[2] if found.subject and found.subject.startswith("program:") else None
    if program:
        held = [
            p.field
            for p in finder.index.passages
            if p.kind == "program_field" and p.held and p.row.id == program and p.field in FIELD_INTENTS
        ]
        buttons = [
            {"title": text(f"field_{field}", language), "payload": payload(FIELD_INTENTS[field], program=program)}
            for field in held
        ]
    overview = finder.overview(found.subject) if found.subject else None
    if overview is not None:
        buttons.append(
            {"title": text("more_details_button", language), "payload": details_payload(overview, finder.index.primary)}
        )
    buttons.append({"title": text("advisor_button", language), "payload": "/request_advisor"})
    dispatcher.utter_message(text=text("clarify", language, name=name), buttons=buttons)


def say_which(dispatcher: CollectingDispatcher, finder: Finder, found: Answer, language: str) -> None:
    """An aspect asked with no program named or in context: which program?"""
    intent = FIELD_INTENTS.get(found.aspect or "", "program_details")
    programs = [p.row for p in finder.index.passages if p.kind == "program_field" and p.field == "summary"]
    buttons = [{"title": program_name(p, language), "payload": payload(intent, program=p.id)} for p in programs]
    dispatcher.utter_message(text=text("which_program_for", language), buttons=buttons)
