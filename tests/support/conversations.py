"""Synthetic Sanad conversations, written as rows of Rasa's tracker store ``events`` table.

The staff console reads Rasa's ``SQLTrackerStore``; its tests and benchmarks need up to 100,000
conversations, which would take hours to play through Rasa. This writes the rows Rasa 3.6 would
write for this bot (same table, columns and ``json.dumps(event.as_dict())`` data; turns, forms,
fallbacks and sessions as the rules run them) with a simulated NLU, channels and languages mixed
as in production. The same seed and ``start`` give the same rows (and sender ids: use another
seed to add more conversations to a table).

Benchmark use: ``python -m tests.support.conversations --url sqlite:///var/bench/tracker.db --conversations 100000``
"""

from __future__ import annotations

import argparse
import datetime as dt
import functools
import heapq
import itertools
import json
import math
import random
import re
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from sqlalchemy import create_engine, insert
from sqlalchemy.engine import make_url

from actions.formatting import FACT_FIELDS, cite, payload, profile_summary, verdict_line
from actions.texts import text as action_text
from bot.catalog.models import Program
from bot.console.indexer import EVENTS, TRACKER
from bot.eligibility import PROFILE_FIELDS, Criterion, FounderProfile, evaluate
from bot.language import detect_language
from bot.vocabulary import VOCABULARY, is_dont_know, label, parse_company_age

ROOT = Path(__file__).resolve().parents[2]
DOMAIN_DIR = ROOT / "bot" / "domain"
CATALOG_DIR = ROOT / "bot" / "catalog" / "data"

ASSISTANT_ID = "sanad"
FALLBACK_THRESHOLD = 0.7  # config.yml, FallbackClassifier
CORE_FALLBACK_THRESHOLD = 0.3  # config.yml, RulePolicy
BATCH_ROWS = 20_000
ADVISOR_RATE = 0.08  # conversations that ask for a human
PROGRAM_FOCUS_RATE = 0.27  # conversations about one program by name (plus buttons and follow-ups)
#: conversations with at least one message the FallbackClassifier rejects, by language (Arabic is the weakest)
FALLBACK_RATES = {"fr": 0.16, "en": 0.14, "ar": 0.35}
MIN_SESSION_GAP = 3 * 3600.0  # well past the domain's 60 min session expiration
SESSION_ROOM = 2 * 3600.0  # a session always ends within this, so nothing is later than `start`
CORE_FALLBACK_RATE = 0.004  # per understood message outside forms: RulePolicy had no rule
INVALID_CONTACTS = ("appelez-moi demain matin", "sur whatsapp", "le même que d'habitude")

# fmt: off
# Tables: one entry per item would make them hard to read, so they stay packed.
INTENTS = (
    "request_advisor", "check_eligibility", "inform", "affirm", "deny", "stop", "out_of_scope", "ask_financing",
    "list_programs", "program_details", "ask_capacity", "ask_duration", "ask_location", "ask_benefits",
    "ask_how_to_apply", "ask_deadline", "ask_partners", "ask_e_technopark", "greet", "goodbye", "thank",
    "bot_challenge", "ask_capabilities", "about_technopark", "ask_sites", "ask_events", "ask_contact",
)
#: the best real intent under an NLU fallback
FALLBACK_GUESSES = (
    "out_of_scope", "inform", "ask_financing", "list_programs", "greet", "check_eligibility", "ask_how_to_apply",
    "request_advisor", "deny", "affirm",
)
#: what founders ask outside forms, with relative weights
TOPICS = {
    "list_programs": 16, "ask_financing": 12, "check_eligibility": 8, "about_technopark": 9, "ask_sites": 5,
    "ask_events": 5, "ask_contact": 5, "ask_e_technopark": 2, "ask_capabilities": 4, "bot_challenge": 2,
    "out_of_scope": 4, "inform": 4, "ask_how_to_apply": 4, "ask_capacity": 2, "ask_duration": 2,
}
#: the order of the domain's slots, which is the order action_extract_slots sets them in
ENTITY_SLOTS = ("stage", "sector", "city", "legal_status", "language", "program", "program_type")
FACT_INTENTS = {
    "ask_capacity": "capacity", "ask_duration": "duration", "ask_location": "location", "ask_benefits": "benefits",
    "ask_how_to_apply": "how_to_apply", "ask_deadline": "deadline", "ask_partners": "organizations",
}
#: intents whose rule runs action_answer (bot/rules): questions answered from the catalog
ANSWERED = (
    "nlu_fallback", "out_of_scope", "ask_financing", "program_details", "ask_e_technopark", "about_technopark",
    "ask_sites", "ask_events", "ask_contact", *FACT_INTENTS,
)
#: intent -> action of the rule that answers it outside forms (bot/rules)
RULE_ACTIONS = {
    "greet": "utter_greet", "goodbye": "utter_goodbye", "thank": "utter_thank", "bot_challenge": "utter_iamabot",
    "ask_capabilities": "utter_capabilities", "deny": "utter_anything_else", "stop": "utter_anything_else",
    "list_programs": "action_list_programs", "inform": "action_list_programs", **dict.fromkeys(ANSWERED, "action_answer"),
}
#: intents whose answer is a fixed text built from the catalog (World.texts)
TEXT_INTENTS = {
    "ask_financing": "financing", "about_technopark": "about", "ask_sites": "sites", "ask_events": "events",
    "ask_contact": "contact",
}
ADVISOR_SLOTS = ("advisor_name", "advisor_contact", "advisor_topic")
#: relative traffic by local hour (Morocco, UTC+1)
HOUR_WEIGHTS = (
    0.08, 0.05, 0.03, 0.02, 0.02, 0.03, 0.08, 0.2, 0.45, 0.75, 0.95, 1.0,
    0.9, 0.7, 0.8, 0.95, 0.9, 0.75, 0.6, 0.5, 0.5, 0.45, 0.3, 0.15,
)

