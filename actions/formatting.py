"""Turn catalog rows and eligibility verdicts into founder-facing text and buttons.

Plain text with line breaks and bullets: every channel (REST, Telegram, the web
widget) can show it, and channels escape it for their own markup.
"""

from __future__ import annotations

import json
from typing import Any

from actions.texts import text
from bot.catalog.models import Program, Source
from bot.eligibility import PROFILE_FIELDS, Failure, FounderProfile, Status, Verdict
from bot.vocabulary import label

#: Program fields a founder can ask about one by one, in the order details show them.
FACT_FIELDS = ("organizations", "duration", "capacity", "location", "benefits", "how_to_apply", "deadline")


def localized(value: dict[str, str] | None, language: str) -> str | None:
    if not value:
        return None
    return value.get(language) or value.get("fr")


def payload(intent: str, **entities: str) -> str:
    """A button payload that triggers ``intent`` with entities, as Rasa parses it."""
    return f"/{intent}{json.dumps(entities, ensure_ascii=False)}" if entities else f"/{intent}"


def source_line(source: Source, last_verified: Any, language: str) -> str:
    title = f"« {source.title} »" if source.title else text("source_untitled", language)
    parts = [title, source.publisher, source.published]
    described = ", ".join(part for part in parts if part)
    return text("source", language, source=f"{described} [{source.file}]", verified=last_verified.isoformat())


def program_name(program: Program, language: str) -> str:
    return localized(program.name, language) or program.id


def program_card(program: Program, language: str) -> tuple[str, list[dict[str, str]]]:
    """A short card: name, type, one-line summary, and the two follow-up buttons."""
    body = (
        f"{program_name(program, language)} ({label('program_type', program.type, language)})\n"
        f"{localized(program.summary, language)}"
    )
    buttons = [
        {"title": text("details_button", language), "payload": payload("program_details", program=program.id)},
        {"title": text("eligible_button", language), "payload": payload("check_eligibility", program=program.id)},
    ]
    return body, buttons


def fact_value(program: Program, field: str, language: str) -> str | None:
    """One field of a program as text, or None when the source does not state it."""
    if field == "organizations":
        names = [
            f"{localized(link.organization.name, language)} ({text('role_' + link.role, language)})"
            for link in program.organizations
        ]
        return ", ".join(names) or None
    if field == "benefits":
        items = [localized(b, language) for b in program.benefits or []]
        return "\n".join(f"• {item}" for item in items if item) or None
    if field == "deadline":
        return program.deadline.isoformat() if program.deadline else None
    return localized(getattr(program, field), language)


def program_details(program: Program, language: str) -> str:
    """Everything the catalog holds on a program, what it lacks said plainly, and the source."""
    lines = [program_name(program, language), localized(program.summary, language) or ""]
    lines.append(_field_line("field_type", label("program_type", program.type, language), language))
    missing = []
    for field in FACT_FIELDS:
        value = fact_value(program, field, language)
        if value is None:
            missing.append(text(f"what_{field}", language))
        else:
            lines.append(_field_line("field_" + field, value, language))
    status = localized(program.status, language)
    if status:
        lines.append(_field_line("field_status", status, language))
    focus = program.tag_values("sector")
    if focus:
        lines.append(_field_line("field_focus", ", ".join(label("sector", s, language) for s in focus), language))
    if missing:
        lines.append(text("unknown_fields", language, fields=", ".join(missing)))
    lines.append(source_line(program.source, program.last_verified, language))
    return "\n".join(line for line in lines if line)


def _field_line(key: str, value: str, language: str) -> str:
    """ "Label : value", with the value on its own lines when it is a list."""
    separator = "\n" if "\n" in value else " "
    return text("field_line", language, label=text(key, language), value=f"{separator}{value}".lstrip(" "))


def profile_summary(profile: FounderProfile, language: str) -> str:
    return "; ".join(
        text(
            "field_line",
            language,
            label=text("profile_" + field, language),
            value=answer_label(field, profile.get(field), language),
        )
        for field in PROFILE_FIELDS
    )


def answer_label(field: str, value: Any, language: str) -> str:
    """How a founder's answer reads back to them."""
    if value is None:
        return text("unknown_answer", language)
    if field == "technopark_resident":
        return text("yes" if value else "no", language)
    if field == "company_age_years":
        return text("years", language, value=f"{value:g}")
    return label(field, value, language)


def failure_reason(failure: Failure, language: str) -> str:
    if failure.field == "technopark_resident":
        rule = text("rule_resident_true" if failure.expected else "rule_resident_false", language)
    elif failure.field == "company_age_years":
        key = "rule_age_max" if failure.operator == "at_most" else "rule_age_min"
        rule = text(key, language, expected=f"{failure.expected:g}")
    else:
        expected = failure.expected if isinstance(failure.expected, list) else [failure.expected]
        rule = text(
            "rule_value",
            language,
            field=text("profile_" + failure.field, language),
            actual=answer_label(failure.field, failure.actual, language),
            expected=", ".join(answer_label(failure.field, v, language) for v in expected),
        )
    return text("reason", language, rule=rule, quote=failure.quote) if failure.quote else rule


def verdict_line(program: Program, verdict: Verdict, language: str) -> str:
    name = program_name(program, language)
    if verdict.status is Status.eligible:
        return text("eligible", language, program=name)
    if verdict.status is Status.not_eligible:
        reasons = "; ".join(failure_reason(f, language) for f in verdict.failures)
        return text("not_eligible", language, program=name, reasons=reasons)
    if verdict.no_criteria:
        return text("unknown_no_criteria", language, program=name)
    missing = ", ".join(text("profile_" + field, language) for field in verdict.missing)
    return text("unknown_missing", language, program=name, missing=missing)


def sourced_item(body: str, source: Source, language: str, as_of: str | None = None) -> str:
    """A bullet with its date and source, for lists of facts, sites, events and offers."""
    dated = f" ({text('as_of', language, date=as_of)})" if as_of else ""
    origin = ", ".join(part for part in (source.publisher, source.published) if part)
    return f"• {body}{dated}\n  ↳ {origin} [{source.file}]"
