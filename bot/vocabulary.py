"""The words founders use for the catalog's categories, and their canonical values.

One table serves three readers: the NLU generator (synonyms and lookup tables in
``nlu_data/catalog_lookups.yml``), the actions (normalising an extracted entity
before querying the catalog) and the eligibility form (parsing a free-text
answer). Keeping it in one place means a new sector is taught to the model and
understood by the rules at once.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Mapping

from bot.normalization import normalize_text

#: kind -> canonical value -> surface forms (French, English, SMS spellings).
VOCABULARY: Mapping[str, Mapping[str, tuple[str, ...]]] = {
    "program_type": {
        "acceleration": (
            "accélération",
            "accelerateur",
            "accélérateur",
            "programme d'accélération",
            "acceleration",
            "accelerator",
            "accelerator program",
            "تسريع",
            "التسريع",
            "مسرعة",
            "مسرع",
            "برنامج تسريع",
            "tasri3",
            "accélération dyal",
            "l'accélération",
            "d'accélération",
            "المسرعات",
        ),
        "incubation": (
            "incubation",
            "incubateur",
            "incubator",
            "incubation program",
            "احتضان",
            "الاحتضان",
            "حاضنة",
            "حاضنه",
            "مشتل",
            "incubateur dyal",
            "d'incubation",
            "الحاضنات",
        ),
        "residency": (
            "résidence",
            "residence",
            "hébergement",
            "residency",
            "hosting",
            "إقامة",
            "الإقامة",
            "استضافة",
            "الاستضافة",
            "إيواء",
            "الإيواء",
            "مكتب ف التكنوبارك",
        ),
        "remote_support": (
            "accompagnement à distance",
            "a distance",
            "à distance",
            "en ligne",
            "remote support",
            "remote",
            "online",
            "عن بعد",
            "عن بعد",
            "أونلاين",
            "اونلاين",
            "mn b3id",
            "men b3id",
            "b3id",
            "عبر الإنترنت",
        ),
        "funding": (
            "financement",
            "funding",
            "investissement",
            "investment",
            "financing",
            "تمويل",
            "التمويل",
            "استثمار",
            "الاستثمار",
            "فلوس",
            "الفلوس",
            "tamwil",
            "ttamwil",
            "flouss",
            "flous",
            "lflous",
        ),
        "partnership": (
            "partenariat",
            "partenariats",
            "partnership",
            "partnerships",
            "شراكة",
            "الشراكة",
            "شراكات",
            "charaka",
        ),
    },
    "sector": {
        "fintech": (
            "fintech",
            "finance",
            "paiement",
            "payments",
            "banking",
            "التكنولوجيا المالية",
            "المالية",
            "الأداء",
            "فينتك",
            "الفينتك",
            "الأداء الإلكتروني",
        ),
        "ai": (
            "ia",
            "intelligence artificielle",
            "ai",
            "artificial intelligence",
            "machine learning",
            "الذكاء الاصطناعي",
            "ذكاء اصطناعي",
            "الذكاء الإصطناعي",
            "dakaa istina3i",
            "l'ia",
        ),
        "deeptech": ("deep tech", "deeptech", "deep-tech", "التكنولوجيا العميقة", "ديب تك"),
        "renewable_energy": (
            "énergies renouvelables",
            "energies renouvelables",
            "énergie renouvelable",
            "renewable energy",
            "renewables",
            "solaire",
            "solar",
            "الطاقات المتجددة",
            "الطاقة المتجددة",
            "الطاقة الشمسية",
            "الطاقه الشمسيه",
            "taqa",
        ),
        "agritech": (
            "agritech",
            "agriculture",
            "agri-tech",
            "agtech",
            "الفلاحة",
            "الفلاحه",
            "الزراعة",
            "الزراعه",
            "فلاحة",
            "fla7a",
            "lfla7a",
            "l'agritech",
            "الفلاحة الذكية",
        ),
        "healthtech": (
            "healthtech",
            "santé",
            "sante",
            "e-santé",
            "health",
            "medtech",
            "الصحة",
            "الصحه",
            "الصحة الرقمية",
            "الطب",
            "se7a",
            "sa7a",
            "tbib",
            "se77a",
        ),
        "edtech": (
            "edtech",
            "éducation",
            "education",
            "e-learning",
            "التعليم",
            "التعليم الرقمي",
            "التربية",
            "التعلم",
            "ta3lim",
            "t9ra",
            "التعليم الإلكتروني",
        ),
        "ecommerce": (
            "e-commerce",
            "ecommerce",
            "commerce en ligne",
            "online retail",
            "التجارة الإلكترونية",
            "التجاره الالكترونيه",
            "التجارة الالكترونية",
            "البيع أونلاين",
            "tijara electronique",
            "bi3 online",
        ),
        "logistics": (
            "logistique",
            "logistics",
            "livraison",
            "delivery",
            "transport",
            "اللوجستيك",
            "اللوجستيات",
            "النقل",
            "التوصيل",
            "الليفريزون",
            "livraison dyal",
            "tawsil",
            "اللوجيستيك",
        ),
        "cleantech": (
            "cleantech",
            "greentech",
            "green tech",
            "climat",
            "climate",
            "البيئة",
            "المناخ",
            "التكنولوجيا النظيفة",
            "البيئه",
            "التكنولوجيا الخضراء",
        ),
    },
    "stage": {
        "idea": (
            "idée",
            "idee",
            "idea",
            "porteur de projet",
            "project holder",
            "concept",
            "فكرة",
            "الفكرة",
            "فكره",
            "غير فكرة",
            "fikra",
            "ghir fikra",
            "lfikra",
            "حامل مشروع",
        ),
        "mvp": (
            "mvp",
            "prototype",
            "produit minimum viable",
            "minimum viable product",
            "poc",
            "نموذج أولي",
            "النموذج الأولي",
            "نموذج اولي",
            "بروتوتيب",
            "prototype dyal",
            "بروطوطيب",
            "البروطوطيب",
        ),
        "seed": (
            "seed",
            "amorçage",
            "amorcage",
            "premiers clients",
            "first customers",
            "مرحلة الانطلاق",
            "أول الزبناء",
            "اول الزبناء",
            "البذرة",
            "اول كليان",
            "awel clients",
            "lmarhala l2ola",
            "أول الكليان",
            "زبنائنا الأوائل",
        ),
        "growth": (
            "croissance",
            "growth",
            "scale-up",
            "scaleup",
            "expansion",
            "série a",
            "series a",
            "النمو",
            "التوسع",
            "مرحلة النمو",
            "كنكبرو",
            "kanKbro",
            "tawassou3",
            "نمو",
        ),
    },
    "city": {
        "casablanca": (
            "casablanca",
            "casa",
            "dar el beida",
            "dar bouazza",
            "الدار البيضاء",
            "البيضاء",
            "الدارالبيضاء",
            "كازا",
            "كازابلانكا",
            "dar lbida",
            "dar lbaida",
            "lbida",
        ),
        "rabat": ("rabat", "salé", "sale", "الرباط", "رباط", "سلا", "rbat", "rbatt", "sla"),
        "marrakech": ("marrakech", "marrakesh", "kech", "مراكش", "marrakch", "mrakch", "mraksh"),
        "tanger": ("tanger", "tangier", "tangiers", "tanja", "طنجة", "طنجه", "tanja"),
        "fes": ("fès", "fes", "fez", "فاس", "fass", "fas"),
        "agadir": ("agadir", "أكادير", "اكادير", "أگادير", "gadir"),
        "oujda": ("oujda", "وجدة", "وجده", "wjda"),
        "meknes": ("meknès", "meknes", "مكناس", "mknas", "mknes"),
        "tetouan": ("tétouan", "tetouan", "تطوان", "ttwan", "tetwan"),
        "kenitra": ("kénitra", "kenitra", "القنيطرة", "القنيطره", "9nitra", "qnitra"),
        "benguerir": ("benguerir", "ben guerir", "بن جرير", "بنجرير", "bengrir", "ben grir"),
        "laayoune": ("laâyoune", "laayoune", "العيون", "l3ayoun", "layoune"),
        "dakhla": ("dakhla", "الداخلة", "الداخله", "dakhla"),
    },
    "legal_status": {
        "not_registered": (
            "pas encore immatriculée",
            "pas immatriculée",
            "non immatriculée",
            "pas encore créée",
            "pas de société",
            "not registered",
            "not incorporated",
            "no company yet",
            "غير مسجلة",
            "غير مسجلة بعد",
            "ماشي مسجلة",
            "باقي ما مسجلاش",
            "ما مسجلاش",
            "ba9i ma msajlach",
            "ma msajlach",
            "machi msajla",
            "ما زال ما تسجلناش",
            "ماشي مسجلين",
            "ma 3ndich charika",
            "mazal ma msajlach",
            "mazal ma tsawbatch",
            "لم تؤسس بعد",
            "لم نسجل الشركة بعد",
            "لم ننشئ الشركة بعد",
        ),
        "auto_entrepreneur": (
            "auto-entrepreneur",
            "auto entrepreneur",
            "autoentrepreneur",
            "freelance",
            "مقاول ذاتي",
            "مقاولة ذاتية",
            "المقاول الذاتي",
            "المقاول الذاتى",
            "autoentrepreneur dyal",
            "أوطو أونتروبرونور",
            "فريلانس",
            "الفريلانس",
            "مستقل",
        ),
        "sarl": (
            "sarl",
            "sarlau",
            "sarl au",
            "llc",
            "ش.م.م",
            "شركة ذات مسؤولية محدودة",
            "صارل",
            "ش.ذ.م.م",
            "شركة ذات مسؤولية محدودة بشريك وحيد",
        ),
        "sa": ("sa", "société anonyme", "sas", "corporation", "شركة مساهمة", "ش.م"),
        "other": (
            "coopérative",
            "cooperative",
            "association",
            "ong",
            "ngo",
            "تعاونية",
            "جمعية",
            "جمعيه",
            "ta3awoniya",
            "jam3iya",
            "t3awniya",
        ),
    },
}

#: How each canonical value reads to a founder, per language.
LABELS: Mapping[str, Mapping[str, Mapping[str, str]]] = {
    "program_type": {
        "acceleration": {"fr": "accélération", "en": "acceleration", "ar": "التسريع"},
        "incubation": {"fr": "incubation", "en": "incubation", "ar": "الاحتضان"},
        "residency": {"fr": "résidence", "en": "residency", "ar": "الإقامة"},
        "remote_support": {"fr": "accompagnement à distance", "en": "remote support", "ar": "المواكبة عن بعد"},
        "funding": {"fr": "financement", "en": "funding", "ar": "التمويل"},
        "partnership": {"fr": "partenariat", "en": "partnership", "ar": "الشراكة"},
    },
    "sector": {
        "fintech": {"fr": "fintech", "en": "fintech", "ar": "التكنولوجيا المالية"},
        "ai": {"fr": "intelligence artificielle", "en": "artificial intelligence", "ar": "الذكاء الاصطناعي"},
        "deeptech": {"fr": "deep tech", "en": "deep tech", "ar": "التكنولوجيا العميقة"},
        "renewable_energy": {"fr": "énergies renouvelables", "en": "renewable energy", "ar": "الطاقات المتجددة"},
        "agritech": {"fr": "agritech", "en": "agritech", "ar": "التكنولوجيا الفلاحية"},
        "healthtech": {"fr": "santé", "en": "health", "ar": "الصحة"},
        "edtech": {"fr": "éducation", "en": "education", "ar": "التعليم"},
        "ecommerce": {"fr": "e-commerce", "en": "e-commerce", "ar": "التجارة الإلكترونية"},
        "logistics": {"fr": "logistique", "en": "logistics", "ar": "اللوجستيك"},
        "cleantech": {"fr": "cleantech", "en": "cleantech", "ar": "التكنولوجيا النظيفة"},
    },
    "stage": {
        "idea": {"fr": "idée", "en": "idea", "ar": "فكرة"},
        "mvp": {"fr": "MVP / prototype", "en": "MVP / prototype", "ar": "نموذج أولي (MVP)"},
        "seed": {"fr": "amorçage (seed)", "en": "seed", "ar": "مرحلة الانطلاق (seed)"},
        "growth": {"fr": "croissance", "en": "growth", "ar": "النمو"},
    },
    "city": {
        "casablanca": {"fr": "Casablanca", "en": "Casablanca", "ar": "الدار البيضاء"},
        "rabat": {"fr": "Rabat", "en": "Rabat", "ar": "الرباط"},
        "marrakech": {"fr": "Marrakech", "en": "Marrakech", "ar": "مراكش"},
        "tanger": {"fr": "Tanger", "en": "Tanger", "ar": "طنجة"},
        "fes": {"fr": "Fès", "en": "Fès", "ar": "فاس"},
        "agadir": {"fr": "Agadir", "en": "Agadir", "ar": "أكادير"},
        "oujda": {"fr": "Oujda", "en": "Oujda", "ar": "وجدة"},
        "meknes": {"fr": "Meknès", "en": "Meknès", "ar": "مكناس"},
        "tetouan": {"fr": "Tétouan", "en": "Tétouan", "ar": "تطوان"},
        "kenitra": {"fr": "Kénitra", "en": "Kénitra", "ar": "القنيطرة"},
        "benguerir": {"fr": "Benguerir", "en": "Benguerir", "ar": "بن جرير"},
        "laayoune": {"fr": "Laâyoune", "en": "Laâyoune", "ar": "العيون"},
        "dakhla": {"fr": "Dakhla", "en": "Dakhla", "ar": "الداخلة"},
    },
    "legal_status": {
        "not_registered": {"fr": "pas encore immatriculée", "en": "not registered yet", "ar": "غير مسجلة بعد"},
        "auto_entrepreneur": {"fr": "auto-entrepreneur", "en": "self-employed (auto-entrepreneur)", "ar": "مقاول ذاتي"},
        "sarl": {"fr": "SARL", "en": "SARL (LLC)", "ar": "شركة ذات مسؤولية محدودة (SARL)"},
        "sa": {"fr": "SA / SAS", "en": "SA / SAS", "ar": "شركة مساهمة (SA / SAS)"},
        "other": {"fr": "autre forme", "en": "other form", "ar": "شكل آخر"},
    },
}


_ARABIC_LETTER = re.compile(r"[\u0621-\u064A]")
_NOT_A_WORD = re.compile(r"[^a-z0-9\u0621-\u064A -]")
_NOT_A_LETTER = re.compile(r"[^a-z\u0621-\u064A ]")


def with_clitics(surfaces: tuple[str, ...] | list[str]) -> list[str]:
    """The surface forms, and each Arabic-script one with the prefixes written glued to it.

    Founders write "بالرباط" (in Rabat), "فالدار البيضاء", "للرباط": one token each,
    so the lookup tables and synonyms need those forms whole.
    """
    forms: list[str] = []
    for surface in surfaces:
        forms.append(surface)
        if _ARABIC_LETTER.match(surface):
            to = "ل" + surface[1:] if surface.startswith("ال") else "ل" + surface
            forms += [to, "ب" + surface, "ف" + surface, "و" + surface]
    return forms


def fold(text: str) -> str:
    """Lower-case, strip accents and squeeze spaces: "Énergies  Renouvelables" -> "energies renouvelables".

    Arabic script gets the normal spelling of ``bot.normalization`` (أ/إ/آ -> ا, ة -> ه...).
    """
    decomposed = unicodedata.normalize("NFKD", normalize_text(text))
    no_marks = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return re.sub(r"\s+", " ", no_marks.replace("’", "'")).strip().lower()


def _index(kind: str) -> dict[str, str]:
    """Folded surface form -> canonical value, canonical values included."""
    index: dict[str, str] = {}
    for canonical, surfaces in VOCABULARY[kind].items():
        index[fold(canonical.replace("_", " "))] = canonical
        index[fold(canonical)] = canonical
        for surface in with_clitics(surfaces):
            index[fold(surface)] = canonical
    return index


def normalize(kind: str, value: object) -> str | None:
    """The canonical value a founder meant by ``value``, or None when unsure.

    Exact folded matches first, then a surface form contained in the text
    ("je suis en phase mvp"), then a close spelling ("fintek") so typos from
    SMS-style messages still land.
    """
    if kind not in VOCABULARY or not isinstance(value, str) or not value.strip():
        return None
    index = _index(kind)
    folded = fold(value)
    if folded in index:
        return index[folded]
    words = f" {_NOT_A_WORD.sub(' ', folded)} "
    contained = [s for s in index if len(s) > 2 and f" {s} " in words]
    if contained:
        return index[max(contained, key=len)]
    close = difflib.get_close_matches(folded, list(index), n=1, cutoff=0.75) if len(folded) > 4 else []
    return index[close[0]] if close else None


def label(kind: str, canonical: str, language: str) -> str:
    """The founder-facing name of a canonical value, French when the language is unknown."""
    labels = LABELS.get(kind, {}).get(canonical)
    if not labels:
        return canonical.replace("_", " ").title() if kind == "city" else canonical
    return labels.get(language) or labels["fr"]


DONT_KNOW = (
    "je ne sais pas",
    "je sais pas",
    "jsp",
    "aucune idee",
    "passer",
    "passe",
    "sais pas",
    "don't know",
    "dont know",
    "i don't know",
    "no idea",
    "skip",
    "not sure",
    "لا اعرف",
    "لا ادري",
    "ما عرفتش",
    "معرفتش",
    "ماعرفتش",
    "ma3rftch",
    "ma3reftch",
    "ma3raftch",
    "ma3rfch",
    "ma n3rf",
    "ma n3ref",
)

YES = (
    "oui", "ouais", "yes", "yep", "yeah", "bien sur", "exactement", "of course", "absolument",
    "نعم", "اجل", "واه", "اه", "ايه", "بالطبع", "wah", "iyeh", "ayeh", "eyeh", "ah", "wakha", "bien sur",
)  # fmt: skip
NO = (
    "non", "no", "nope", "pas du tout", "not at all", "jamais", "never",
    "لا", "كلا", "ماشي", "ابدا", "machi", "mashi", "lla", "walo",
)  # fmt: skip
#: "la" is Darija for no, and a French article: it counts only as the whole answer.
NO_ALONE = ("la", "la la", "lala")

_NUMBER = r"(\d+(?:[.,]\d+)?)"
_NUMBER_WORDS = {
    "un": 1, "une": 1, "one": 1, "a": 1, "deux": 2, "two": 2, "trois": 3, "three": 3,
    "quatre": 4, "four": 4, "cinq": 5, "five": 5, "six": 6, "sept": 7, "seven": 7,
    "huit": 8, "eight": 8, "neuf": 9, "nine": 9, "dix": 10, "ten": 10,
    "wa7ed": 1, "jouj": 2, "joj": 2, "zouj": 2, "tlata": 3, "tlat": 3, "rb3a": 4, "reb3a": 4, "khamsa": 5,
    "stta": 6, "sb3a": 7, "tmnya": 8, "ts3ud": 9, "3achra": 10,
    "واحد": 1, "جوج": 2, "زوج": 2, "اثنين": 2, "ثلاث": 3, "ثلاثه": 3, "تلاته": 3, "اربع": 4, "اربعه": 4,
    "ربعه": 4, "خمس": 5, "خمسه": 5, "سته": 6, "سبعه": 7, "ثمانيه": 8, "تسعه": 9, "عشره": 10,
}  # fmt: skip
#: Arabic and Darija ways of saying a duration, rewritten to the French words the parser reads.
_DURATION_WORDS = (
    (r"(سنتين|سنتان|عامين|عامان|3amin|3amayn)", "2 ans"),
    (r"(شهرين|شهران|chhrin|chahrin)", "2 mois"),
    (r"(سنوات|سنين|سنه|اعوام|عام|snin|sana|3wam|3am)", "ans"),
    (r"(اشهر|شهور|شهرا|شهر|chhar|chher|chhor|chhour|chhr|shhar|shhour)", "mois"),
)


def is_dont_know(text: str) -> bool:
    """The founder declines to answer ("je ne sais pas", "skip")."""
    folded = fold(text).strip(" .!?")
    return any(folded == phrase or folded.startswith(phrase + " ") for phrase in DONT_KNOW)


def parse_yes_no(text: str) -> bool | None:
    folded = f" {_NOT_A_LETTER.sub(' ', fold(text))} "
    if folded.split() and " ".join(folded.split()) in NO_ALONE:
        return False
    no = any(f" {word} " in folded for word in NO)
    yes = any(f" {word} " in folded for word in YES)
    return None if yes == no else yes


def parse_company_age(text: str, this_year: int) -> float | None:
    """Years since the company was created: "2 ans", "18 mois", "créée en 2021", "pas encore créée" -> 0."""
    folded = fold(text).replace("’", "'")
    for pattern, replacement in _DURATION_WORDS:
        folded = re.sub(rf"(?<![\w]){pattern}(?![\w])", replacement, folded)
    not_yet = r"pas (encore )?(cree|immatricul)|not (yet )?(created|registered|incorporated)|no company"
    not_yet += r"|ما مسجل|مامسجل|غير مسجل|ماشي مسجل|لم تؤسس|لم تسجل|ما زال ما|ma msajl|machi msajl|ba9i ma|mazal ma"
    if re.search(not_yet, folded):
        return 0.0
    if re.search(r"moins d'(un|1) an|less than (a|one|1) year|quelques mois|a few months", folded):
        return 0.5
    for word, number in _NUMBER_WORDS.items():
        folded = re.sub(rf"\b{word}\b(?= (an|ans|annee|annees|year|years|mois|month|months)\b)", str(number), folded)
    year = re.search(r"\b(19[89]\d|20\d\d)\b", folded)
    if year and int(year.group(1)) <= this_year:
        return float(this_year - int(year.group(1)))
    months = re.search(_NUMBER + r"\s*(mois|months?)\b", folded)
    if months:
        return round(float(months.group(1).replace(",", ".")) / 12, 2)
    years = re.search(_NUMBER + r"\s*(ans?|annees?|years?|yrs?)?\b", folded)
    if years and (years.group(2) or re.fullmatch(r"\s*" + _NUMBER + r"\s*", folded)):
        value = float(years.group(1).replace(",", "."))
        return value if value <= 100 else None
    return None