# Founder messages per intent and "voice" (fr, en, ar in Arabic script, darija in Latin letters).
# {sector}, {city}, {stage}, {program}, {program_type}, {legal_status} become entities.
PHRASES: dict[str, dict[str, tuple[str, ...]]] = {
    "greet": {
        "fr": ("Bonjour", "bonjour 👋", "Salut", "slt", "bjr", "Bonsoir Sanad", "Bonjour, j'ai une question", "coucou",
               "Bonjour !", "bonjour, vous pouvez m'aider ?"),
        "en": ("Hi", "Hello", "hello there", "hey", "Good morning", "Hi Sanad 👋"),
        "ar": ("السلام عليكم", "مرحبا", "صباح الخير", "سلام"),
        "darija": ("salam", "salam 3likom", "slm", "ahlan"),
    },
    "goodbye": {
        "fr": ("Au revoir", "À bientôt !", "bonne journée", "bonne soirée", "ciao", "Au revoir et merci", "bye"),
        "en": ("bye", "Goodbye!", "see you", "have a nice day"),
        "ar": ("مع السلامة", "إلى اللقاء"),
        "darija": ("bslama", "bslama, nhar zwin"),
    },
    "thank": {
        "fr": ("Merci beaucoup !", "merci 🙏", "Super, merci", "mrc", "Merci pour les infos", "parfait merci",
               "top merci 👍", "merci c'est très clair"),
        "en": ("thanks!", "Thank you very much", "thx", "great, thanks 🙏", "thanks for the info"),
        "ar": ("شكرا جزيلا", "شكرا", "بارك الله فيك"),
        "darija": ("chokran", "chokran bzaf 🙏", "merci bzaf"),
    },
    "affirm": {
        "fr": ("oui", "Oui svp", "oui volontiers", "d'accord", "ouais", "Oui, avec plaisir", "oui je veux bien"),
        "en": ("yes", "yes please", "sure", "ok yes", "yeah"),
        "ar": ("نعم", "نعم من فضلك"),
        "darija": ("ah", "iyeh", "wakha"),
    },
    "deny": {
        "fr": ("non", "non merci", "pas pour l'instant", "non ça va"),
        "en": ("no", "no thanks", "not now"),
        "ar": ("لا", "لا شكرا"),
        "darija": ("la", "la merci"),
    },
    "stop": {
        "fr": ("annuler", "stop", "laisse tomber", "j'arrête", "on arrête là"),
        "en": ("cancel", "stop", "forget it"),
        "ar": ("إلغاء", "توقف"),
        "darija": ("safi", "khlas"),
    },
    "bot_challenge": {
        "fr": ("t'es un robot ?", "Je parle à un humain ?", "vous êtes une vraie personne ?", "c'est un bot ?",
               "t'es une IA ? 🤖"),
        "en": ("are you a bot?", "am I talking to a human?", "is this a real person?"),
        "ar": ("هل أنت روبوت؟", "هل أتحدث مع إنسان؟"),
        "darija": ("wach nta robot?", "wach kayn chi bnadm?"),
    },
    "ask_capabilities": {
        "fr": ("tu peux faire quoi ?", "Qu'est-ce que tu sais faire ?", "comment tu peux m'aider ?",
               "Vous proposez quoi comme services ?", "aide"),
        "en": ("what can you do?", "how can you help me?", "what are your features?"),
        "ar": ("ماذا يمكنك أن تفعل؟", "كيف يمكنك مساعدتي؟"),
        "darija": ("chno t9der dir?", "kifach t9der t3awni?"),
    },
    "about_technopark": {
        "fr": ("c'est quoi le Technopark ?", "bjr c koi le technopark", "Le Technopark fait quoi exactement ?",
               "Parlez-moi du Technopark", "Qui gère le Technopark ?", "c'est quoi la MITC ?"),
        "en": ("what is Technopark?", "tell me about Technopark", "who runs Technopark?"),
        "ar": ("ما هو التكنوبارك؟", "من يسير التكنوبارك؟"),
        "darija": ("chno howa technopark?", "ach kaydir technopark?"),
    },
    "ask_sites": {
        "fr": ("Où se trouvent les Technoparks ?", "il y a un Technopark à {city} ?", "les sites du technopark svp",
               "Vous êtes présents dans quelles villes ?", "adresse du technopark de {city}"),
        "en": ("where are the Technopark sites?", "is there a Technopark in {city}?", "which cities are you in?"),
        "ar": ("أين توجد مواقع التكنوبارك؟", "هل يوجد تكنوبارك في طنجة؟"),
        "darija": ("fin kayn technopark f {city}?", "fin kaynin les sites dyal technopark?"),
    },
    "ask_events": {
        "fr": ("Il y a des événements prévus ?", "prochains événements pour startups ?",
               "Vous organisez des meetups ?", "des événements à {city} bientôt ?",
               "c'est quand le prochain GITEX ?"),
        "en": ("any upcoming events?", "do you organise meetups?", "events for startups this month?"),
        "ar": ("هل هناك فعاليات قادمة؟",),
        "darija": ("wach kayn chi événement had chhar?",),
    },
    "ask_contact": {
        "fr": ("Comment contacter le Technopark ?", "numéro de téléphone du technopark svp", "quel est votre email ?",
               "je peux vous appeler où ?", "contact svp"),
        "en": ("how can I contact Technopark?", "what's your phone number?", "Technopark email address?"),
        "ar": ("كيف يمكنني التواصل مع التكنوبارك؟", "ما هو رقم الهاتف؟"),
        "darija": ("kifach nt3awd m3akom?", "3tini numéro dyal technopark"),
    },
    "list_programs": {
        "fr": ("Quels programmes proposez-vous ?", "je cherche un programme d'accompagnement",
               "liste des programmes svp", "vous avez quoi comme programmes ?",
               "Des programmes pour une startup {sector} ?", "vous avez des programmes d'{program_type} ?",
               "kel programme pour moi ?", "je cherche un incubateur 🚀",
               "Quels programmes pour une startup en phase {stage} ?", "programmes à {city} ?"),
        "en": ("what programs do you have?", "I'm looking for a support program", "programs for a {sector} startup?",
               "any {program_type} programs?", "list the programs please", "programs in {city}?"),
        "ar": ("ما هي برامج الدعم المتوفرة؟", "أبحث عن برنامج لمواكبة شركتي الناشئة",
               "ما هي البرامج المتاحة للشركات الناشئة؟"),
        "darija": ("chno homa les programmes li 3ndkom?", "bghit programme l startup dyali",
                   "wach 3ndkom chi programme f {city}?"),
    },
    "inform": {
        "fr": ("{sector} à {city}", "on est en phase {stage}", "startup {sector}", "{sector}",
               "on est à {city}, secteur {sector}"),
        "en": ("{sector} in {city}", "we're at the {stage} stage", "{sector} startup"),
        "darija": ("{sector} f {city}",),
    },
    "program_details": {
        "fr": ("c'est quoi {program} ?", "Parlez-moi de {program}", "plus d'infos sur {program} svp",
               "{program} ça consiste en quoi ?", "Je voudrais des détails sur le programme {program}",
               "et {program} ?"),
        "en": ("what is {program}?", "tell me more about {program}", "details on {program} please"),
        "ar": ("ما هو برنامج {program}؟", "أريد معلومات عن {program}"),
        "darija": ("chno howa {program}?", "bghit nfhm {program}"),
    },
    "ask_capacity": {
        "fr": ("Et combien de startups ?", "combien de places ?", "ils prennent combien de startups par promo ?",
               "y a beaucoup de places ?", "combien de startups sont retenues pour {program} ?"),
        "en": ("how many startups?", "how many places are there?", "how many startups does {program} take?"),
        "ar": ("كم عدد الشركات المقبولة؟",),
        "darija": ("ch7al mn startup kayakhdo?",),
    },
    "ask_duration": {
        "fr": ("ça dure combien de temps ?", "Quelle est la durée du programme ?", "c'est sur combien de mois ?",
               "{program} dure combien de temps ?"),
        "en": ("how long does it last?", "what is the duration?", "how long is {program}?"),
        "ar": ("كم مدة البرنامج؟",),
        "darija": ("ch7al kaydom?",),
    },
    "ask_location": {
        "fr": ("Ça se passe où ?", "c'est à quel endroit ?", "le programme est basé où ?", "{program} c'est où ?"),
        "en": ("where does it take place?", "where is {program} based?"),
        "ar": ("أين يقام البرنامج؟",),
        "darija": ("fin kayn had programme?",),
    },
    "ask_benefits": {
        "fr": ("Qu'est-ce qu'on gagne à y participer ?", "quels sont les avantages ?", "on a quoi concrètement ?",
               "ça apporte quoi {program} ?"),
        "en": ("what are the benefits?", "what do we get?", "what does {program} offer?"),
        "ar": ("ما هي المزايا؟",),
        "darija": ("chno ghadi nstafdo?",),
    },
    "ask_how_to_apply": {
        "fr": ("Comment postuler ?", "comment on candidate ?", "je m'inscris comment ?",
               "Comment postuler à {program} ?", "c'est quoi la procédure d'inscription ?"),
        "en": ("how do I apply?", "how to apply to {program}?", "what's the application process?"),
        "ar": ("كيف يمكنني التسجيل؟", "كيف أقدم طلبي؟"),
        "darija": ("kifach ndir bach nsjl?", "kifach n postuler?"),
    },
    "ask_deadline": {
        "fr": ("C'est quoi la date limite ?", "jusqu'à quand on peut candidater ?", "deadline ?",
               "la date limite pour {program} ?"),
        "en": ("what's the deadline?", "until when can we apply?"),
        "ar": ("ما هو آخر أجل للتسجيل؟",),
        "darija": ("fo9ach ākhir ajal?",),
    },
    "ask_partners": {
        "fr": ("Qui organise ce programme ?", "c'est porté par qui ?", "quels sont les partenaires ?",
               "qui est derrière {program} ?"),
        "en": ("who runs this program?", "who are the partners?"),
        "ar": ("من هم الشركاء؟",),
        "darija": ("chkoun li mnadem had programme?",),
    },
    "ask_e_technopark": {
        "fr": ("c'est quoi E-Technopark ?", "l'e-technopark c'est quoi ?", "On peut être accompagné à distance ?",
               "je suis pas à Casa, y a un accompagnement en ligne ?"),
        "en": ("what is E-Technopark?", "can I get remote support?"),
        "ar": ("ما هو إي-تكنوبارك؟",),
        "darija": ("wach kayn accompagnement à distance?",),
    },
    "ask_financing": {
        "fr": ("Comment obtenir un financement ?", "je cherche des investisseurs", "Vous financez les startups ?",
               "financement pour une startup {sector} ?", "comment lever des fonds en phase {stage} ?",
               "Y a-t-il des subventions ? 💰", "je cherche du financement pour mon projet",
               "qui finance les startups {sector} au Maroc ?"),
        "en": ("how can I get funding?", "I'm looking for investors", "funding for a {sector} startup?",
               "how to raise money at {stage} stage?"),
        "ar": ("كيف أحصل على تمويل لمشروعي؟", "أبحث عن مستثمرين"),
        "darija": ("wach kayn chi financement l startups?", "bghit flous l projet dyali",
                   "kifach nl9a investisseurs?"),
    },
    "check_eligibility": {
        "fr": ("Suis-je éligible ?", "est-ce que je peux postuler ?", "je suis éligible à {program} ?",
               "Est-ce que ma startup {sector} à {city} est éligible ?",
               "on peut candidater si on est {legal_status} ?", "je voudrais vérifier mon éligibilité"),
        "en": ("am I eligible?", "can I apply?", "is my {sector} startup in {city} eligible?",
               "am I eligible for {program}?"),
        "ar": ("هل أنا مؤهل للبرنامج؟", "هل يمكنني التقديم؟"),
        "darija": ("wach ana éligible?", "wach n9der n postuler?"),
    },
    "request_advisor": {
        "fr": ("Je veux parler à un conseiller", "un humain svp", "Je voudrais être rappelé",
               "mettez-moi en relation avec l'équipe", "je peux parler à quelqu'un ?",
               "je souhaite échanger avec un conseiller du Technopark"),
        "en": ("I want to talk to an advisor", "can I speak to a human?", "put me in touch with an advisor",
               "I'd like a call back"),
        "ar": ("أريد التحدث مع مستشار", "أريد أن يتصل بي أحد"),
        "darija": ("bghit nhdr m3a chi conseiller", "3ayto lia 3afak"),
    },
    "out_of_scope": {
        "fr": ("Quel temps fera-t-il demain à Rabat ?", "combien coûte un iPhone 15 au Maroc ?",
               "tu peux m'écrire un business plan ?", "donne-moi une recette de tajine",
               "c'est quoi le score du match ?", "Je cherche un appartement à louer à Casa",
               "comment faire une boucle en javascript ?"),
        "en": ("what's the weather tomorrow?", "who won the match yesterday?", "write me a poem",
               "how much is an iPhone in Morocco?"),
        "ar": ("ما هو الطقس غدا؟", "من فاز في المباراة؟"),
        "darija": ("chno kayn f télé lyoum?", "bghit nchri tomobil"),
    },
}

