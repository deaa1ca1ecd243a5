"""Turn catalog rows and eligibility verdicts into founder-facing text and buttons.

Plain text with line breaks and bullets: every channel (REST, Telegram, the web
widget) can show it, and channels escape it for their own markup.
"""

from __future__ import annotations

import json
from typing import Any

from actions.texts import MONTHS, text
from bot.answers.passages import Passage
from bot.catalog.models import Program, Source
from bot.eligibility import PROFILE_FIELDS, Failure, FounderProfile, Status, Verdict
from bot.vocabulary import label

#: Program fields a founder can ask about one by one, in the order details show them.
FACT_FIELDS = ("organizations", "duration", "capacity", "location", "benefits", "how_to_apply", "deadline")
#: A program field -> the intent that asks for it (what a button asking one field sends).
FIELD_INTENTS = {
    "duration": "ask_duration",
    "capacity": "ask_capacity",
    "location": "ask_location",
    "benefits": "ask_benefits",
    "organizations": "ask_partners",
    "how_to_apply": "ask_how_to_apply",
    "deadline": "ask_deadline",
}


def localized(value: dict[str, str] | None, language: str) -> str | None:
    if not value:
        return None
    return value.get(language) or value.get("fr")


def payload(intent: str, **entities: str) -> str:
    """A button payload that triggers ``intent`` with entities, as Rasa parses it."""
    return f"/{intent}{json.dumps(entities, ensure_ascii=False)}" if entities else f"/{intent}"


def partial_date(value: str, language: str) -> str:
    """ "2025-06-02" -> "2 juin 2025", "2025-06" -> "juin 2025": as precise as the source, in words."""
    parts = value.split("-")
    if len(parts) < 2 or not all(p.isdigit() for p in parts):
        return value
    month = MONTHS.get(language, MONTHS["fr"])[int(parts[1]) - 1]
    return f"{int(parts[2])} {month} {parts[0]}" if len(parts) > 2 else f"{month} {parts[0]}"


def citation(source: Source, language: str) -> str:
    """An article as people cite it: publication, « title », date (never the file it is stored in)."""
    return cite(source.publisher, source.title, source.published, language)


def cite(publisher: str | None, title: str | None, published: str, language: str) -> str:
    quoted = f"« {title} »" if title else None
    parts = [publisher or (None if quoted else text("press_article", language)), quoted]
    return ", ".join([*(p for p in parts if p), partial_date(published, language)])


def source_line(source: Source, last_verified: Any, language: str) -> str:
    return text("source", language, source=citation(source, language), verified=last_verified.isoformat())


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
    if field == "sectors":
        return ", ".join(label("sector", s, language) for s in program.tag_values("sector")) or None
    if field == "criteria":
        return "; ".join(criterion_text(c, language) for c in program.criteria) or None
    if field == "location" and not program.location and program.site:
        return localized(program.site.name, language)
    return localized(getattr(program, field), language)


def criterion_text(criterion: Any, language: str) -> str:
    """One eligibility rule as a condition, with the source's words."""
    if criterion.field == "technopark_resident":
        rule = text("rule_resident_true" if criterion.value else "rule_resident_false", language)
    elif criterion.field == "company_age_years":
        key = "criterion_age_max" if criterion.operator == "at_most" else "criterion_age_min"
        rule = text(key, language, expected=f"{criterion.value:g}")
    else:
        values = criterion.value if isinstance(criterion.value, list) else [criterion.value]
        expected = ", ".join(answer_label(criterion.field, v, language) for v in values)
        rule = text("criterion_value", language, field=text("profile_" + criterion.field, language), expected=expected)
    return text("reason", language, rule=rule, quote=criterion.quote)


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
    return f"• {body}{dated}\n  ↳ {citation(source, language)}"


def answer_sentence(passage: Passage, language: str) -> str:
    """The one sentence that answers: the catalog's words, framed by what was asked."""
    row = passage.row
    if passage.kind == "program_field":
        value = fact_value(row, passage.field or "summary", language) or ""
        return text(f"answer_{passage.field}", language, program=program_name(row, language), value=value)
    if passage.kind == "fact":
        said = localized(row.text, language) or ""
        subject = localized(row.organization.name, language) if row.organization else None
        if subject and _short_name(subject).lower() not in said.lower():
            return text(
                "answer_fact_about", language, subject=subject, text=said, date=partial_date(row.as_of, language)
            )
        return text("answer_fact", language, text=said, date=partial_date(row.as_of, language))
    name = localized(row.name, language) or ""
    if passage.kind == "event" and row.when:
        name = f"{name} ({localized(row.when, language)})"
    described = localized(row.description, language)
    return text("answer_named", language, name=name, text=described) if described else name


def _short_name(name: str) -> str:
    """ "Technopark Morocco (MITC)" is mentioned as "Technopark"; "Plug and Play" as itself."""
    return name.split(" (")[0].split(" Morocco")[0]


def details_payload(passage: Passage, primary: dict[str, tuple[str, ...]]) -> str:
    """The button that shows everything behind an answer: the program's card, or the list it belongs to."""
    programs = sorted(s.partition(":")[2] for s in passage.subjects if s.startswith("program:"))
    if passage.kind in ("fact", "organization") and not programs:
        orgs = [s for s in sorted(passage.subjects) if s.startswith("org:")]
        programs = [p.partition(":")[2] for org in orgs for p in primary.get(org, ())]
    if passage.kind == "financing":
        return payload("ask_financing")
    if passage.kind == "event":
        return payload("ask_events")
    if passage.kind == "site":
        return payload("ask_sites")
    if programs and passage.kind in ("program_field", "fact", "organization"):
        return payload("program_details", program=programs[0])
    return payload("about_technopark")
