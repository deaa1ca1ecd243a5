"""Founder goal: know Technopark — what it is, its figures, sites, events, how to reach it.

These are the full views a "Plus de détails" button (or a general question) opens,
shown by ``action_answer``. Every figure is shown with the date its source gives:
the 2023 and 2026 articles disagree (3,000 startups supported since 2001 vs 1,700
companies), and the founder should see both with their dates rather than one
silently chosen.
"""

from __future__ import annotations

from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy.orm import Session

from actions.formatting import localized, sourced_item
from actions.texts import text
from bot.catalog import queries
from bot.catalog.models import KeyFact


def fact_items(facts: list[KeyFact], language: str) -> list[str]:
    return [sourced_item(localized(f.text, language) or "", f.source, language, as_of=f.as_of) for f in facts]


def show_about(dispatcher: CollectingDispatcher, session: Session, language: str) -> None:
    lines = []
    technopark = queries.organization(session, "technopark")
    if technopark is not None and technopark.description:
        lines.append(sourced_item(localized(technopark.description, language) or "", technopark.source, language))
    hosting = queries.get_program(session, "technopark-hosting")
    if hosting is not None:
        lines.append(sourced_item(localized(hosting.summary, language) or "", hosting.source, language))
    lines.append(text("figures_intro", language))
    lines.extend(fact_items(queries.key_facts(session, topics=("figures", "roadmap")), language))
    dispatcher.utter_message(text="\n".join(lines))


def show_sites(dispatcher: CollectingDispatcher, session: Session, language: str) -> None:
    lines = [text("sites_intro", language)]
    for site in queries.sites(session):
        body = f"{localized(site.name, language)} — {localized(site.description, language) or ''}".rstrip(" —")
        lines.append(sourced_item(body, site.source, language))
    lines.extend(fact_items(queries.key_facts(session, topics=("sites",)), language))
    lines.append(text("sites_partial", language))
    dispatcher.utter_message(text="\n".join(lines))
    dispatcher.utter_message(response="utter_offer_advisor")


def show_events(dispatcher: CollectingDispatcher, session: Session, language: str) -> None:
    found = queries.events(session)
    if not found:
        dispatcher.utter_message(text=text("events_none", language))
        return
    lines = [text("events_intro", language)]
    for event in found:
        when = localized(event.when, language) or (event.starts_on.isoformat() if event.starts_on else "")
        body = f"{localized(event.name, language)} ({when}) — {localized(event.description, language)}"
        lines.append(sourced_item(body, event.source, language))
    if not any(queries.upcoming(event) for event in found):
        lines.append(text("events_future_unknown", language))
    dispatcher.utter_message(text="\n".join(lines))


def show_contact(dispatcher: CollectingDispatcher, session: Session, language: str) -> None:
    """Contact details only if a staff member put them in the catalog; never guessed."""
    contacts = queries.key_facts(session, topics=("contact",))
    if contacts:
        dispatcher.utter_message(text="\n".join(fact_items(contacts, language)))
        return
    dispatcher.utter_message(text=text("contact_unknown", language))
    dispatcher.utter_message(response="utter_offer_advisor")
