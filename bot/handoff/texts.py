"""What the founder is told about the advisor, French first."""

from __future__ import annotations

import datetime as dt
from typing import Any

from bot.handoff.hours import OfficeHours

TEXTS: dict[str, dict[str, str]] = {
    "requested": {
        "fr": "C'est noté, {name} (demande n°{id}). Un conseiller du Technopark va vous rejoindre ici, dans cette conversation ; en attendant, je reste à votre disposition.",
        "en": "Got it, {name} (request #{id}). A Technopark advisor will join you here, in this conversation; until then, I'm still here for you.",
        "ar": "حسنًا {name}، تم تسجيل طلبكم (رقم {id}). سينضمّ إليكم مستشار من تكنوبارك هنا، في هذه المحادثة؛ وإلى ذلك الحين، أبقى رهن إشارتكم.",
        "ary": "Safi {name}, tsjjlat la demande dyalek (n°{id}). Chi conseiller dyal Technopark ghadi ydkhol m3ak hna, f had l'conversation; w f had l'wa9t, ana hna ila 7tajiti chi 7aja.",
    },
    "requested_closed": {
        "fr": "C'est noté, {name} (demande n°{id}). Nos conseillers répondent {hours} : l'un d'eux vous écrira ici dès {opening}. En attendant, je reste à votre disposition.",
        "en": "Got it, {name} (request #{id}). Our advisors answer {hours}: one of them will write to you here from {opening}. Until then, I'm still here for you.",
        "ar": "حسنًا {name}، تم تسجيل طلبكم (رقم {id}). يجيب مستشارونا {hours}: سيكتب إليكم أحدهم هنا ابتداءً من {opening}. وإلى ذلك الحين، أبقى رهن إشارتكم.",
        "ary": "Safi {name}, tsjjlat la demande dyalek (n°{id}). Les conseillers dyalna kayjawbo {hours}: wa7ed menhom ghadi ykteb lik hna mn {opening}. W f had l'wa9t, ana hna ila 7tajiti chi 7aja.",
    },
    "joined": {
        "fr": "{staff}, conseiller·ère du Technopark, a rejoint la conversation. Vous pouvez lui écrire ici.",
        "en": "{staff}, a Technopark advisor, has joined the conversation. You can write to them here.",
        "ar": "{staff}، من مستشاري تكنوبارك، معكم الآن في هذه المحادثة. يمكنكم الكتابة هنا مباشرة.",
        "ary": "{staff}, men les conseillers dyal Technopark, m3ak daba f had l'conversation. T9der tkteb hna direct.",
    },
    "handed_back": {
        "fr": "Le conseiller vous laisse avec Sanad, l'assistant. Demandez un conseiller à tout moment si besoin.",
        "en": "The advisor has handed you back to Sanad, the assistant. Ask for an advisor again any time.",
        "ar": "أعادكم المستشار إلى سند، المساعد الآلي. يمكنكم طلب مستشار في أي وقت عند الحاجة.",
        "ary": "L'conseiller khllak m3a Sanad, l'assistant. Ila 7tajiti conseiller, tlbo f ay wa9t.",
    },
    "resolved": {
        "fr": "Le conseiller a clos cet échange. Sanad, l'assistant, reste à votre disposition.",
        "en": "The advisor has closed this exchange. Sanad, the assistant, is still here for you.",
        "ar": "أنهى المستشار هذه المحادثة. ويبقى سند، المساعد الآلي، رهن إشارتكم.",
        "ary": "L'conseiller sedd had l'échange. Sanad, l'assistant, mazal hna m3ak.",
    },
    "hours": {
        "fr": "du {first} au {last}, de {opens} à {closes}",
        "en": "{first} to {last}, {opens} to {closes}",
        "ar": "من {first} إلى {last}، من {opens} إلى {closes}",
        "ary": "mn {first} l {last}, mn {opens} l {closes}",
    },
    "opening": {
        "fr": "{day} {date} à {time}",
        "en": "{day} {date} at {time}",
        "ar": "يوم {day} {date} على الساعة {time}",
        "ary": "nhar {day} {date} m3a {time}",
    },
    "advisor_label": {
        "fr": "Conseiller",
        "en": "Advisor",
        "ar": "مستشار",
        "ary": "Conseiller",
    },
}
DAYS = {
    "fr": ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"),
    "en": ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"),
    "ar": ("الاثنين", "الثلاثاء", "الأربعاء", "الخميس", "الجمعة", "السبت", "الأحد"),
    "ary": ("t-tnin", "t-tlat", "l-arb3", "l-khmis", "j-jem3a", "s-sebt", "l-7ed"),
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