#: What founders write when the NLU does not follow: vague, typos, half sentences, Darija.
UNCLEAR: dict[str, tuple[str, ...]] = {
    "fr": ("euh", "jsp trop", "??", "hmm ok et donc", "c pour mon projet", "j'ai une idée mais",
           "et pour nous alors ?", "c'est possible ou pas", "le truc dont on a parlé", "ok mais concrètement ?",
           "azerty", "projet", "mon associé m'a dit de vous écrire", "c'est gratuit ?", "et après ?",
           "on a déjà postulé l'an dernier", "c'est pour une asso", "j'ai pas compris 😅"),
    "en": ("hmm", "??", "so what now", "my cofounder told me to write", "is it free?", "and then?", "not sure",
           "idk"),
    "ar": ("؟؟", "ممكن توضيح", "لم أفهم", "ماذا بعد؟", "مشروعي"),
    "darija": ("ach kat9sd?", "ma fhmtch", "wach hadchi b flous?", "ok w mnba3d?", "dakchi li glt lik",
               "wach mzyan?"),
}

#: Answers to the forms' questions, per voice.
FORM_ANSWERS: dict[str, dict[str, tuple[str, ...]]] = {
    "stage": {
        "fr": ("on est au stade de l'{stage}", "on a un {stage}", "{stage}", "on a nos {stage}"),
        "en": ("we're at the {stage} stage", "{stage}"),
        "darija": ("{stage}",),
    },
    "sector": {
        "fr": ("{sector}", "c'est une startup {sector}", "secteur {sector}", "on travaille dans le {sector}"),
        "en": ("{sector}", "we do {sector}"),
        "darija": ("{sector}",),
    },
    "city": {
        "fr": ("{city}", "à {city}", "on est basés à {city}"),
        "en": ("{city}", "we're in {city}"),
        "darija": ("f {city}", "{city}"),
    },
    "legal_status": {
        "fr": ("{legal_status}", "on est une {legal_status}", "je suis {legal_status}"),
        "en": ("{legal_status}", "we're an {legal_status}"),
        "darija": ("{legal_status}",),
    },
    "company_age_years": {
        "fr": ("2 ans", "8 mois", "pas encore créée", "1 an", "3 ans", "18 mois", "moins d'un an", "je ne sais pas"),
        "en": ("2 years", "8 months", "not registered yet", "1 year", "3 years"),
        "darija": ("3amayn", "2 ans", "mazal ma creeyt"),
    },
    "advisor_topic": {
        "fr": ("financement de notre MVP", "je voudrais candidater à un programme",
               "questions sur l'hébergement au Technopark", "accompagnement pour lever des fonds",
               "partenariat avec une grande entreprise", "on cherche un local à Casablanca",
               "je veux savoir si mon projet peut être accompagné"),
        "en": ("funding for our MVP", "applying to a program", "hosting at Technopark", "help to raise a seed round"),
        "ar": ("تمويل مشروعي", "التسجيل في برنامج"),
        "darija": ("bghit financement l projet dyali", "bghit n3rf wach n9der ndkhol l technopark"),
    },
}

#: Entity surfaces per language family ("fr" also serves Darija and Arabic, "en" English).
SURFACES: dict[str, dict[str, tuple[str, ...]]] = {
    "sector": {
        "fr": ("fintech", "IA", "intelligence artificielle", "agritech", "santé", "e-commerce", "éducation",
               "énergies renouvelables", "deep tech", "logistique", "edtech", "healthtech"),
        "en": ("fintech", "AI", "agritech", "health", "e-commerce", "edtech", "renewable energy", "deep tech",
               "logistics", "cleantech"),
    },
    "city": {
        "fr": ("Casablanca", "Casa", "Rabat", "Marrakech", "Tanger", "Fès", "Agadir", "Oujda", "Tétouan", "Kénitra",
               "casa", "rabat"),
        "en": ("Casablanca", "Rabat", "Marrakesh", "Tangier", "Fez", "Agadir"),
    },
    "stage": {
        "fr": ("idée", "MVP", "prototype", "amorçage", "premiers clients", "croissance"),
        "en": ("idea", "MVP", "prototype", "seed", "growth", "series A"),
    },
    "program_type": {
        "fr": ("accélération", "incubation", "résidence", "accompagnement à distance", "financement"),
        "en": ("acceleration", "incubator", "residency", "remote support", "funding"),
    },
    "legal_status": {
        "fr": ("auto-entrepreneur", "SARL", "SARLAU", "SA", "pas encore immatriculée"),
        "en": ("LLC", "freelance", "not registered"),
    },
}
FIRST_NAMES = ("Salma", "Youssef", "Imane", "Mehdi", "Kawtar", "Omar", "Sara", "Hamza", "Nadia", "Amine", "Ghita",
               "Reda", "Houda", "Anas", "Khadija", "Yassine", "Meryem", "Karim", "Zineb", "Ilyas", "Fatima Zahra",
               "Othmane")
LAST_NAMES = ("Benali", "El Amrani", "Bennani", "Alaoui", "Tazi", "Berrada", "El Idrissi", "Chraibi", "Fassi",
              "Ouazzani", "Benjelloun", "Lahlou", "Naciri", "Skalli", "Kettani", "Bouzidi", "Hajji", "Mansouri")
MAIL_DOMAINS = ("example.ma", "example.com", "example.org", "mail.example.ma")
#: Telegram's ids grow over time; these are plausible ranges, not real accounts.
TELEGRAM_PRIVATE = (100_000_000, 7_999_999_999)
TELEGRAM_GROUP = (1_000_000_000_000, 1_009_999_999_999)
# fmt: on


@dataclass(frozen=True)
class Generated:
    """What one :func:`generate` call appended."""

    conversations: int
    events: int


TOKEN = re.compile(r"\w+|[^\w\s]")
BOT_DATA_KEYS = frozenset({"text", "elements", "quick_replies", "buttons", "attachment", "image", "custom"})


# -- the bot's side, read once from the domain and the catalog ----------------------------------


@dataclass(frozen=True)
class Reply:
    """A bot message as BotUttered holds it; ``metadata`` is what Rasa logs of a domain response."""

    text: str
    data: dict[str, Any]
    metadata: dict[str, Any]
    payloads: tuple[str, ...]  # of its buttons


def _reply(text: str, buttons: list[dict[str, str]] | None = None, metadata: dict[str, Any] | None = None) -> Reply:
    kept = [{"title": b["title"], "payload": b["payload"]} for b in buttons or ()]
    data = {"elements": None, "quick_replies": None, "buttons": kept or None, "attachment": None, "image": None}
    data["custom"] = None
    return Reply(text, data, metadata or {}, tuple(b["payload"] for b in kept))


