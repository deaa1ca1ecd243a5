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
        ),
        "incubation": ("incubation", "incubateur", "incubator", "incubation program"),
        "residency": ("résidence", "residence", "hébergement", "residency", "hosting"),
        "remote_support": (
            "accompagnement à distance",
            "a distance",
            "à distance",
            "en ligne",
            "remote support",
            "remote",
            "online",
        ),
        "funding": ("financement", "funding", "investissement", "investment", "financing"),
        "partnership": ("partenariat", "partenariats", "partnership", "partnerships"),
    },
    "sector": {
        "fintech": ("fintech", "finance", "paiement", "payments", "banking"),
        "ai": (
            "ia",
            "intelligence artificielle",
            "ai",
            "artificial intelligence",
            "machine learning",
        ),
        "deeptech": ("deep tech", "deeptech", "deep-tech"),
        "renewable_energy": (
            "énergies renouvelables",
            "energies renouvelables",
            "énergie renouvelable",
            "renewable energy",
            "renewables",
            "solaire",
            "solar",
        ),
        "agritech": ("agritech", "agriculture", "agri-tech", "agtech"),
        "healthtech": ("healthtech", "santé", "sante", "e-santé", "health", "medtech"),
        "edtech": ("edtech", "éducation", "education", "e-learning"),
        "ecommerce": ("e-commerce", "ecommerce", "commerce en ligne", "online retail"),
        "logistics": ("logistique", "logistics", "livraison", "delivery", "transport"),
        "cleantech": ("cleantech", "greentech", "green tech", "climat", "climate"),
    },
    "stage": {
        "idea": ("idée", "idee", "idea", "porteur de projet", "project holder", "concept"),
        "mvp": ("mvp", "prototype", "produit minimum viable", "minimum viable product", "poc"),
        "seed": ("seed", "amorçage", "amorcage", "premiers clients", "first customers"),
        "growth": ("croissance", "growth", "scale-up", "scaleup", "expansion", "série a", "series a"),
    },
    "city": {
        "casablanca": ("casablanca", "casa", "dar el beida", "dar bouazza"),
        "rabat": ("rabat", "salé", "sale"),
        "marrakech": ("marrakech", "marrakesh", "kech"),
        "tanger": ("tanger", "tangier", "tangiers", "tanja"),
        "fes": ("fès", "fes", "fez"),
        "agadir": ("agadir",),
        "oujda": ("oujda",),
        "meknes": ("meknès", "meknes"),
        "tetouan": ("tétouan", "tetouan"),
        "kenitra": ("kénitra", "kenitra"),
        "benguerir": ("benguerir", "ben guerir"),
        "laayoune": ("laâyoune", "laayoune"),
        "dakhla": ("dakhla",),
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
        ),
        "auto_entrepreneur": ("auto-entrepreneur", "auto entrepreneur", "autoentrepreneur", "freelance"),
        "sarl": ("sarl", "sarlau", "sarl au", "llc"),
        "sa": ("sa", "société anonyme", "sas", "corporation"),
        "other": ("coopérative", "cooperative", "association", "ong", "ngo"),
    },
}

#: How each canonical value reads to a founder, per language.
LABELS: Mapping[str, Mapping[str, Mapping[str, str]]] = {
    "program_type": {
        "acceleration": {"fr": "accélération", "en": "acceleration"},
        "incubation": {"fr": "incubation", "en": "incubation"},
        "residency": {"fr": "résidence", "en": "residency"},
        "remote_support": {"fr": "accompagnement à distance", "en": "remote support"},
        "funding": {"fr": "financement", "en": "funding"},
        "partnership": {"fr": "partenariat", "en": "partnership"},
    },
    "sector": {
        "fintech": {"fr": "fintech", "en": "fintech"},
        "ai": {"fr": "intelligence artificielle", "en": "artificial intelligence"},
        "deeptech": {"fr": "deep tech", "en": "deep tech"},
        "renewable_energy": {"fr": "énergies renouvelables", "en": "renewable energy"},
        "agritech": {"fr": "agritech", "en": "agritech"},
        "healthtech": {"fr": "santé", "en": "health"},
        "edtech": {"fr": "éducation", "en": "education"},
        "ecommerce": {"fr": "e-commerce", "en": "e-commerce"},
        "logistics": {"fr": "logistique", "en": "logistics"},
        "cleantech": {"fr": "cleantech", "en": "cleantech"},
    },
    "stage": {
        "idea": {"fr": "idée", "en": "idea"},
        "mvp": {"fr": "MVP / prototype", "en": "MVP / prototype"},
        "seed": {"fr": "amorçage (seed)", "en": "seed"},
        "growth": {"fr": "croissance", "en": "growth"},
    },
    "legal_status": {
        "not_registered": {"fr": "pas encore immatriculée", "en": "not registered yet"},
        "auto_entrepreneur": {"fr": "auto-entrepreneur", "en": "self-employed (auto-entrepreneur)"},
        "sarl": {"fr": "SARL", "en": "SARL (LLC)"},
        "sa": {"fr": "SA / SAS", "en": "SA / SAS"},
        "other": {"fr": "autre forme", "en": "other form"},
    },
}


def fold(text: str) -> str:
    """Lower-case, strip accents and squeeze spaces: "Énergies  Renouvelables" -> "energies renouvelables"."""
    decomposed = unicodedata.normalize("NFKD", text)
    no_marks = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return re.sub(r"\s+", " ", no_marks.replace("’", "'")).strip().lower()


def _index(kind: str) -> dict[str, str]:
    """Folded surface form -> canonical value, canonical values included."""
    index: dict[str, str] = {}
    for canonical, surfaces in VOCABULARY[kind].items():
        index[fold(canonical.replace("_", " "))] = canonical
        index[fold(canonical)] = canonical
        for surface in surfaces:
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
    words = f" {re.sub(r'[^a-z0-9 -]', ' ', folded)} "
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
)

YES = ("oui", "ouais", "yes", "yep", "yeah", "bien sur", "exactement", "of course", "absolument")
NO = ("non", "no", "nope", "pas du tout", "not at all", "jamais", "never")

_NUMBER = r"(\d+(?:[.,]\d+)?)"
_NUMBER_WORDS = {
    "un": 1, "une": 1, "one": 1, "a": 1, "deux": 2, "two": 2, "trois": 3, "three": 3,
    "quatre": 4, "four": 4, "cinq": 5, "five": 5, "six": 6, "sept": 7, "seven": 7,
    "huit": 8, "eight": 8, "neuf": 9, "nine": 9, "dix": 10, "ten": 10,
}  # fmt: skip


def is_dont_know(text: str) -> bool:
    """The founder declines to answer ("je ne sais pas", "skip")."""
    folded = fold(text).strip(" .!?")
    return any(folded == phrase or folded.startswith(phrase + " ") for phrase in DONT_KNOW)


def parse_yes_no(text: str) -> bool | None:
    folded = f" {re.sub(r'[^a-z ]', ' ', fold(text))} "
    no = any(f" {word} " in folded for word in NO)
    yes = any(f" {word} " in folded for word in YES)
    return None if yes == no else yes


def parse_company_age(text: str, this_year: int) -> float | None:
    """Years since the company was created: "2 ans", "18 mois", "créée en 2021", "pas encore créée" -> 0."""
    folded = fold(text).replace("’", "'")
    if re.search(r"pas (encore )?(cree|immatricul)|not (yet )?(created|registered|incorporated)|no company", folded):
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
