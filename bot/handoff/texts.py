"""What the founder is told about the advisor, French first."""

from __future__ import annotations

import datetime as dt
from typing import Any

from bot.handoff.hours import OfficeHours

TEXTS: dict[str, dict[str, str]] = {
    "requested": {
        "fr": "C'est noté, {name} (demande n°{id}). Un conseiller du Technopark va vous rejoindre ici, dans cette conversation ; en attendant, je reste à votre disposition.",
        "en": "Got it, {name} (request #{id}). A Technopark advisor will join you here, in this conversation; until then, I'm still here for you.",
    },
    "requested_closed": {
        "fr": "C'est noté, {name} (demande n°{id}). Nos conseillers répondent {hours} : l'un d'eux vous écrira ici dès {opening}. En attendant, je reste à votre disposition.",
        "en": "Got it, {name} (request #{id}). Our advisors answer {hours}: one of them will write to you here from {opening}. Until then, I'm still here for you.",
    },
    "joined": {
        "fr": "{staff}, conseiller·ère du Technopark, a rejoint la conversation. Vous pouvez lui écrire ici.",
        "en": "{staff}, a Technopark advisor, has joined the conversation. You can write to them here.",
    },
    "handed_back": {
        "fr": "Le conseiller vous laisse avec Sanad, l'assistant. Demandez un conseiller à tout moment si besoin.",
        "en": "The advisor has handed you back to Sanad, the assistant. Ask for an advisor again any time.",
    },
    "resolved": {
        "fr": "Le conseiller a clos cet échange. Sanad, l'assistant, reste à votre disposition.",
        "en": "The advisor has closed this exchange. Sanad, the assistant, is still here for you.",
    },
    "hours": {"fr": "du {first} au {last}, de {opens} à {closes}", "en": "{first} to {last}, {opens} to {closes}"},
    "opening": {"fr": "{day} {date} à {time}", "en": "{day} {date} at {time}"},
    "advisor_label": {"fr": "Conseiller", "en": "Advisor"},
}
DAYS = {
    "fr": ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"),
    "en": ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"),
}


def text(key: str, language: str, **values: Any) -> str:
    variants = TEXTS[key]
    return (variants.get(language) or variants["fr"]).format(**values)


def hours_phrase(hours: OfficeHours, language: str) -> str:
    days = DAYS.get(language, DAYS["fr"])
    closes = "24:00" if hours.closes == dt.time.max else hours.closes.strftime("%H:%M")
    return text(
        "hours",
        language,
        first=days[hours.first_day - 1],
        last=days[hours.last_day - 1],
        opens=hours.opens.strftime("%H:%M"),
        closes=closes,
    )


def opening_phrase(when: dt.datetime, language: str) -> str:
    day = DAYS.get(language, DAYS["fr"])[when.isoweekday() - 1]
    return text("opening", language, day=day, date=when.strftime("%d/%m"), time=when.strftime("%H:%M"))