def _yaml(path: Path) -> Any:
    with path.open(encoding="utf-8") as handle:
        return yaml.safe_load(handle)


def _localized(value: Any, language: str) -> str:
    if isinstance(value, dict):
        return str(value.get(language) or value.get("fr") or "")
    return "" if value is None else str(value)


def _field(key: str, value: str, language: str) -> str:
    return action_text("field_line", language, label=action_text(key, language), value=value)


class World:
    """What the generator says on the bot's behalf, per language ("fr" or "en"), and the names founders use.

    Domain responses are Rasa's; catalog answers are built from the YAML files as the actions build
    them from the database, close to but not exactly their texts.
    """

    def __init__(self) -> None:
        names = ("sources", "organizations", "programs", "facts", "financing", "sites", "events")
        self.catalog = {name: _yaml(CATALOG_DIR / f"{name}.yml") or [] for name in names}
        self.sources = {s["id"]: s for s in self.catalog["sources"]}
        self.organizations = {o["id"]: o for o in self.catalog["organizations"]}
        self.programs = [p for p in self.catalog["programs"] if p.get("id")]
        self.responses = self._responses()
        self.cards: dict[tuple[str, str], Reply] = {}  # (program id, language)
        self.details: dict[tuple[str, str], Reply] = {}
        self.facts: dict[tuple[str, str, str], list[Reply]] = {}  # (program id, fact intent, language)
        self.texts: dict[tuple[str, str], list[Reply]] = {}  # (TEXT_INTENTS value or "which_program", language)
        for language in ("fr", "en"):
            offer = self.responses[("utter_offer_advisor", language)]
            for program in self.programs:
                self._program_replies(program, language, offer)
            self.texts.update({(name, language): replies for name, replies in self._texts(language, offer).items()})
        self.program_surfaces: dict[str, tuple[str, ...]] = {}  # program id -> names founders use
        for program in self.programs:
            names = [str(a) for a in program.get("aliases") or []] + [_localized(program.get("name"), "fr")]
            self.program_surfaces[program["id"]] = tuple(dict.fromkeys(n for n in names if n and len(n) <= 40))
        self.entity_values: dict[tuple[str, str], str] = {}  # (entity, lowercased surface) -> value after synonyms
        for kind, table in VOCABULARY.items():
            for canonical, forms in table.items():
                self.entity_values[(kind, canonical.lower())] = canonical
                for form in forms:
                    self.entity_values.setdefault((kind, form.lower()), canonical)
        for pid, surfaces in self.program_surfaces.items():
            self.entity_values.update({("program", surface.lower()): pid for surface in surfaces})

    @staticmethod
    def _responses() -> dict[tuple[str, str], Reply]:
        """The domain's responses: the variant without condition is French, the ``language: en`` one English."""
        found: dict[tuple[str, str], Reply] = {}
        for path in sorted(DOMAIN_DIR.glob("*.yml")):
            for name, variants in ((_yaml(path) or {}).get("responses") or {}).items():
                for variant in variants:
                    english = any(c.get("value") == "en" for c in variant.get("condition") or [])
                    # create_bot_utterance keeps what it does not know (the condition) as metadata
                    metadata = {k: v for k, v in variant.items() if k not in BOT_DATA_KEYS} | {"utter_action": name}
                    reply = _reply(variant.get("text", ""), variant.get("buttons"), metadata)
                    found.setdefault((name, "en" if english else "fr"), reply)
        for name, _language in list(found):
            found.setdefault((name, "en"), found[(name, "fr")])
        return found

    def _source_line(self, row: dict[str, Any], language: str) -> str:
        cited = self._cite(row, language)
        return action_text("source", language, source=cited, verified=str(row.get("last_verified", "")))

    def _cite(self, row: dict[str, Any], language: str) -> str:
        source = self.sources.get(row.get("source"), {})
        return cite(source.get("publisher"), source.get("title"), str(source.get("published", "")), language)

    def _item(self, body: str, row: dict[str, Any], language: str, as_of: str | None = None) -> str:
        """A bullet with its date and source, as actions.formatting.sourced_item writes it."""
        dated = f" ({action_text('as_of', language, date=as_of)})" if as_of else ""
        return f"• {body}{dated}\n  ↳ {self._cite(row, language)}"

    def _key_facts(self, topics: tuple[str, ...], language: str) -> list[str]:
        rows = [f for f in self.catalog["facts"] if f.get("topic") in topics]
        return [self._item(_localized(f.get("text"), language), f, language, f.get("as_of")) for f in rows]

    def _fact_value(self, program: dict[str, Any], name: str, language: str) -> str | None:
        if name == "organizations":
            names = [
                f"{_localized(self.organizations.get(link.get('id'), {}).get('name'), language) or link.get('id')} "
                f"({action_text('role_' + str(link.get('role', 'partner')), language)})"
                for link in program.get("organizations") or []
            ]
            return ", ".join(names) or None
        if name == "benefits":
            items = [_localized(b, language) for b in program.get("benefits") or []]
            return "\n".join(f"• {i}" for i in items if i) or None
        return _localized(program.get(name), language) or None

    def _program_replies(self, program: dict[str, Any], language: str, offer: Reply) -> None:
        """A program's card, its details, and the answer to each fact intent."""
        pid = program["id"]
        name = _localized(program.get("name"), language) or pid
        kind = label("program_type", str(program.get("type", "")), language)
        summary = _localized(program.get("summary"), language)

        def button(title: str, intent: str) -> dict[str, str]:
            return {"title": action_text(title, language), "payload": payload(intent, program=pid)}

        details, eligible = button("details_button", "program_details"), button("eligible_button", "check_eligibility")
        self.cards[(pid, language)] = _reply(f"{name} ({kind})\n{summary}", [details, eligible])
        lines, missing = [name, summary, _field("field_type", kind, language)], []
        for fact in FACT_FIELDS:
            value = self._fact_value(program, fact, language)
            if value is None:
                missing.append(action_text(f"what_{fact}", language))
            else:
                lines.append(_field("field_" + fact, f"\n{value}" if "\n" in value else value, language))
        status = _localized(program.get("status"), language)
        if status:
            lines.append(_field("field_status", status, language))
        if missing:
            lines.append(action_text("unknown_fields", language, fields=", ".join(missing)))
        lines.append(self._source_line(program, language))
        self.details[(pid, language)] = _reply("\n".join(line for line in lines if line), [eligible])
        for intent, fact in FACT_INTENTS.items():
            value = self._fact_value(program, fact, language)
            if value is None:
                what = action_text(f"what_{fact}", language)
                unknown = action_text("not_in_sources", language, what=what, program=name)
                self.facts[(pid, intent, language)] = [_reply(unknown), offer]
            else:
                known = f"{name}\n{_field('field_' + fact, value, language)}\n{self._source_line(program, language)}"
                self.facts[(pid, intent, language)] = [_reply(known)]

    def _texts(self, language: str, offer: Reply) -> dict[str, list[Reply]]:
        """The answers of the actions that show a fixed part of the catalog."""
        catalog = self.catalog
        financing = [action_text("financing_intro", language, count=len(catalog["financing"]))]
        for row in catalog["financing"]:
            body = f"{_localized(row.get('name'), language)} — {_localized(row.get('description'), language)}"
            financing.append(self._item(body, row, language))
        about = []
        technopark = self.organizations.get("technopark", {})
        if technopark.get("description"):
            about.append(self._item(_localized(technopark["description"], language), technopark, language))
        about += [action_text("figures_intro", language), *self._key_facts(("figures", "roadmap"), language)]
        sites = [action_text("sites_intro", language)]
        for row in catalog["sites"]:
            body = f"{_localized(row.get('name'), language)} — {_localized(row.get('description'), language)}"
            sites.append(self._item(body.rstrip(" —"), row, language))
        sites += [*self._key_facts(("sites",), language), action_text("sites_partial", language)]
        events = [action_text("events_intro", language)]
        for row in catalog["events"]:
            when, what = _localized(row.get("when"), language), _localized(row.get("description"), language)
            events.append(self._item(f"{_localized(row.get('name'), language)} ({when}) — {what}", row, language))
        events.append(action_text("events_future_unknown", language))
        return {
            "financing": [_reply("\n".join(financing)), offer],
            "about": [_reply("\n".join(about))],
            "sites": [_reply("\n".join(sites)), offer],
            "events": [_reply("\n".join(events) if catalog["events"] else action_text("events_none", language))],
            "contact": [_reply(action_text("contact_unknown", language)), offer],
            "which_program": [_reply(action_text("which_program", language))],
        }


@functools.lru_cache(maxsize=1)
def world() -> World:
    return World()


# -- one conversation ----------------------------------------------------------------------------


_as_json = json.JSONEncoder(check_circular=False).encode  # json.dumps, without a cycle check events never need
_detect_language = functools.lru_cache(maxsize=None)(detect_language)  # founders' texts repeat a lot


@dataclass(slots=True)
class Message:
    """A founder message and what the (simulated) NLU made of it."""

    text: str
    intent: str
    confidence: float = 1.0
    entities: list[dict[str, Any]] = field(default_factory=list)
    payload: bool = False
    fallback: bool = False


class Conversation:
    """A founder's conversation with Sanad: who, where, in which language, and the tracker while it is written."""

    def __init__(self, gen: Generator, start: float) -> None:
        self.gen, self.w = gen, gen.world
        rng = self.rng = gen.rng
        roll = rng.random()
        self.channel = "web" if roll < 0.55 else "telegram" if roll < 0.9 else "rest"
        roll = rng.random()
        # Darija in Latin letters often reads as French to bot.language: a few more Arabic speakers than the 15% seen
        self.lang = "fr" if roll < 0.58 else "en" if roll < 0.83 else "ar"
        self.sender = self._address()
        self._plan(start)
        # what the tracker holds
        self.t = start
        self.turn_index = 0
        self.slots: dict[str, Any] = {"language": "fr"}
        self.slot_log: list[tuple[str, Any]] = []  # slots set since the session started, carried over to the next
        self.loop: str | None = None
        self.requested: str | None = None
        self.offered: list[str] = []  # the payloads of the buttons under Sanad's last answer
        self.advisor_offered = False
        self.person = ("Salma", "Benali")
        self.contact: str | None = None
        self.invalid_contact_done = False
        self.misunderstood = False  # the founder's previous message in the session went to the NLU fallback
        self.meta: dict[str, str] = {}

    def _address(self) -> str:
        """The sender id, as Sanad's channels make them (bot/channels)."""
        rng = self.rng
        self.chat_type, self.chat_id, self.session_id = "private", 0, ""
        if self.channel == "web":
            hexa = f"{rng.getrandbits(128):032x}"  # a uuid4, as the widget makes them
            variant = "89ab"[int(hexa[16], 16) % 4]
            self.session_id = f"{hexa[:8]}-{hexa[8:12]}-4{hexa[13:16]}-{variant}{hexa[17:20]}-{hexa[20:]}"
            return f"web-{self.session_id}"
        if self.channel == "telegram":
            if rng.random() < 0.02:
                self.chat_type = "supergroup"
                self.chat_id = -rng.randint(*TELEGRAM_GROUP)
            else:
                self.chat_id = rng.randint(*TELEGRAM_PRIVATE)
            return f"telegram-{self.chat_id}"
        return f"rest-{rng.getrandbits(64):016x}"

    def _plan(self, start: float) -> None:
        """How many founder turns, which ones ask for an advisor or are not understood, and the sessions."""
        rng = self.rng
        turns = rng.choices((2, 3, 4, 5, 6, 7, 8), cum_weights=(16, 36, 56, 71, 83, 92, 100))[0]
        self.advisor_at = -1
        if rng.random() < ADVISOR_RATE:
            turns = max(turns, 5)
            self.advisor_at = rng.randint(1, turns - 4)
        advisor_turns = range(self.advisor_at, self.advisor_at + 5) if self.advisor_at >= 0 else range(0)
        self.fallback_turns: set[int] = set()
        if rng.random() < FALLBACK_RATES[self.lang]:
            # not understood once, the founder often rephrases and is not understood again
            count = rng.choices((1, 2, 3, 4, 5, 6), cum_weights=(15, 40, 65, 82, 93, 100))[0]
            turns = max(turns, min(8, count + 2))
            candidates = [i for i in range(1, turns) if i not in advisor_turns]
            self.fallback_turns = set(rng.sample(candidates, min(count, len(candidates))))
        self.program_focus = rng.random() < PROGRAM_FOCUS_RATE
        self.turns = turns
        # a founder who comes back after the session expired (60 min) starts a new session
        sessions = 1 if turns < 4 else rng.choices((1, 2, 3), cum_weights=(88, 98, 100))[0]
        self.session_turns, self.session_starts = [turns], [start]
        if sessions > 1:
            allowed = [c for c in range(2, turns) if c - 1 not in advisor_turns or c - 1 == advisor_turns[-1]]
            cuts = sorted(rng.sample(allowed, min(sessions - 1, len(allowed))))
            gaps = [math.exp(rng.uniform(math.log(MIN_SESSION_GAP), math.log(12 * 86400))) for _ in cuts]
            room = self.gen.end - SESSION_ROOM - start
            if gaps and sum(gaps) > room:
                scale = room / sum(gaps)
                gaps = [g * scale for g in gaps] if min(gaps) * scale >= MIN_SESSION_GAP else []
            if gaps:
                self.session_turns = [b - a for a, b in zip([0, *cuts], [*cuts, turns], strict=True)]
                self.session_starts = list(itertools.accumulate(gaps, initial=start))

    # -- events, as SQLTrackerStore.save stores them ----------------------------------------------

    def _event(self, type_name: str, delay: float, metadata: dict[str, Any] | None = None, **fields: Any) -> None:
        """One row; ``data`` is the event's ``as_dict()`` and ``action_name`` its ``name`` (slot and loop names too)."""
        self.t += delay
        event = {"event": type_name, "timestamp": self.t, "metadata": metadata or self.meta, **fields}
        intent = fields["parse_data"]["intent"]["name"] if type_name == "user" else None
        self.gen.rows.append(
            {
                "sender_id": self.sender,
                "type_name": type_name,
                "timestamp": self.t,
                "intent_name": intent,
                "action_name": fields.get("name"),
                "data": _as_json(event),
            }
        )

    def _action(
        self,
        name: str,
        policy: str | None = "RulePolicy",
        confidence: float | None = 1.0,
        hide: bool = True,
        delay: float | None = None,
    ) -> None:
        delay = 0.00003 + self.rng.random() * 0.0005 if delay is None else delay
        self._event(
            "action", delay, name=name, policy=policy, confidence=confidence, action_text=None, hide_rule_turn=hide
        )

    def _bot(self, reply: Reply) -> None:
        metadata = {**reply.metadata, **self.meta}
        self._event("bot", 0.00001 + self.rng.random() * 0.0002, metadata, text=reply.text, data=reply.data)
        self.offered += reply.payloads
        self.advisor_offered |= reply.metadata.get("utter_action") == "utter_offer_advisor"

    def _slot(self, name: str, value: Any) -> None:
        self._event("slot", 0.00001 + self.rng.random() * 0.0001, name=name, value=value)
        self.slots[name] = value
        self.slot_log.append((name, value))

    def _loop(self, name: str | None) -> None:
        self._event("active_loop", 0.00001, name=name)
        self.loop = name

    def _user(self, message: Message, metadata: dict[str, Any]) -> None:
        message_id = f"{self.rng.getrandbits(128):032x}"
        intent = {"name": message.intent, "confidence": message.confidence}
        parse: dict[str, Any] = {"intent": intent, "entities": message.entities, "text": message.text}
        parse.update(message_id=message_id, metadata=metadata)
        if message.payload:
            parse["intent_ranking"] = [intent]
        else:
            parse["text_tokens"] = [[m.start(), m.end()] for m in TOKEN.finditer(message.text)]
            ranking = [intent, *self.gen.ranking_tail(message.intent, message.confidence)]
            if message.fallback:
                parse["intent"] = {"name": "nlu_fallback", "confidence": FALLBACK_THRESHOLD}
                ranking.insert(0, parse["intent"])
            parse["intent_ranking"] = ranking
        fields = {"text": message.text, "parse_data": parse, "input_channel": self.channel, "message_id": message_id}
        self._event("user", 0.0, {**metadata, **self.meta}, **fields)

    def _message_metadata(self) -> dict[str, Any]:
        """What Sanad's channels send with each message (bot/channels)."""
        if self.channel == "telegram":
            self.gen.update_id += self.rng.randint(1, 40)
            chat = {"chat_id": self.chat_id, "chat_type": self.chat_type, "update_id": self.gen.update_id}
            return {"channel": "telegram", **chat}
        if self.channel == "web":
            return {"channel": "web", "session_id": self.session_id}
        return {"channel": "rest"}

    # -- sessions and turns ----------------------------------------------------------------------

    def run_session(self, number: int) -> None:
        """Session ``number``: its start events, then its founder turns."""
        self.t = self.session_starts[number]
        self.meta = {"model_id": self.gen.model_at(self.t), "assistant_id": ASSISTANT_ID}
        metadata = self._message_metadata()
        # MessageProcessor sets this slot before action_session_start, which carries it over with the others
        self._slot("session_started_metadata", metadata)
        carried, self.slot_log = self.slot_log, []
        self._action("action_session_start", policy=None, confidence=1.0, hide=False)
        self._event("session_started", 0.0001)
        for name, value in carried:
            self._slot(name, value)
        self.loop = self.requested = None
        self._action("action_listen", policy=None, confidence=None, hide=False)
        self.offered, self.advisor_offered, self.misunderstood = [], False, False
        for turn in range(self.session_turns[number]):
            self._turn(metadata if turn == 0 else self._message_metadata(), first_of_session=turn == 0)
            self.turn_index += 1

    def _voice(self) -> str:
        roll = self.rng.random()
        if self.lang == "ar":
            return "ar" if roll < 0.85 else "darija"
        if self.lang == "fr":
            return "fr" if roll < 0.93 else "darija"
        return "en"

    def _typed(self, intent: str, voice: str | None = None, **fixed: str) -> Message:
        """A message the founder typed for ``intent``; a program is named only when the conversation is about one."""
        voice = voice or self._voice()
        variants = PHRASES[intent]
        options = variants.get(voice) or variants.get("darija" if voice == "ar" else "fr") or variants["fr"]
        if "program" in fixed:
            options = tuple(o for o in options if "{program}" in o) or options
        elif not self.program_focus:
            options = tuple(o for o in options if "{program}" not in o) or options
        text, entities = self.gen.fill(self.rng.choice(options), "en" if voice == "en" else "fr", fixed)
        return self._understood(text, intent, entities, voice)

    def _understood(self, text: str, intent: str, entities: list[dict[str, Any]], voice: str) -> Message:
        """The NLU's reading of a typed message it understood (confidence at or above the threshold)."""
        rng = self.rng
        roll = rng.random()
        if voice in ("ar", "darija"):
            confidence = 0.7 + rng.random() * 0.29
        elif roll < 0.62:
            confidence = 0.95 + rng.random() * 0.0499
        elif roll < 0.88:
            confidence = 0.85 + rng.random() * 0.1
        else:
            confidence = 0.7 + rng.random() * 0.15
        language = _detect_language(text)
        if language:
            entity = {"entity": "language", "value": language, "start": 0, "end": len(text), "confidence": 1.0}
            entities.append(entity | {"extractor": "LanguageDetector"})
        return Message(text, intent, confidence, entities)

    def _unclear(self) -> Message:
        """A message below the FallbackClassifier's threshold: the best real intent is a poor guess."""
        rng = self.rng
        voice = self._voice()
        message = self._understood(rng.choice(UNCLEAR[voice]), rng.choice(FALLBACK_GUESSES), [], voice)
        message.confidence = 0.22 + rng.random() * 0.47
        message.fallback = True
        return message

    @staticmethod
    def _click(payload: str) -> Message:
        """A button: Rasa's RegexMessageHandler reads the intent and entities from the payload."""
        head, brace, rest = payload.partition("{")
        entities = [
            {"entity": k, "value": v, "start": len(head), "end": len(payload), "extractor": "RegexMessageHandler"}
            for k, v in (json.loads(brace + rest) if brace else {}).items()
        ]
        return Message(payload, head[1:], 1.0, entities, payload=True)

    def _turn(self, metadata: dict[str, Any], first_of_session: bool) -> None:
        rng = self.rng
        i = self.turn_index
        offered, advisor_offered = self.offered, self.advisor_offered
        if i == 0 and self.channel != "rest" and rng.random() < (0.85 if self.channel == "web" else 0.9):
            # the widget's language choice or Telegram's /start
            message = self._click('/greet{"language":"%s"}' % ("en" if self.lang == "en" else "fr"))
        elif i == self.advisor_at and self.loop != "advisor_form":
            if advisor_offered and self.loop is None and rng.random() < 0.6:
                message = self._typed("affirm")
            elif "/request_advisor" in offered and rng.random() < 0.5:
                message = self._click("/request_advisor")
            else:
                message = self._typed("request_advisor")
        elif self.loop == "advisor_form":
            message = self._advisor_answer()
        elif self.loop == "eligibility_form":
            message = self._eligibility_answer(offered)
        elif i in self.fallback_turns:
            message = self._unclear()
        elif i == 0:
            message = self._typed("greet") if rng.random() < 0.45 else self._topic(offered, i)
        elif advisor_offered and self.advisor_at < 0 and rng.random() < 0.15:
            message = self._typed("deny")
        elif i == self.turns - 1 and rng.random() < 0.4:
            message = self._typed("thank" if rng.random() < 0.6 else "goodbye")
        else:
            message = self._topic(offered, i)
        if first_of_session:
            self.t += 0.02 + rng.random() * 0.05  # the session starts when the message arrives
        elif message.payload:
            self.t += 1.5 + rng.expovariate(1 / 5)
        else:
            self.t += 3 + min(rng.expovariate(1 / 22), 600)
            if rng.random() < 0.04:
                self.t += rng.uniform(120, 900)  # the founder left the tab open
        self.offered, self.advisor_offered = [], False
        core_fallback = (
            self.loop is None
            and not message.payload
            and not message.fallback
            and message.intent not in ("affirm", "deny", "request_advisor", "check_eligibility")
            and rng.random() < CORE_FALLBACK_RATE
        )
        slots_before, log_before = dict(self.slots), len(self.slot_log)
        self._user(message, metadata)
        if message.entities:
            self._extract_slots(message)
        self._event("user_featurization", 0.04 + rng.random() * 0.25, use_text_for_featurization=False)
        if core_fallback:
            # no rule for this state: RulePolicy's core fallback, whose UserUtteranceReverted undoes the message
            self._action("action_default_fallback", confidence=CORE_FALLBACK_THRESHOLD, hide=False)
            self._bot(self._response("utter_default"))
            self._event("rewind", 0.0001)
            self.slots, self.slot_log = slots_before, self.slot_log[:log_before]
        else:
            self._respond(message)
        self.misunderstood = message.fallback
        self._action("action_listen", delay=0.0005 + self.rng.random() * 0.002)

    def _topic(self, offered: list[str], i: int) -> Message:
        """A new question, a follow-up or a button: what founders ask outside forms."""
        rng = self.rng
        remaining = self.turns - i
        clickable = [
            p
            for p in offered
            if not p.startswith("/request_advisor")
            and (self.program_focus or '"program"' not in p)
            and (remaining >= 3 or not p.startswith("/check_eligibility"))
        ]
        if clickable and rng.random() < 0.45:
            return self._click(rng.choice(clickable))
        if self.slots.get("program") and rng.random() < 0.6:
            return self._typed(rng.choice(tuple(FACT_INTENTS)))
        if self.program_focus and (not self.slots.get("program") or rng.random() < 0.3):
            pid = rng.choice(self.gen.program_ids)
            intent = "program_details"
            if rng.random() >= 0.7:
                intent = rng.choice(("ask_how_to_apply", "ask_capacity", "check_eligibility"))
            if intent == "check_eligibility" and remaining < 3:
                intent = "program_details"
            return self._typed(intent, program=pid)
        while True:
            intent = rng.choices(tuple(TOPICS), cum_weights=self.gen.topic_weights)[0]
            if intent != "check_eligibility" or remaining >= 3 or rng.random() >= 0.8:
                return self._typed(intent)

    def _advisor_answer(self) -> Message:
        """The founder's answer to the advisor form's question: a name, a contact, a topic."""
        rng = self.rng
        voice = self._voice()
        if self.requested == "advisor_name":
            first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
            self.person = (first, last)
            text = rng.choice(
                (f"{first} {last}", first, f"je m'appelle {first} {last}", f"{first.lower()} {last.lower()}")
            )
            return self._understood(text, "inform", [], voice)
        if self.requested == "advisor_contact":
            if not self.invalid_contact_done and rng.random() < 0.1 and self.turns - self.turn_index > 2:
                self.invalid_contact_done = True
                return self._understood(rng.choice(INVALID_CONTACTS), "inform", [], "fr")
            contact = self.contact = _contact(rng, *self.person)
            said = f"mon email : {contact}" if "@" in contact else f"mon numéro : {contact}"
            return self._understood(rng.choice((contact, contact, said, f"{contact} merci")), "inform", [], voice)
        options = FORM_ANSWERS["advisor_topic"]
        text, entities = self.gen.fill(rng.choice(options.get(voice) or options["fr"]), "fr", {})
        return self._understood(text, "inform", entities, voice)

    def _eligibility_answer(self, offered: list[str]) -> Message:
        """The founder's answer to the eligibility form's question: a button, a word, or "annuler"."""
        rng = self.rng
        if rng.random() < 0.06:
            return self._typed("stop")
        asked = self.requested or "stage"
        if offered and rng.random() < 0.55:
            return self._click(rng.choice(offered))
        if asked == "technopark_resident":
            return self._typed("affirm" if rng.random() < 0.3 else "deny")
        voice = self._voice()
        options = FORM_ANSWERS[asked].get(voice) or FORM_ANSWERS[asked]["fr"]
        text, entities = self.gen.fill(rng.choice(options), "en" if voice == "en" else "fr", {})
        return self._understood(text, "inform", entities, voice)

    # -- what the bot does with a message --------------------------------------------------------

    def _extract_slots(self, message: Message) -> None:
        """action_extract_slots: one SlotSet per entity-mapped slot found, in the domain's slot order."""
        entities = message.entities
        if len(entities) == 1:
            self._slot(entities[0]["entity"], entities[0]["value"])
            return
        found = {e["entity"]: e["value"] for e in entities}
        for name in ENTITY_SLOTS:
            if name in found:
                self._slot(name, found[name])

    def _language(self) -> str:
        """Responses have an English variant; Arabic falls back to French (domain and actions.texts)."""
        return "en" if self.slots.get("language") == "en" else "fr"

    def _response(self, name: str) -> Reply:
        return self.w.responses[(name, self._language())]

    def _utter(self, name: str) -> None:
        self._action(name)
        self._bot(self._response(name))

    def _respond(self, message: Message) -> None:
        """The actions the rules (bot/rules) run for the message."""
        intent = "nlu_fallback" if message.fallback else message.intent
        if self.loop and intent == "stop":
            self._action("action_deactivate_loop")
            self._end_form()
            self._utter("utter_form_cancelled")
        elif self.loop == "advisor_form":
            self._advisor_step(message)
        elif self.loop == "eligibility_form" and intent == "request_advisor":
            self._action("action_deactivate_loop")
            self._end_form()
            self._start_advisor()
        elif self.loop == "eligibility_form":
            self._eligibility_step(message)
        elif intent in ("request_advisor", "affirm"):
            self._start_advisor()
        elif intent == "check_eligibility":
            self._start_eligibility(message)
        elif RULE_ACTIONS[intent].startswith("utter_"):
            self._utter(RULE_ACTIONS[intent])
        else:
            self._custom(RULE_ACTIONS[intent], intent, message)

    def _custom(self, action: str, intent: str, message: Message) -> None:
        """A custom action: its bot messages, then the slots it returns (rasa-sdk's order)."""
        w, language = self.w, self._language()
        self._action(action)
        self.t += 0.01 + self.rng.random() * 0.2  # the action server and the catalog query
        returned: dict[str, Any] = {}
        if intent in TEXT_INTENTS:
            replies = w.texts[(TEXT_INTENTS[intent], language)]
        elif action == "action_list_programs":
            replies = self._program_list(message, language)
        elif intent == "out_of_scope":
            replies = [self._response("utter_out_of_scope")]
        elif intent == "nlu_fallback":  # the second time in a row, an advisor is offered too
            replies = [self._response("utter_default")]
            replies += [self._response("utter_offer_advisor")] if self.misunderstood else []
        else:
            mentioned = next((e["value"] for e in message.entities if e["entity"] == "program"), None)
            pid = "e-technopark" if intent == "ask_e_technopark" else mentioned or self.slots.get("program")
            if pid not in w.program_surfaces:
                replies = w.texts[("which_program", language)] + [w.cards[(p["id"], language)] for p in w.programs]
                returned = {} if intent in FACT_INTENTS else {"program": None}
            else:
                fact = intent in FACT_INTENTS
                replies = w.facts[(pid, message.intent, language)] if fact else [w.details[(pid, language)]]
                returned = {"program": pid}
        for reply in replies:
            self._bot(reply)
        for name, value in returned.items():
            self._slot(name, value)

    def _program_list(self, message: Message, language: str) -> list[Reply]:
        w = self.w
        wanted = ("program_type", "sector", "stage", "city")
        filters = {e["entity"]: e["value"] for e in message.entities if e["entity"] in wanted}
        if not filters:
            intro = _reply(action_text("programs_intro", language, count=len(w.programs)))
            return [intro, *(w.cards[(p["id"], language)] for p in w.programs)]
        matching, unstated = [], []
        for program in w.programs:
            kind = filters.get("program_type")
            if kind and program.get("type") != kind:
                continue
            tags = {k: program.get(k + "s") or [] for k in ("sector", "stage", "city") if k in filters}
            if all(filters[k] in tags[k] for k in tags):
                matching.append(program)
            elif all(filters[k] in tags[k] or not tags[k] for k in tags):
                unstated.append(program)
        described = ", ".join(label(kind, value, language) for kind, value in filters.items())
        replies: list[Reply] = []
        if matching:
            count = len(matching)
            replies.append(_reply(action_text("programs_filtered_intro", language, filters=described, count=count)))
            replies += [w.cards[(p["id"], language)] for p in matching]
        elif not unstated:
            replies.append(_reply(action_text("programs_none", language, filters=described)))
            replies.append(w.responses[("utter_offer_advisor", language)])
        if unstated:
            kinds = ", ".join(
                action_text("profile_" + k, language) for k in ("sector", "stage", "city") if k in filters
            )
            replies.append(_reply(action_text("programs_unstated_intro", language, kinds=kinds or described)))
            replies += [w.cards[(p["id"], language)] for p in unstated]
        return replies

    # -- forms -----------------------------------------------------------------------------------

    def _ask(self, slot: str) -> None:
        """FormAction.request_next_slot: requested_slot, then the utter_ask_<slot> response."""
        self.requested = slot
        self._slot("requested_slot", slot)
        self._bot(self._response(f"utter_ask_{slot}"))

    def _end_form(self) -> None:
        self._loop(None)
        self._slot("requested_slot", None)

    def _form_done(self) -> None:
        """The last slot is filled: requested_slot and the loop end, the rule runs the form's action."""
        self.requested = None
        self._slot("requested_slot", None)
        self._loop(None)

    def _start_form(self, form: str, start: str) -> None:
        self._utter(start)
        self._action(form)
        self._loop(form)

    def _start_advisor(self) -> None:
        self._start_form("advisor_form", "utter_advisor_start")
        self._ask("advisor_name")

    def _advisor_step(self, message: Message) -> None:
        self._action("advisor_form")
        self.t += 0.01 + self.rng.random() * 0.05  # validate_advisor_form on the action server
        asked = self.requested or "advisor_topic"
        value: str | None = " ".join(message.text.split())
        if asked == "advisor_contact":
            value = self.contact if self.contact and self.contact in message.text else None
            if value is None:
                self._bot(self._response("utter_invalid_contact"))
        self._slot(asked, value)
        following = ADVISOR_SLOTS.index(asked) + (value is not None)  # else the same question again
        if following < len(ADVISOR_SLOTS):
            self._ask(ADVISOR_SLOTS[following])
            return
        self._form_done()
        self._action("action_save_advisor_request")
        self.t += 0.005 + self.rng.random() * 0.03
        self.gen.advisor_requests += 1
        saved = action_text(
            "advisor_saved",
            self._language(),
            name=self.slots.get("advisor_name"),
            id=self.gen.advisor_requests,
            contact=self.slots.get("advisor_contact"),
            days=2,
        )
        self._bot(_reply(saved))
        for slot in ADVISOR_SLOTS:
            self._slot(slot, None)

    def _start_eligibility(self, message: Message) -> None:
        self._start_form("eligibility_form", "utter_eligibility_start")
        self.t += 0.01 + self.rng.random() * 0.05
        for name in PROFILE_FIELDS:  # validate_eligibility_form on what the message already said
            if any(e["entity"] == name for e in message.entities):
                self._slot(name, self.slots[name])
        self._eligibility_next()

    def _eligibility_step(self, message: Message) -> None:
        self._action("eligibility_form")
        self.t += 0.01 + self.rng.random() * 0.05
        asked = self.requested or "stage"
        value: Any
        if asked == "technopark_resident":
            value = {"affirm": True, "deny": False}.get(message.intent, "unknown")
        elif asked == "company_age_years":
            value = "unknown" if is_dont_know(message.text) else parse_company_age(message.text, self.gen.year)
        else:
            value = next((e["value"] for e in message.entities if e["entity"] == asked), None)
            if value is None and is_dont_know(message.text):
                value = "unknown"
        if value is None:
            self._bot(_reply(action_text("invalid_answer", self._language())))
        self._slot(asked, value)
        self._eligibility_next()

    def _eligibility_next(self) -> None:
        following = next((s for s in PROFILE_FIELDS if self.slots.get(s) is None), None)
        if following:
            self._ask(following)
            return
        self._form_done()
        self._action("action_check_eligibility")
        self.t += 0.02 + self.rng.random() * 0.1
        self._bot(self._verdicts())
        self._bot(self._response("utter_offer_advisor"))

    def _verdicts(self) -> Reply:
        """action_check_eligibility's answer: bot.eligibility on each program's criteria, the one in context first."""
        language = self._language()
        profile = FounderProfile(**{k: v for k in PROFILE_FIELDS if (v := self.slots.get(k)) not in (None, "unknown")})
        lines = [action_text("eligibility_intro", language, profile=profile_summary(profile, language))]
        for program in sorted(self.w.programs, key=lambda p: p["id"] != self.slots.get("program")):
            criteria = [
                Criterion(c["field"], c["operator"], c["value"], c.get("quote", "")) for c in program["criteria"]
            ]
            verdict = evaluate(criteria, profile)
            lines.append(verdict_line(Program(id=program["id"], name=program["name"]), verdict, language))
        lines.append(action_text("eligibility_advisor", language))
        return _reply("\n".join(lines))


def _contact(rng: random.Random, first: str, last: str) -> str:
    """An e-mail address or a Moroccan mobile number, written the ways founders write them."""
    if rng.random() < 0.55:
        local = rng.choice(
            (f"{first}.{last[0]}", f"{first}.{last}", f"{first[0]}{last}", f"{first}{rng.randint(1, 99)}")
        )
        local = re.sub(r"[^a-z0-9.]", "", local.lower().replace(" ", ""))
        return f"{local}@{rng.choice(MAIL_DOMAINS)}"
    digits = f"{rng.choice('67')}{rng.randint(10_000_000, 99_999_999)}"
    style = rng.random()
    if style < 0.35:
        return f"+212 {digits[0]} {digits[1:3]} {digits[3:5]} {digits[5:7]} {digits[7:9]}"
    if style < 0.7:
        return f"0{digits}"
    if style < 0.85:
        return f"0{digits[0]} {digits[1:3]} {digits[3:5]} {digits[5:7]} {digits[7:9]}"
    return f"+212{digits}"


# -- the whole run -------------------------------------------------------------------------------


class Generator:
    """Shared state of one run: the random source, the models deployed, the rows waiting to be written."""

    def __init__(self, seed: int, end: float, days: int) -> None:
        self.rng = random.Random(seed)
        self.world = world()
        self.end = end
        self.begin = end - days * 86400
        self.year = dt.datetime.fromtimestamp(end, dt.timezone.utc).year
        self.rows: list[dict[str, Any]] = []
        self.update_id = self.rng.randint(400_000_000, 900_000_000)
        self.advisor_requests = 0
        self.program_ids = [p["id"] for p in self.world.programs]
        self.topic_weights = tuple(itertools.accumulate(TOPICS.values()))
        # a new model every ~10 days, the first one deployed before the window opens
        self.models: list[tuple[float, str]] = []
        deployed = self.begin - self.rng.uniform(1, 10) * 86400
        while deployed < end:
            self.models.append((deployed, f"{self.rng.getrandbits(128):032x}"))
            deployed += self.rng.uniform(4, 16) * 86400

    def model_at(self, t: float) -> str:
        return next(m for deployed, m in reversed(self.models) if deployed <= t)

    def ranking_tail(self, intent: str, top: float) -> list[dict[str, Any]]:
        """The rest of DIET's top 10 below ``intent``: each under ``top``, together at most ``1 - top``."""
        rng = self.rng
        shares = sorted((rng.random() ** 3 for _ in range(9)), reverse=True)
        scale = (1.0 - top) / (sum(shares) * (1.0 + rng.random() * 0.3))
        scale = min(scale, top * (0.5 + rng.random() * 0.45) / shares[0])
        names = rng.sample([i for i in INTENTS if i != intent], 9)
        return [{"name": n, "confidence": share * scale} for n, share in zip(names, shares, strict=True)]

    def fill(self, template: str, family: str, fixed: dict[str, str]) -> tuple[str, list[dict[str, Any]]]:
        """The template with entity surfaces filled in, and the entities CRF + synonyms would give."""
        parts = re.split(r"\{(\w+)\}", template)
        text = parts[0]
        entities: list[dict[str, Any]] = []
        for kind, after in zip(parts[1::2], parts[2::2], strict=True):
            if kind == "program":
                pid = fixed.get("program") or self.rng.choice(self.program_ids)
                surface = self.rng.choice(self.world.program_surfaces[pid])
            else:
                surface = self.rng.choice(SURFACES[kind][family])
            value = self.world.entity_values.get((kind, surface.lower()), surface)
            start, confidence = len(text), 0.55 + self.rng.random() * 0.45
            entity = {"entity": kind, "start": start, "end": start + len(surface), "confidence_entity": confidence}
            entity.update(value=value, extractor="CRFEntityExtractor")
            if value != surface:
                entity["processors"] = ["EntitySynonymMapper"]
            entities.append(entity)
            text += surface + after
        return text, entities

    def conversation_starts(self, count: int) -> list[float]:
        """When each conversation begins, in order: more at Moroccan office hours and on weekdays, growing over time."""
        rng = self.rng
        latest = self.end - SESSION_ROOM
        span = max(1.0, latest - self.begin)
        starts = []
        while len(starts) < count:
            t = rng.uniform(self.begin, latest)
            local = dt.datetime.fromtimestamp(t + 3600, dt.timezone.utc)
            weight = HOUR_WEIGHTS[local.hour] * (0.55 if local.weekday() >= 5 else 1.0)
            if rng.random() < weight * (0.7 + 0.3 * (t - self.begin) / span):
                starts.append(t)
        starts.sort()
        return starts


def generate(
    tracker_url: str,
    conversations: int,
    *,
    seed: int = 7,
    start: dt.datetime | None = None,
    days: int = 60,
) -> Generated:
    """Append ``conversations`` conversations to the ``events`` table at ``tracker_url`` (created as Rasa does).

    They start over the ``days`` days that end at ``start`` (default: now; naive means UTC), and no event is later.
    """
    if conversations < 0 or days <= 0:
        raise ValueError("conversations must be >= 0 and days > 0")
    end = start or dt.datetime.now(dt.timezone.utc)
    if end.tzinfo is None:
        end = end.replace(tzinfo=dt.timezone.utc)
    gen = Generator(seed, end.timestamp(), days)
    url = make_url(tracker_url)
    if url.get_backend_name() == "sqlite" and url.database not in (None, "", ":memory:"):
        Path(url.database).parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(url, future=True)
    written = 0
    try:
        TRACKER.create_all(engine)
        # every session in start-time order, so that ids grow with time as in a live tracker store
        pending: list[tuple[float, int, int, Conversation | None]] = [
            (begins, index, 0, None) for index, begins in enumerate(gen.conversation_starts(conversations))
        ]  # sorted, hence a heap
        with engine.begin() as connection:
            while pending:
                begins, index, number, conversation = heapq.heappop(pending)
                conversation = conversation or Conversation(gen, begins)
                conversation.run_session(number)
                if number + 1 < len(conversation.session_starts):
                    later = conversation.session_starts[number + 1]
                    heapq.heappush(pending, (later, index, number + 1, conversation))
                if gen.rows and (len(gen.rows) >= BATCH_ROWS or not pending):
                    connection.execute(insert(EVENTS), gen.rows)
                    written += len(gen.rows)
                    gen.rows.clear()
    finally:
        engine.dispose()
    return Generated(conversations=conversations, events=written)


def main(argv: list[str] | None = None) -> int:
    """``python -m tests.support.conversations --url URL --conversations N``: generate and say how long it took."""
    parser = argparse.ArgumentParser(description="Append synthetic Sanad conversations to a Rasa tracker store.")
    parser.add_argument("--url", required=True, help="SQLAlchemy URL, e.g. sqlite:///var/bench/tracker.db")
    parser.add_argument("--conversations", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--days", type=int, default=60)
    args = parser.parse_args(argv)
    began = time.perf_counter()
    result = generate(args.url, args.conversations, seed=args.seed, days=args.days)
    took = time.perf_counter() - began
    print(f"{result.conversations} conversations, {result.events} events in {took:.1f} s", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
