"""Synthetic Sanad conversations written straight into Rasa's tracker store ``events`` table.

Why this exists: the staff console reads Rasa's ``SQLTrackerStore`` table, and its
tests and benchmarks need from a few hundred to 100,000 conversations. Playing
them through a running Rasa takes hours; this writes, in seconds, the rows Rasa
would have written, so the console meets the same data shapes as in production.

What is reproduced from Rasa 3.6 and this bot (checked against Rasa's source and
``var/tracker.db``):

- columns as ``SQLTrackerStore.save`` fills them: ``type_name`` is the event's
  type, ``timestamp`` the event's, ``intent_name`` only for ``user`` events
  (``nlu_fallback`` when the FallbackClassifier fired), ``action_name`` is the
  event dict's ``name``: the action for ``action``, but also the slot name for
  ``slot`` and the loop name for ``active_loop`` (NULL when a loop ends);
  ``data`` is ``json.dumps(event.as_dict())`` (ASCII-escaped);
- the event sequence of each turn: ``user``, the slots ``action_extract_slots``
  sets from entities (every time, even unchanged), ``user_featurization``, the
  rule's action and its ``bot`` messages and slots, ``action_listen``; session
  starts with the ``session_started_metadata`` slot before and after
  ``action_session_start``; forms (``active_loop``, ``requested_slot``), the
  NLU fallback rule (``nlu_fallback`` then ``utter_default``) and rare core
  fallbacks (``action_default_fallback``, ``utter_default``, ``rewind``);
- ``model_id``/``assistant_id`` in every event's metadata, the channel metadata
  of Sanad's bridges on founder messages, and the ``condition`` that Rasa copies
  into a bot message's metadata when an English response variant was chosen;
- founder texts in French, English, Arabic and Darija in Latin letters, button
  payloads, the language entity of ``bot.language``, catalog program ids and
  vocabulary values, bot texts from the domain responses, ``actions.texts`` and
  the catalog YAML files.

What is not: the NLU is simulated (intents, confidences and entity spans are
drawn, not predicted), bot answers are close to but not exactly what the actions
say, and the events of two conversations never interleave (sessions are written
in start-time order, so ids grow with time across sessions as in production).

Mix, for 10,000 conversations: 2 to 8 founder messages each; web 55 %, Telegram
35 %, REST 10 %; final language slot about fr 61 %, en 25 %, ar 13 % (Darija in
Latin letters often reads as French); about 16 % with an NLU fallback, 8 % asking
for an advisor (e-mail or phone given), 20 % naming a program; 10 % of founder
messages (14 % of typed ones) under the 0.7 fallback threshold; 8 % of
conversations come back for a second or third session.

Speed: about 42 rows per conversation and 600 bytes per row. Rows are inserted
with the compiled Core INSERT, executemany'd in batches; on SQLite the index is
built after the rows when this created the table. From PIPELINE_FROM
conversations a child process writes while this one generates (10,000 in about
5 s, 100,000 in about 45 s and 2.6 GB on two CPUs).

The same seed gives the same rows (with ``start`` fixed); a second run with the
same seed writes the same conversation ids again, so use another seed to add more.

Benchmark use: ``python -m tests.support.conversations --url sqlite:///var/bench/tracker.db --conversations 100000``
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import functools
import heapq
import itertools
import json
import marshal
import math
import random
import re
import struct
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence as Seq
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from sqlalchemy import (
    Column,
    Float,
    Index,
    Integer,
    MetaData,
    Sequence,
    String,
    Table,
    Text,
    create_engine,
    insert,
    inspect,
)
from sqlalchemy.engine import make_url
from sqlalchemy.schema import CreateTable

from actions.texts import text as action_text
from bot.language import detect_language
from bot.vocabulary import VOCABULARY, is_dont_know, label, parse_company_age

ROOT = Path(__file__).resolve().parents[2]
DOMAIN_DIR = ROOT / "bot" / "domain"
CATALOG_DIR = ROOT / "bot" / "catalog" / "data"

#: Rasa's ``SQLTrackerStore.SQLEvent`` table, column for column (same DDL and index name).
TRACKER = MetaData()
EVENTS = Table(
    "events",
    TRACKER,
    Column("id", Integer, Sequence("events_seq", optional=True), primary_key=True),
    Column("sender_id", String(255), nullable=False, index=True),
    Column("type_name", String(255), nullable=False),
    Column("timestamp", Float),
    Column("intent_name", String(255)),
    Column("action_name", String(255)),
    Column("data", Text),
)

ASSISTANT_ID = "sanad"
COLUMNS = ("sender_id", "type_name", "timestamp", "intent_name", "action_name", "data")
FALLBACK_THRESHOLD = 0.7  # config.yml, FallbackClassifier
CORE_FALLBACK_THRESHOLD = 0.3  # config.yml, RulePolicy
BATCH_ROWS = 20_000
PIPELINE_FROM = 2_000  # conversations from which a second process writes while this one generates
ADVISOR_RATE = 0.08  # conversations that ask for a human
PROGRAM_FOCUS_RATE = 0.27  # conversations about one program by name (plus buttons and follow-ups)
#: conversations with at least one message the FallbackClassifier rejects, by language (Arabic is the weakest)
FALLBACK_RATES = {"fr": 0.16, "en": 0.14, "ar": 0.35}
MIN_SESSION_GAP = 3 * 3600.0  # well past the domain's 60 min session expiration
SESSION_ROOM = 2 * 3600.0  # a session always ends within this, so nothing is later than `start`
CORE_FALLBACK_RATE = 0.004  # per understood message outside forms: RulePolicy had no rule
INVALID_CONTACTS = ("appelez-moi demain matin", "sur whatsapp", "le même que d'habitude")
FALLBACK_GUESSES = (
    "out_of_scope",
    "inform",
    "ask_financing",
    "list_programs",
    "greet",
    "check_eligibility",
    "ask_how_to_apply",
    "request_advisor",
    "deny",
    "affirm",
)
INTENTS = (
    "request_advisor",
    "check_eligibility",
    "inform",
    "affirm",
    "deny",
    "stop",
    "out_of_scope",
    "ask_financing",
    "list_programs",
    "program_details",
    "ask_capacity",
    "ask_duration",
    "ask_location",
    "ask_benefits",
    "ask_how_to_apply",
    "ask_deadline",
    "ask_partners",
    "ask_e_technopark",
    "greet",
    "goodbye",
    "thank",
    "bot_challenge",
    "ask_capabilities",
    "about_technopark",
    "ask_sites",
    "ask_events",
    "ask_contact",
)
#: the order of the domain's slots, which is the order action_extract_slots sets them in
ENTITY_SLOTS = ("stage", "sector", "city", "legal_status", "language", "program", "program_type")
FACT_INTENTS = {
    "ask_capacity": "capacity",
    "ask_duration": "duration",
    "ask_location": "location",
    "ask_benefits": "benefits",
    "ask_how_to_apply": "how_to_apply",
    "ask_deadline": "deadline",
    "ask_partners": "organizations",
}
#: intent -> action of the rule that answers it outside forms (bot/rules)
RULE_ACTIONS = {
    "greet": "utter_greet",
    "goodbye": "utter_goodbye",
    "thank": "utter_thank",
    "bot_challenge": "utter_iamabot",
    "ask_capabilities": "utter_capabilities",
    "out_of_scope": "utter_out_of_scope",
    "nlu_fallback": "utter_default",
    "ask_financing": "action_list_financing",
    "list_programs": "action_list_programs",
    "inform": "action_list_programs",
    "program_details": "action_program_details",
    "ask_e_technopark": "action_e_technopark",
    "about_technopark": "action_about_technopark",
    "ask_sites": "action_technopark_sites",
    "ask_events": "action_events",
    "ask_contact": "action_contact",
    "deny": "utter_anything_else",
    "stop": "utter_anything_else",
    **dict.fromkeys(FACT_INTENTS, "action_program_fact"),
}
ELIGIBILITY_SLOTS = ("stage", "sector", "city", "company_age_years", "technopark_resident", "legal_status")
ADVISOR_SLOTS = ("advisor_name", "advisor_contact", "advisor_topic")


@dataclass(frozen=True)
class Generated:
    """What one :func:`generate` call appended."""

    conversations: int
    events: int


# -- founder messages ----------------------------------------------------------------------------
#
# Templates per intent and "voice" (fr, en, ar in Arabic script, darija in Latin letters).
# {sector}, {city}, {stage}, {program}, {program_type}, {legal_status} become entities.

PHRASES: dict[str, dict[str, tuple[str, ...]]] = {
    "greet": {
        "fr": (
            "Bonjour",
            "bonjour 👋",
            "Salut",
            "slt",
            "bjr",
            "Bonsoir Sanad",
            "Bonjour, j'ai une question",
            "coucou",
            "Bonjour !",
            "bonjour, vous pouvez m'aider ?",
        ),
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
        "fr": (
            "Merci beaucoup !",
            "merci 🙏",
            "Super, merci",
            "mrc",
            "Merci pour les infos",
            "parfait merci",
            "top merci 👍",
            "merci c'est très clair",
        ),
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
        "fr": (
            "t'es un robot ?",
            "Je parle à un humain ?",
            "vous êtes une vraie personne ?",
            "c'est un bot ?",
            "t'es une IA ? 🤖",
        ),
        "en": ("are you a bot?", "am I talking to a human?", "is this a real person?"),
        "ar": ("هل أنت روبوت؟", "هل أتحدث مع إنسان؟"),
        "darija": ("wach nta robot?", "wach kayn chi bnadm?"),
    },
    "ask_capabilities": {
        "fr": (
            "tu peux faire quoi ?",
            "Qu'est-ce que tu sais faire ?",
            "comment tu peux m'aider ?",
            "Vous proposez quoi comme services ?",
            "aide",
        ),
        "en": ("what can you do?", "how can you help me?", "what are your features?"),
        "ar": ("ماذا يمكنك أن تفعل؟", "كيف يمكنك مساعدتي؟"),
        "darija": ("chno t9der dir?", "kifach t9der t3awni?"),
    },
    "about_technopark": {
        "fr": (
            "c'est quoi le Technopark ?",
            "bjr c koi le technopark",
            "Le Technopark fait quoi exactement ?",
            "Parlez-moi du Technopark",
            "Qui gère le Technopark ?",
            "c'est quoi la MITC ?",
        ),
        "en": ("what is Technopark?", "tell me about Technopark", "who runs Technopark?"),
        "ar": ("ما هو التكنوبارك؟", "من يسير التكنوبارك؟"),
        "darija": ("chno howa technopark?", "ach kaydir technopark?"),
    },
    "ask_sites": {
        "fr": (
            "Où se trouvent les Technoparks ?",
            "il y a un Technopark à {city} ?",
            "les sites du technopark svp",
            "Vous êtes présents dans quelles villes ?",
            "adresse du technopark de {city}",
        ),
        "en": ("where are the Technopark sites?", "is there a Technopark in {city}?", "which cities are you in?"),
        "ar": ("أين توجد مواقع التكنوبارك؟", "هل يوجد تكنوبارك في طنجة؟"),
        "darija": ("fin kayn technopark f {city}?", "fin kaynin les sites dyal technopark?"),
    },
    "ask_events": {
        "fr": (
            "Il y a des événements prévus ?",
            "prochains événements pour startups ?",
            "Vous organisez des meetups ?",
            "des événements à {city} bientôt ?",
            "c'est quand le prochain GITEX ?",
        ),
        "en": ("any upcoming events?", "do you organise meetups?", "events for startups this month?"),
        "ar": ("هل هناك فعاليات قادمة؟",),
        "darija": ("wach kayn chi événement had chhar?",),
    },
    "ask_contact": {
        "fr": (
            "Comment contacter le Technopark ?",
            "numéro de téléphone du technopark svp",
            "quel est votre email ?",
            "je peux vous appeler où ?",
            "contact svp",
        ),
        "en": ("how can I contact Technopark?", "what's your phone number?", "Technopark email address?"),
        "ar": ("كيف يمكنني التواصل مع التكنوبارك؟", "ما هو رقم الهاتف؟"),
        "darija": ("kifach nt3awd m3akom?", "3tini numéro dyal technopark"),
    },
    "list_programs": {
        "fr": (
            "Quels programmes proposez-vous ?",
            "je cherche un programme d'accompagnement",
            "liste des programmes svp",
            "vous avez quoi comme programmes ?",
            "Des programmes pour une startup {sector} ?",
            "vous avez des programmes d'{program_type} ?",
            "kel programme pour moi ?",
            "je cherche un incubateur 🚀",
            "Quels programmes pour une startup en phase {stage} ?",
            "programmes à {city} ?",
        ),
        "en": (
            "what programs do you have?",
            "I'm looking for a support program",
            "programs for a {sector} startup?",
            "any {program_type} programs?",
            "list the programs please",
            "programs in {city}?",
        ),
        "ar": (
            "ما هي برامج الدعم المتوفرة؟",
            "أبحث عن برنامج لمواكبة شركتي الناشئة",
            "ما هي البرامج المتاحة للشركات الناشئة؟",
        ),
        "darija": (
            "chno homa les programmes li 3ndkom?",
            "bghit programme l startup dyali",
            "wach 3ndkom chi programme f {city}?",
        ),
    },
    "inform": {
        "fr": (
            "{sector} à {city}",
            "on est en phase {stage}",
            "startup {sector}",
            "{sector}",
            "on est à {city}, secteur {sector}",
        ),
        "en": ("{sector} in {city}", "we're at the {stage} stage", "{sector} startup"),
        "darija": ("{sector} f {city}",),
    },
    "program_details": {
        "fr": (
            "c'est quoi {program} ?",
            "Parlez-moi de {program}",
            "plus d'infos sur {program} svp",
            "{program} ça consiste en quoi ?",
            "Je voudrais des détails sur le programme {program}",
            "et {program} ?",
        ),
        "en": ("what is {program}?", "tell me more about {program}", "details on {program} please"),
        "ar": ("ما هو برنامج {program}؟", "أريد معلومات عن {program}"),
        "darija": ("chno howa {program}?", "bghit nfhm {program}"),
    },
    "ask_capacity": {
        "fr": (
            "Et combien de startups ?",
            "combien de places ?",
            "ils prennent combien de startups par promo ?",
            "y a beaucoup de places ?",
            "combien de startups sont retenues pour {program} ?",
        ),
        "en": ("how many startups?", "how many places are there?", "how many startups does {program} take?"),
        "ar": ("كم عدد الشركات المقبولة؟",),
        "darija": ("ch7al mn startup kayakhdo?",),
    },
    "ask_duration": {
        "fr": (
            "ça dure combien de temps ?",
            "Quelle est la durée du programme ?",
            "c'est sur combien de mois ?",
            "{program} dure combien de temps ?",
        ),
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
        "fr": (
            "Qu'est-ce qu'on gagne à y participer ?",
            "quels sont les avantages ?",
            "on a quoi concrètement ?",
            "ça apporte quoi {program} ?",
        ),
        "en": ("what are the benefits?", "what do we get?", "what does {program} offer?"),
        "ar": ("ما هي المزايا؟",),
        "darija": ("chno ghadi nstafdo?",),
    },
    "ask_how_to_apply": {
        "fr": (
            "Comment postuler ?",
            "comment on candidate ?",
            "je m'inscris comment ?",
            "Comment postuler à {program} ?",
            "c'est quoi la procédure d'inscription ?",
        ),
        "en": ("how do I apply?", "how to apply to {program}?", "what's the application process?"),
        "ar": ("كيف يمكنني التسجيل؟", "كيف أقدم طلبي؟"),
        "darija": ("kifach ndir bach nsjl?", "kifach n postuler?"),
    },
    "ask_deadline": {
        "fr": (
            "C'est quoi la date limite ?",
            "jusqu'à quand on peut candidater ?",
            "deadline ?",
            "la date limite pour {program} ?",
        ),
        "en": ("what's the deadline?", "until when can we apply?"),
        "ar": ("ما هو آخر أجل للتسجيل؟",),
        "darija": ("fo9ach ākhir ajal?",),
    },
    "ask_partners": {
        "fr": (
            "Qui organise ce programme ?",
            "c'est porté par qui ?",
            "quels sont les partenaires ?",
            "qui est derrière {program} ?",
        ),
        "en": ("who runs this program?", "who are the partners?"),
        "ar": ("من هم الشركاء؟",),
        "darija": ("chkoun li mnadem had programme?",),
    },
    "ask_e_technopark": {
        "fr": (
            "c'est quoi E-Technopark ?",
            "l'e-technopark c'est quoi ?",
            "On peut être accompagné à distance ?",
            "je suis pas à Casa, y a un accompagnement en ligne ?",
        ),
        "en": ("what is E-Technopark?", "can I get remote support?"),
        "ar": ("ما هو إي-تكنوبارك؟",),
        "darija": ("wach kayn accompagnement à distance?",),
    },
    "ask_financing": {
        "fr": (
            "Comment obtenir un financement ?",
            "je cherche des investisseurs",
            "Vous financez les startups ?",
            "financement pour une startup {sector} ?",
            "comment lever des fonds en phase {stage} ?",
            "Y a-t-il des subventions ? 💰",
            "je cherche du financement pour mon projet",
            "qui finance les startups {sector} au Maroc ?",
        ),
        "en": (
            "how can I get funding?",
            "I'm looking for investors",
            "funding for a {sector} startup?",
            "how to raise money at {stage} stage?",
        ),
        "ar": ("كيف أحصل على تمويل لمشروعي؟", "أبحث عن مستثمرين"),
        "darija": ("wach kayn chi financement l startups?", "bghit flous l projet dyali", "kifach nl9a investisseurs?"),
    },
    "check_eligibility": {
        "fr": (
            "Suis-je éligible ?",
            "est-ce que je peux postuler ?",
            "je suis éligible à {program} ?",
            "Est-ce que ma startup {sector} à {city} est éligible ?",
            "on peut candidater si on est {legal_status} ?",
            "je voudrais vérifier mon éligibilité",
        ),
        "en": (
            "am I eligible?",
            "can I apply?",
            "is my {sector} startup in {city} eligible?",
            "am I eligible for {program}?",
        ),
        "ar": ("هل أنا مؤهل للبرنامج؟", "هل يمكنني التقديم؟"),
        "darija": ("wach ana éligible?", "wach n9der n postuler?"),
    },
    "request_advisor": {
        "fr": (
            "Je veux parler à un conseiller",
            "un humain svp",
            "Je voudrais être rappelé",
            "mettez-moi en relation avec l'équipe",
            "je peux parler à quelqu'un ?",
            "je souhaite échanger avec un conseiller du Technopark",
        ),
        "en": (
            "I want to talk to an advisor",
            "can I speak to a human?",
            "put me in touch with an advisor",
            "I'd like a call back",
        ),
        "ar": ("أريد التحدث مع مستشار", "أريد أن يتصل بي أحد"),
        "darija": ("bghit nhdr m3a chi conseiller", "3ayto lia 3afak"),
    },
    "out_of_scope": {
        "fr": (
            "Quel temps fera-t-il demain à Rabat ?",
            "combien coûte un iPhone 15 au Maroc ?",
            "tu peux m'écrire un business plan ?",
            "donne-moi une recette de tajine",
            "c'est quoi le score du match ?",
            "Je cherche un appartement à louer à Casa",
            "comment faire une boucle en javascript ?",
        ),
        "en": (
            "what's the weather tomorrow?",
            "who won the match yesterday?",
            "write me a poem",
            "how much is an iPhone in Morocco?",
        ),
        "ar": ("ما هو الطقس غدا؟", "من فاز في المباراة؟"),
        "darija": ("chno kayn f télé lyoum?", "bghit nchri tomobil"),
    },
}

#: What founders write when the NLU does not follow: vague, typos, half sentences, Darija.
UNCLEAR: dict[str, tuple[str, ...]] = {
    "fr": (
        "euh",
        "jsp trop",
        "??",
        "hmm ok et donc",
        "c pour mon projet",
        "j'ai une idée mais",
        "et pour nous alors ?",
        "c'est possible ou pas",
        "le truc dont on a parlé",
        "ok mais concrètement ?",
        "azerty",
        "projet",
        "mon associé m'a dit de vous écrire",
        "c'est gratuit ?",
        "et après ?",
        "on a déjà postulé l'an dernier",
        "c'est pour une asso",
        "j'ai pas compris 😅",
    ),
    "en": ("hmm", "??", "so what now", "my cofounder told me to write", "is it free?", "and then?", "not sure", "idk"),
    "ar": ("؟؟", "ممكن توضيح", "لم أفهم", "ماذا بعد؟", "مشروعي"),
    "darija": ("ach kat9sd?", "ma fhmtch", "wach hadchi b flous?", "ok w mnba3d?", "dakchi li glt lik", "wach mzyan?"),
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
        "fr": (
            "financement de notre MVP",
            "je voudrais candidater à un programme",
            "questions sur l'hébergement au Technopark",
            "accompagnement pour lever des fonds",
            "partenariat avec une grande entreprise",
            "on cherche un local à Casablanca",
            "je veux savoir si mon projet peut être accompagné",
        ),
        "en": ("funding for our MVP", "applying to a program", "hosting at Technopark", "help to raise a seed round"),
        "ar": ("تمويل مشروعي", "التسجيل في برنامج"),
        "darija": ("bghit financement l projet dyali", "bghit n3rf wach n9der ndkhol l technopark"),
    },
}

#: Entity surfaces per language family ("fr" also serves Darija and Arabic, "en" English).
SURFACES: dict[str, dict[str, tuple[str, ...]]] = {
    "sector": {
        "fr": (
            "fintech",
            "IA",
            "intelligence artificielle",
            "agritech",
            "santé",
            "e-commerce",
            "éducation",
            "énergies renouvelables",
            "deep tech",
            "logistique",
            "edtech",
            "healthtech",
        ),
        "en": (
            "fintech",
            "AI",
            "agritech",
            "health",
            "e-commerce",
            "edtech",
            "renewable energy",
            "deep tech",
            "logistics",
            "cleantech",
        ),
    },
    "city": {
        "fr": (
            "Casablanca",
            "Casa",
            "Rabat",
            "Marrakech",
            "Tanger",
            "Fès",
            "Agadir",
            "Oujda",
            "Tétouan",
            "Kénitra",
            "casa",
            "rabat",
        ),
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

FIRST_NAMES = (
    "Salma", "Youssef", "Imane", "Mehdi", "Kawtar", "Omar", "Sara", "Hamza", "Nadia", "Amine", "Ghita", "Reda",
    "Houda", "Anas", "Khadija", "Yassine", "Meryem", "Karim", "Zineb", "Ilyas", "Fatima Zahra", "Othmane",
)  # fmt: skip
LAST_NAMES = (
    "Benali", "El Amrani", "Bennani", "Alaoui", "Tazi", "Berrada", "El Idrissi", "Chraibi", "Fassi", "Ouazzani",
    "Benjelloun", "Lahlou", "Naciri", "Skalli", "Kettani", "Bouzidi", "Hajji", "Mansouri",
)  # fmt: skip
MAIL_DOMAINS = ("example.ma", "example.com", "example.org", "mail.example.ma")
#: Telegram's ids grow over time; these are plausible ranges, not real accounts.
TELEGRAM_PRIVATE = (100_000_000, 7_999_999_999)
TELEGRAM_GROUP = (1_000_000_000_000, 1_009_999_999_999)
TOKEN = re.compile(r"\w+|[^\w\s]")
BOT_DATA_KEYS = frozenset({"text", "elements", "quick_replies", "buttons", "attachment", "image", "custom"})


# -- the bot's side, loaded once from the domain and the catalog --------------------------------


@dataclass(frozen=True)
class Reply:
    """One bot message as JSON fragments: metadata keys before model_id, and the text+data part."""

    meta: str
    body: str
    buttons: tuple[str, ...] = ()
    offers_advisor: bool = False


def _reply(
    text: str,
    buttons: Seq[dict[str, str]] | None = None,
    *,
    utter: str | None = None,
    extra: dict[str, Any] | None = None,
) -> Reply:
    """A bot message as Rasa logs it: a response's other keys (its ``condition``) and ``utter_action`` in metadata."""
    meta = ""
    if utter:
        meta = json.dumps({**(extra or {}), "utter_action": utter})[1:-1] + ", "
    data = {
        "elements": None,
        "quick_replies": None,
        "buttons": [{"title": b["title"], "payload": b["payload"]} for b in buttons] if buttons else None,
        "attachment": None,
        "image": None,
        "custom": None,
    }
    body = json.dumps({"text": text, "data": data})[1:-1]
    return Reply(meta, body, tuple(b["payload"] for b in buttons or ()), utter == "utter_offer_advisor")


def _yaml(path: Path) -> Any:
    with path.open(encoding="utf-8") as handle:
        return yaml.safe_load(handle)


def _localized(value: Any, language: str) -> str:
    if isinstance(value, dict):
        return str(value.get(language) or value.get("fr") or "")
    return "" if value is None else str(value)


@dataclass
class World:
    """Everything the generator says on the bot's behalf, per language ("fr", "en")."""

    responses: dict[tuple[str, str], Reply]
    programs: list[dict[str, Any]]
    cards: dict[tuple[str, str], Reply]
    details: dict[tuple[str, str], Reply]
    facts: dict[tuple[str, str, str], list[Reply]]
    texts: dict[tuple[str, str], list[Reply]]
    program_surfaces: dict[str, tuple[str, ...]]
    entity_values: dict[tuple[str, str], str]


def _responses() -> dict[tuple[str, str], Reply]:
    """The domain's responses: the variant without condition is French, the ``language: en`` one English."""
    found: dict[tuple[str, str], Reply] = {}
    for path in sorted(DOMAIN_DIR.glob("*.yml")):
        for name, variants in ((_yaml(path) or {}).get("responses") or {}).items():
            for variant in variants:
                english = any(c.get("value") == "en" for c in variant.get("condition") or [])
                # create_bot_utterance keeps what it does not know (the condition) as metadata
                extra = {k: v for k, v in variant.items() if k not in BOT_DATA_KEYS}
                reply = _reply(variant.get("text", ""), variant.get("buttons"), utter=name, extra=extra)
                found.setdefault((name, "en" if english else "fr"), reply)
    for name, _language in list(found):
        found.setdefault((name, "en"), found[(name, "fr")])
    return found


def _source_line(source: dict[str, Any], verified: Any, language: str) -> str:
    title = f"« {source['title']} »" if source.get("title") else action_text("source_untitled", language)
    described = ", ".join(str(p) for p in (title, source.get("publisher"), source.get("published")) if p)
    return action_text("source", language, source=f"{described} [{source.get('file', '')}]", verified=str(verified))


def _sourced_item(body: str, source: dict[str, Any], as_of: str | None = None, language: str = "fr") -> str:
    dated = f" ({action_text('as_of', language, date=as_of)})" if as_of else ""
    origin = ", ".join(str(p) for p in (source.get("publisher"), source.get("published")) if p)
    return f"• {body}{dated}\n  ↳ {origin} [{source.get('file', '')}]"


@functools.lru_cache(maxsize=1)
def world() -> World:
    """The bot's replies and the catalog's words, read once from bot/domain and bot/catalog/data."""
    responses = _responses()
    sources = {s["id"]: s for s in _yaml(CATALOG_DIR / "sources.yml") or []}
    organizations = {o["id"]: o for o in _yaml(CATALOG_DIR / "organizations.yml") or []}
    programs = [p for p in _yaml(CATALOG_DIR / "programs.yml") or [] if p.get("id")]
    facts = _yaml(CATALOG_DIR / "facts.yml") or []
    financing = _yaml(CATALOG_DIR / "financing.yml") or []
    sites = _yaml(CATALOG_DIR / "sites.yml") or []
    events = _yaml(CATALOG_DIR / "events.yml") or []

    def fact_value(program: dict[str, Any], name: str, language: str) -> str | None:
        if name == "organizations":
            names = [
                f"{_localized(organizations.get(link.get('id'), {}).get('name'), language) or link.get('id')} "
                f"({action_text('role_' + str(link.get('role', 'partner')), language)})"
                for link in program.get("organizations") or []
            ]
            return ", ".join(names) or None
        if name == "benefits":
            items = [_localized(b, language) for b in program.get("benefits") or []]
            return "\n".join(f"• {i}" for i in items if i) or None
        return _localized(program.get(name), language) or None

    cards: dict[tuple[str, str], Reply] = {}
    details: dict[tuple[str, str], Reply] = {}
    fact_replies: dict[tuple[str, str, str], list[Reply]] = {}
    for program in programs:
        pid = program["id"]
        source = sources.get(program.get("source"), {})
        for language in ("fr", "en"):
            name = _localized(program.get("name"), language) or pid
            kind = label("program_type", str(program.get("type", "")), language)
            summary = _localized(program.get("summary"), language)
            details_button = {
                "title": action_text("details_button", language),
                "payload": f'/program_details{{"program": "{pid}"}}',
            }
            eligible_button = {
                "title": action_text("eligible_button", language),
                "payload": f'/check_eligibility{{"program": "{pid}"}}',
            }
            cards[(pid, language)] = _reply(f"{name} ({kind})\n{summary}", [details_button, eligible_button])
            lines = [
                name,
                summary,
                action_text("field_line", language, label=action_text("field_type", language), value=kind),
            ]
            missing = []
            for fact in ("organizations", "duration", "capacity", "location", "benefits", "how_to_apply", "deadline"):
                value = fact_value(program, fact, language)
                if value is None:
                    missing.append(action_text(f"what_{fact}", language))
                else:
                    shown = f"\n{value}" if "\n" in value else value
                    lines.append(
                        action_text("field_line", language, label=action_text("field_" + fact, language), value=shown)
                    )
            status = _localized(program.get("status"), language)
            if status:
                lines.append(
                    action_text("field_line", language, label=action_text("field_status", language), value=status)
                )
            if missing:
                lines.append(action_text("unknown_fields", language, fields=", ".join(missing)))
            lines.append(_source_line(source, program.get("last_verified", ""), language))
            details[(pid, language)] = _reply("\n".join(line for line in lines if line), [eligible_button])
            for intent, fact in FACT_INTENTS.items():
                value = fact_value(program, fact, language)
                if value is None:
                    what = action_text(f"what_{fact}", language)
                    fact_replies[(pid, intent, language)] = [
                        _reply(action_text("not_in_sources", language, what=what, program=name)),
                        responses[("utter_offer_advisor", language)],
                    ]
                else:
                    line = action_text(
                        "field_line", language, label=action_text("field_" + fact, language), value=value
                    )
                    source_line = _source_line(source, program.get("last_verified", ""), language)
                    fact_replies[(pid, intent, language)] = [_reply(f"{name}\n{line}\n{source_line}")]

    texts: dict[tuple[str, str], list[Reply]] = {}
    for language in ("fr", "en"):
        offer = responses[("utter_offer_advisor", language)]
        lines = [action_text("financing_intro", language, count=len(financing))]
        for offer_row in financing:
            body = (
                f"{_localized(offer_row.get('name'), language)} — {_localized(offer_row.get('description'), language)}"
            )
            lines.append(_sourced_item(body, sources.get(offer_row.get("source"), {}), language=language))
        texts[("financing", language)] = [_reply("\n".join(lines)), offer]
        lines = [action_text("about_intro", language)]
        technopark = organizations.get("technopark", {})
        if technopark.get("description"):
            lines.append(
                _sourced_item(
                    _localized(technopark["description"], language), sources.get(technopark.get("source"), {})
                )
            )
        lines.append(action_text("figures_intro", language))
        for fact in facts:
            if fact.get("topic") in ("figures", "roadmap"):
                lines.append(
                    _sourced_item(
                        _localized(fact.get("text"), language),
                        sources.get(fact.get("source"), {}),
                        fact.get("as_of"),
                        language,
                    )
                )
        texts[("about", language)] = [_reply("\n".join(lines))]
        lines = [action_text("sites_intro", language)]
        for site in sites:
            body = f"{_localized(site.get('name'), language)} — {_localized(site.get('description'), language)}".rstrip(
                " —"
            )
            lines.append(_sourced_item(body, sources.get(site.get("source"), {})))
        for fact in facts:
            if fact.get("topic") == "sites":
                lines.append(
                    _sourced_item(
                        _localized(fact.get("text"), language),
                        sources.get(fact.get("source"), {}),
                        fact.get("as_of"),
                        language,
                    )
                )
        lines.append(action_text("sites_partial", language))
        texts[("sites", language)] = [_reply("\n".join(lines)), offer]
        lines = [action_text("events_intro", language)]
        for row in events:
            body = f"{_localized(row.get('name'), language)} ({_localized(row.get('when'), language)}) — {_localized(row.get('description'), language)}"
            lines.append(_sourced_item(body, sources.get(row.get("source"), {})))
        lines.append(action_text("events_future_unknown", language))
        texts[("events", language)] = (
            [_reply("\n".join(lines))] if events else [_reply(action_text("events_none", language))]
        )
        texts[("contact", language)] = [_reply(action_text("contact_unknown", language)), offer]
        texts[("which_program", language)] = [_reply(action_text("which_program", language))]

    surfaces: dict[str, tuple[str, ...]] = {}
    for program in programs:
        names = [str(a) for a in program.get("aliases") or []]
        names += [_localized(program.get("name"), "fr")]
        surfaces[program["id"]] = tuple(dict.fromkeys(n for n in names if n and len(n) <= 40))
    values: dict[tuple[str, str], str] = {}
    for kind, table in VOCABULARY.items():
        for canonical, forms in table.items():
            values[(kind, canonical.lower())] = canonical
            for form in forms:
                values.setdefault((kind, form.lower()), canonical)
    for pid, names in surfaces.items():
        for name in names:
            values[("program", name.lower())] = pid
    return World(responses, programs, cards, details, fact_replies, texts, surfaces, values)


# -- JSON of events, built from fragments (byte for byte what json.dumps(event.as_dict()) gives) --


def _dumps(value: Any) -> str:
    return json.dumps(value)


HEADS = {
    name: f'{{"event": "{name}", "timestamp": '
    for name in ("user", "bot", "action", "slot", "active_loop", "user_featurization", "session_started", "rewind")
}
FALLBACK_INTENT_JSON = f'{{"name": "nlu_fallback", "confidence": {FALLBACK_THRESHOLD!r}}}'


@functools.lru_cache(maxsize=8192)
def _text_json(text: str) -> str:
    return json.dumps(text)


def _entity_json(entity: dict[str, Any]) -> str:
    """json.dumps(entity), spelled out for the three shapes the generator makes."""
    extractor = entity["extractor"]
    if extractor == "LanguageDetector":
        return (
            f'{{"entity": "language", "value": "{entity["value"]}", "start": 0, "end": {entity["end"]}, '
            '"confidence": 1.0, "extractor": "LanguageDetector"}'
        )
    if extractor == "CRFEntityExtractor":
        processors = ', "processors": ["EntitySynonymMapper"]}' if "processors" in entity else "}"
        return (
            f'{{"entity": "{entity["entity"]}", "start": {entity["start"]}, "end": {entity["end"]}, '
            f'"confidence_entity": {entity["confidence_entity"]!r}, "value": {_text_json(entity["value"])}, '
            f'"extractor": "CRFEntityExtractor"{processors}'
        )
    return json.dumps(entity)


@functools.lru_cache(maxsize=4096)
def _slot_tail(name: str, value: Any) -> str:
    return f'"name": {_dumps(name)}, "value": {_dumps(value)}}}'


@functools.lru_cache(maxsize=1024)
def _action_tail(name: str, policy: str | None, confidence: float | None, hide: bool) -> str:
    return json.dumps(
        {"name": name, "policy": policy, "confidence": confidence, "action_text": None, "hide_rule_turn": hide}
    )[1:]


@functools.lru_cache(maxsize=8192)
def _tokens(text: str) -> str:
    return _dumps([[m.start(), m.end()] for m in TOKEN.finditer(text)])


@functools.lru_cache(maxsize=8192)
def _language_of(text: str) -> str | None:
    return detect_language(text)


@functools.lru_cache(maxsize=256)
def _company_age(text: str, year: int) -> float | str | None:
    """What validate_eligibility_form makes of a company age typed as text."""
    if is_dont_know(text):
        return "unknown"
    return parse_company_age(text, year)


class RawJson(str):
    """A slot value already serialised (the session metadata, as a channel sent it)."""


@dataclass(slots=True)
class Message:
    """A founder message and what the (simulated) NLU made of it."""

    text: str
    intent: str
    confidence: float = 1.0
    entities: list[dict[str, Any]] = field(default_factory=list)
    payload: bool = False
    fallback: bool = False


# -- one conversation ----------------------------------------------------------------------------


class Conversation:
    """A founder's conversation with Sanad: one or more sessions, each a few turns."""

    def __init__(self, gen: Generator, start: float) -> None:
        self.gen = gen
        rng = self.rng = gen.rng
        self.random = rng.random
        self.append = gen.rows.append
        self.w = gen.world
        roll = rng.random()
        self.channel = "web" if roll < 0.55 else "telegram" if roll < 0.9 else "rest"
        roll = rng.random()
        # Darija in Latin letters often reads as French to bot.language: a few more Arabic speakers than the 15% seen
        self.lang = "fr" if roll < 0.58 else "en" if roll < 0.83 else "ar"
        self.chat_type = "private"
        self.chat_id = 0
        self.session_id = ""
        if self.channel == "web":
            hexa = f"{rng.getrandbits(128):032x}"  # a uuid4, as the widget makes them
            variant = "89ab"[int(hexa[16], 16) % 4]
            self.session_id = f"{hexa[:8]}-{hexa[8:12]}-4{hexa[13:16]}-{variant}{hexa[17:20]}-{hexa[20:]}"
            self.sender = f"web-{self.session_id}"
        elif self.channel == "telegram":
            if rng.random() < 0.02:
                self.chat_type = "supergroup"
                self.chat_id = -rng.randint(*TELEGRAM_GROUP)
            else:
                self.chat_id = rng.randint(*TELEGRAM_PRIVATE)
            self.sender = f"telegram-{self.chat_id}"
        else:
            self.sender = f"rest-{rng.getrandbits(64):016x}"
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
            room = gen.end - SESSION_ROOM - start
            if gaps and sum(gaps) > room:
                scale = room / sum(gaps)
                gaps = [g * scale for g in gaps] if min(gaps) * scale >= MIN_SESSION_GAP else []
            if gaps:
                self.session_turns = [b - a for a, b in zip([0, *cuts], [*cuts, turns], strict=True)]
                self.session_starts = list(itertools.accumulate(gaps, initial=start))
        # what the tracker holds
        self.t = start
        self.turn_index = 0
        self.slots: dict[str, Any] = {"language": "fr"}
        self.slot_log: list[tuple[str, Any]] = []
        self.loop: str | None = None
        self.requested: str | None = None
        self.offered: list[str] = []  # the payloads of the buttons under Sanad's last answer
        self.advisor_offered = False
        self.person = ("Salma", "Benali")
        self.contact: str | None = None
        self.invalid_contact_done = False
        self.meta = ""

    # -- rows ------------------------------------------------------------------------------------
    #
    # Columns as SQLTrackerStore.save fills them. ``data`` travels as (head, tail) around the
    # timestamp: tails repeat (same session metadata, same answer), so they are built once per
    # model and shared, and the writer joins head + repr(timestamp) + tail (see _compose).

    def _action(
        self, name: str, policy: str | None = "RulePolicy", confidence: float | None = 1.0, hide: bool = True
    ) -> None:
        self.t += 0.00003 + self.random() * 0.0005
        key = name if policy == "RulePolicy" and hide else (name, policy, confidence, hide)
        tail = self.tails.get(key)
        if tail is None:
            tail = self.tails[key] = f', "metadata": {self.meta}, {_action_tail(name, policy, confidence, hide)}'
        self.append((self.sender, "action", self.t, None, name, HEADS["action"], tail))

    def _listen(self) -> None:
        self.t += 0.0005 + self.random() * 0.002
        self.append((self.sender, "action", self.t, None, "action_listen", HEADS["action"], self.listen_tail))

    def _bot(self, reply: Reply, shared: bool = True) -> None:
        """A bot message; ``shared=False`` for a text made for this conversation only (not kept)."""
        self.t += 0.00001 + self.random() * 0.0002
        key = (reply.meta, reply.body)
        tail = self.tails.get(key) if shared else None
        if tail is None:
            meta = "{" + reply.meta + self.meta[1:] if reply.meta else self.meta
            tail = f', "metadata": {meta}, {reply.body}}}'
            if shared:
                self.tails[key] = tail
        self.append((self.sender, "bot", self.t, None, None, HEADS["bot"], tail))
        if reply.buttons:
            self.offered += reply.buttons
        if reply.offers_advisor:
            self.advisor_offered = True

    def _slot(self, name: str, value: Any) -> None:
        self.t += 0.00001 + self.random() * 0.0001
        if type(value) is RawJson:
            tail = f', "metadata": {self.meta}, "name": "{name}", "value": {value}}}'
        else:
            key = (name, value, type(value))  # True and 1.0 are equal keys, not equal JSON
            tail = self.tails.get(key)
            if tail is None:
                tail = self.tails[key] = f', "metadata": {self.meta}, {_slot_tail(name, value)}'
        self.append((self.sender, "slot", self.t, None, name, HEADS["slot"], tail))
        self.slots[name] = value
        self.slot_log.append((name, value))

    def _loop(self, name: str | None) -> None:
        self.t += 0.00001
        self.append(
            (
                self.sender,
                "active_loop",
                self.t,
                None,
                name,
                HEADS["active_loop"],
                f', "metadata": {self.meta}, "name": {_dumps(name)}}}',
            )
        )
        self.loop = name

    def _bare(self, type_name: str) -> None:
        """An event with nothing but its metadata: session_started, rewind."""
        self.t += 0.0001
        self.append((self.sender, type_name, self.t, None, None, HEADS[type_name], self.bare_tail))

    def _featurization(self) -> None:
        self.t += 0.04 + self.random() * 0.25  # NLU done, the policies predict
        self.append(
            (
                self.sender,
                "user_featurization",
                self.t,
                None,
                None,
                HEADS["user_featurization"],
                self.featurization_tail,
            )
        )

    def _message_metadata(self) -> str:
        """What Sanad's channels send with each message (JSON), see bot/channels."""
        if self.channel == "telegram":
            self.gen.update_id += self.rng.randint(1, 40)
            return f'{{"channel": "telegram", "chat_id": {self.chat_id}, "chat_type": "{self.chat_type}", "update_id": {self.gen.update_id}}}'
        if self.channel == "web":
            return f'{{"channel": "web", "session_id": "{self.session_id}"}}'
        return '{"channel": "rest"}'

    def _user(self, message: Message, metadata: str) -> None:
        message_id = f"{self.rng.getrandbits(128):032x}"
        text = _text_json(message.text)
        entities = "[" + ", ".join(map(_entity_json, message.entities)) + "]"
        if message.payload:
            intent = f'{{"name": "{message.intent}", "confidence": 1.0}}'
            parse = (
                f'{{"intent": {intent}, "entities": {entities}, "text": {text}, '
                f'"message_id": "{message_id}", "metadata": {metadata}, "intent_ranking": [{intent}]}}'
            )
        else:
            intent = f'{{"name": "{message.intent}", "confidence": {message.confidence!r}}}'
            ranking = f"{intent}, {self.gen.ranking_tail(message.intent, message.confidence)}"
            if message.fallback:
                intent = FALLBACK_INTENT_JSON
                ranking = f"{intent}, {ranking}"
            parse = (
                f'{{"intent": {intent}, "entities": {entities}, "text": {text}, '
                f'"message_id": "{message_id}", "metadata": {metadata}, "text_tokens": {_tokens(message.text)}, '
                f'"intent_ranking": [{ranking}]}}'
            )
        self.append(
            (
                self.sender,
                "user",
                self.t,
                "nlu_fallback" if message.fallback else message.intent,
                None,
                HEADS["user"],
                f', "metadata": {metadata[:-1]}, {self.meta[1:]}, "text": {text}, '
                f'"parse_data": {parse}, "input_channel": "{self.channel}", "message_id": "{message_id}"}}',
            )
        )

    # -- sessions ---------------------------------------------------------------------------------

    def run_session(self, number: int) -> None:
        """Write session ``number``: its start events, then its founder turns."""
        gen = self.gen
        self.t = self.session_starts[number]
        self.meta = f'{{"model_id": "{gen.model_at(self.t)}", "assistant_id": "{ASSISTANT_ID}"}}'
        self.tails = gen.tails.setdefault(self.meta, {})
        self.listen_tail = self.tails.get("action_listen") or self.tails.setdefault(
            "action_listen", f', "metadata": {self.meta}, {_action_tail("action_listen", "RulePolicy", 1.0, True)}'
        )
        self.bare_tail = f', "metadata": {self.meta}}}'
        self.featurization_tail = f', "metadata": {self.meta}, "use_text_for_featurization": false}}'
        metadata = self._message_metadata()
        # MessageProcessor sets this slot before action_session_start, which carries it over with the others
        self._slot("session_started_metadata", RawJson(metadata))
        carried, self.slot_log = self.slot_log, []
        self._action("action_session_start", policy=None, confidence=1.0, hide=False)
        self._bare("session_started")
        for name, value in carried:
            self._slot(name, value)
        self.loop = self.requested = None
        self._action("action_listen", policy=None, confidence=None, hide=False)
        self.offered, self.advisor_offered = [], False
        for turn in range(self.session_turns[number]):
            if turn:
                metadata = self._message_metadata()
            self._turn(metadata, first_of_session=not turn)
            self.turn_index += 1

    # -- turns ------------------------------------------------------------------------------------

    def _voice(self) -> str:
        roll = self.rng.random()
        if self.lang == "ar":
            return "ar" if roll < 0.85 else "darija"
        if self.lang == "fr":
            return "fr" if roll < 0.93 else "darija"
        return "en"

    def _typed(self, intent: str, voice: str | None = None, **fixed: str) -> Message:
        """A message the founder typed for ``intent``, entities placed where the template says."""
        rng = self.rng
        voice = voice or self._voice()
        variants = PHRASES[intent]
        options = variants.get(voice) or variants.get("darija" if voice == "ar" else "fr") or variants["fr"]
        options = self.gen.templates(intent, voice, options, "program" in fixed, self.program_focus)
        family = "en" if voice == "en" else "fr"
        text, entities = self.gen.fill(rng.choice(options), family, rng, fixed)
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
        language = _language_of(text) if len(text) < 80 else detect_language(text)
        if language:
            entities.append(
                {
                    "entity": "language",
                    "value": language,
                    "start": 0,
                    "end": len(text),
                    "confidence": 1.0,
                    "extractor": "LanguageDetector",
                }
            )
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
        entities = []
        if brace:
            for key, value in json.loads(brace + rest).items():
                entities.append(
                    {
                        "entity": key,
                        "value": value,
                        "start": len(head),
                        "end": len(payload),
                        "extractor": "RegexMessageHandler",
                    }
                )
        return Message(payload, head[1:], 1.0, entities, payload=True)

    def _turn(self, metadata: str, first_of_session: bool) -> None:
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
        if core_fallback:
            slots_before, log_before = dict(self.slots), len(self.slot_log)
        self._user(message, metadata)
        if message.entities:
            self._extract_slots(message)
        self._featurization()
        if core_fallback:
            # no rule for this state: RulePolicy's core fallback, whose UserUtteranceReverted undoes the message
            self._action("action_default_fallback", confidence=CORE_FALLBACK_THRESHOLD, hide=False)
            self._bot(self._response("utter_default"))
            self._bare("rewind")
            self.slots, self.slot_log = slots_before, self.slot_log[:log_before]
        else:
            self._respond(message)
        self._listen()

    def _topic(self, offered: list[str], i: int) -> Message:
        """A new question, a follow-up or a button: what founders ask outside forms."""
        rng = self.rng
        gen = self.gen
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
        program = self.slots.get("program")
        if program and rng.random() < 0.6:
            intent = rng.choice(tuple(FACT_INTENTS))
            return self._typed(intent)
        if self.program_focus and (not self.slots.get("program") or rng.random() < 0.3):
            pid = rng.choice(gen.program_ids)
            intent = (
                "program_details"
                if rng.random() < 0.7
                else rng.choice(("ask_how_to_apply", "ask_capacity", "check_eligibility"))
            )
            if intent == "check_eligibility" and remaining < 3:
                intent = "program_details"
            return self._typed(intent, program=pid)
        while True:
            intent = rng.choices(gen.topic_names, cum_weights=gen.topic_weights)[0]
            if intent == "check_eligibility" and remaining < 3 and rng.random() < 0.8:
                continue
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
            contact = self.contact = self.gen.contact(rng, *self.person)
            said = f"mon email : {contact}" if "@" in contact else f"mon numéro : {contact}"
            return self._understood(rng.choice((contact, contact, said, f"{contact} merci")), "inform", [], voice)
        options = FORM_ANSWERS["advisor_topic"]
        text, entities = self.gen.fill(rng.choice(options.get(voice) or options["fr"]), "fr", rng, {})
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
        text, entities = self.gen.fill(rng.choice(options), "en" if voice == "en" else "fr", rng, {})
        return self._understood(text, "inform", entities, voice)

    # -- what Rasa does with a message -------------------------------------------------------------

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
        if self.loop == "advisor_form":
            if intent == "stop":
                self._cancel_form()
            else:
                self._advisor_step(message)
        elif self.loop == "eligibility_form":
            if intent == "stop":
                self._cancel_form()
            elif intent == "request_advisor":
                self._action("action_deactivate_loop")
                self._loop(None)
                self._slot("requested_slot", None)
                self._start_advisor()
            else:
                self._eligibility_step(message)
        elif intent in ("request_advisor", "affirm"):
            self._start_advisor()
        elif intent == "check_eligibility":
            self._start_eligibility(message)
        else:
            action = RULE_ACTIONS[intent]
            if action.startswith("utter_"):
                self._utter(action)
            else:
                self._custom(action, message)

    def _custom(self, action: str, message: Message) -> None:
        """A custom action: its bot messages, then the slots it returns (rasa-sdk's order)."""
        w, language = self.w, self._language()
        self._action(action)
        self.t += 0.01 + self.rng.random() * 0.2  # the action server and the catalog query
        mentioned = next((e["value"] for e in message.entities if e["entity"] == "program"), None)
        if action == "action_list_programs":
            for reply in self._program_list(message, language):
                self._bot(reply)
        elif action in ("action_program_details", "action_e_technopark", "action_program_fact"):
            pid = "e-technopark" if action == "action_e_technopark" else mentioned or self.slots.get("program")
            if pid not in w.program_surfaces:
                self._bot(w.texts[("which_program", language)][0])
                for program in w.programs:
                    self._bot(w.cards[(program["id"], language)])
                if action != "action_program_fact":
                    self._slot("program", None)
                return
            if action == "action_program_fact":
                for reply in w.facts[(pid, message.intent, language)]:
                    self._bot(reply)
            else:
                self._bot(w.details[(pid, language)])
            self._slot("program", pid)
        elif action == "action_list_financing":
            for reply in w.texts[("financing", language)]:
                self._bot(reply)
        elif action == "action_about_technopark":
            self._bot(w.texts[("about", language)][0])
        elif action == "action_technopark_sites":
            for reply in w.texts[("sites", language)]:
                self._bot(reply)
        elif action == "action_events":
            for reply in w.texts[("events", language)]:
                self._bot(reply)
        elif action == "action_contact":
            for reply in w.texts[("contact", language)]:
                self._bot(reply)

    def _program_list(self, message: Message, language: str) -> list[Reply]:
        w = self.w
        filters = {
            e["entity"]: e["value"]
            for e in message.entities
            if e["entity"] in ("program_type", "sector", "stage", "city")
        }
        if not filters:
            intro = _reply(action_text("programs_intro", language, count=len(w.programs)))
            return [intro, *(w.cards[(p["id"], language)] for p in w.programs)]
        matching, unstated = [], []
        for program in w.programs:
            kind = filters.get("program_type")
            if kind and program.get("type") != kind:
                continue
            tags = {k: program.get(k + "s") or [] for k in ("sector", "stage", "city")}
            if all(filters[k] in tags[k] for k in tags if k in filters):
                matching.append(program)
            elif all(filters[k] in tags[k] or not tags[k] for k in tags if k in filters):
                unstated.append(program)
        described = ", ".join(label(kind, value, language) for kind, value in filters.items())
        replies: list[Reply] = []
        if matching:
            replies.append(
                _reply(action_text("programs_filtered_intro", language, filters=described, count=len(matching)))
            )
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

    # -- forms --------------------------------------------------------------------------------------

    def _cancel_form(self) -> None:
        self._action("action_deactivate_loop")
        self._loop(None)
        self._slot("requested_slot", None)
        self._utter("utter_form_cancelled")

    def _ask(self, slot: str) -> None:
        """FormAction.request_next_slot: requested_slot, then the utter_ask_<slot> response."""
        self.requested = slot
        self._slot("requested_slot", slot)
        self._bot(self._response(f"utter_ask_{slot}"))

    def _form_done(self) -> None:
        """The last slot is filled: requested_slot and the loop end, the rule runs the form's action."""
        self.requested = None
        self._slot("requested_slot", None)
        self._loop(None)

    def _start_advisor(self) -> None:
        self._utter("utter_advisor_start")
        self._action("advisor_form")
        self._loop("advisor_form")
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
        if value is None:
            self._ask(asked)
            return
        following = ADVISOR_SLOTS.index(asked) + 1
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
        self._bot(_reply(saved), shared=False)
        for slot in ADVISOR_SLOTS:
            self._slot(slot, None)

    def _start_eligibility(self, message: Message) -> None:
        self._utter("utter_eligibility_start")
        self._action("eligibility_form")
        self._loop("eligibility_form")
        self.t += 0.01 + self.rng.random() * 0.05
        for name in ELIGIBILITY_SLOTS:  # validate_eligibility_form on what the message already said
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
            value = _company_age(message.text, self.gen.year)
        else:
            value = next((e["value"] for e in message.entities if e["entity"] == asked), None)
            if value is None and is_dont_know(message.text):
                value = "unknown"
        if value is None:
            self._bot(_reply(action_text("invalid_answer", self._language())))
        self._slot(asked, value)
        self._eligibility_next()

    def _eligibility_next(self) -> None:
        following = next((s for s in ELIGIBILITY_SLOTS if self.slots.get(s) is None), None)
        if following:
            self._ask(following)
            return
        self._form_done()
        self._action("action_check_eligibility")
        self.t += 0.02 + self.rng.random() * 0.1
        self._bot(self._verdicts(), shared=False)
        self._bot(self._response("utter_offer_advisor"))

    def _verdicts(self) -> Reply:
        language = self._language()
        parts = []
        for name in ELIGIBILITY_SLOTS:
            value = self.slots.get(name)
            if value in (None, "unknown"):
                shown = action_text("unknown_answer", language)
            elif name == "technopark_resident":
                shown = action_text("yes" if value else "no", language)
            elif name == "company_age_years":
                shown = action_text("years", language, value=f"{value:g}")
            else:
                shown = label(name, str(value), language)
            parts.append(
                action_text("field_line", language, label=action_text("profile_" + name, language), value=shown)
            )
        lines = [action_text("eligibility_intro", language, profile="; ".join(parts))]
        resident = self.slots.get("technopark_resident")
        focus = self.slots.get("program")
        for program in sorted(self.w.programs, key=lambda p: p["id"] != focus):
            name = _localized(program.get("name"), language) or program["id"]
            criteria = [c for c in program.get("criteria") or [] if c.get("field") == "technopark_resident"]
            if not program.get("criteria"):
                lines.append(action_text("unknown_no_criteria", language, program=name))
            elif not criteria or not isinstance(resident, bool):
                missing = action_text("profile_technopark_resident", language)
                lines.append(action_text("unknown_missing", language, program=name, missing=missing))
            elif criteria[0].get("value") == resident:
                lines.append(action_text("eligible", language, program=name))
            else:
                rule = action_text(
                    "rule_resident_true" if criteria[0].get("value") else "rule_resident_false", language
                )
                quote = criteria[0].get("quote")
                reason = action_text("reason", language, rule=rule, quote=quote) if quote else rule
                lines.append(action_text("not_eligible", language, program=name, reasons=reason))
        lines.append(action_text("eligibility_advisor", language))
        return _reply("\n".join(lines))


# -- the whole run -------------------------------------------------------------------------------


class Generator:
    """Shared state of one run: the random source, the models deployed, the rows waiting to be written."""

    def __init__(self, seed: int, end: float, days: int) -> None:
        self.seed = seed
        self.rng = random.Random(seed)
        self.world = world()
        self.end = end
        self.begin = end - days * 86400
        self.year = dt.datetime.fromtimestamp(end, dt.timezone.utc).year
        self.rows: list[dict[str, Any]] = []
        self.update_id = self.rng.randint(400_000_000, 900_000_000)
        self.advisor_requests = 0
        self.program_ids = [p["id"] for p in self.world.programs]
        self.intents_except = {name: [i for i in INTENTS if i != name] for name in INTENTS}
        topics = {
            "list_programs": 16,
            "ask_financing": 12,
            "check_eligibility": 8,
            "about_technopark": 9,
            "ask_sites": 5,
            "ask_events": 5,
            "ask_contact": 5,
            "ask_e_technopark": 2,
            "ask_capabilities": 4,
            "bot_challenge": 2,
            "out_of_scope": 4,
            "inform": 4,
            "ask_how_to_apply": 4,
            "ask_capacity": 2,
            "ask_duration": 2,
        }
        self.topic_names = tuple(topics)
        self.topic_weights = tuple(itertools.accumulate(topics.values()))
        # a new model every ~10 days, the first one deployed before the window opens
        self.models: list[tuple[float, str]] = []
        deployed = self.begin - self.rng.uniform(1, 10) * 86400
        while deployed < end:
            self.models.append((deployed, f"{self.rng.getrandbits(128):032x}"))
            deployed += self.rng.uniform(4, 16) * 86400
        self._templates: dict[tuple[str, str, bool, bool], tuple[str, ...]] = {}
        self._tails: dict[tuple[str, int], list[str]] = {}
        self.tails: dict[str, dict[Any, str]] = {}  # session metadata -> event key -> JSON after the timestamp

    def model_at(self, t: float) -> str:
        model = self.models[0][1]
        for deployed, model_id in self.models:
            if deployed > t:
                break
            model = model_id
        return model

    def ranking_tail(self, intent: str, top: float) -> str:
        """The rest of DIET's top 10 below ``intent`` (never above ``top``, summing to at most 1 - top)."""
        bucket = int(top * 20)
        pool = self._tails.get((intent, bucket))
        if pool is None:
            rng = random.Random(f"{self.seed}/{intent}/{bucket}")
            lower, upper = bucket / 20, (bucket + 1) / 20
            others = self.intents_except[intent]
            pool = []
            for _ in range(8):
                shares = sorted((rng.random() ** 3 for _ in range(9)), reverse=True)
                scale = (1.0 - upper) / (sum(shares) * (1.0 + rng.random() * 0.3))
                if shares[0] * scale >= lower:
                    scale = lower * (0.5 + rng.random() * 0.45) / shares[0]
                names = rng.sample(others, 9)
                pool.append(
                    ", ".join(
                        f'{{"name": "{n}", "confidence": {s * scale!r}}}' for n, s in zip(names, shares, strict=True)
                    )
                )
            self._tails[(intent, bucket)] = pool
        return pool[int(self.rng.random() * 8)]

    def templates(self, intent: str, voice: str, options: tuple[str, ...], named: bool, focus: bool) -> tuple[str, ...]:
        """The templates that name a program when one is given, none that do when the founder is not on one."""
        key = (intent, voice, named, focus)
        found = self._templates.get(key)
        if found is None:
            if named:
                found = tuple(o for o in options if "{program}" in o)
            elif not focus:
                found = tuple(o for o in options if "{program}" not in o)
            found = self._templates[key] = found or options
        return found

    def fill(
        self, template: str, family: str, rng: random.Random, fixed: dict[str, str]
    ) -> tuple[str, list[dict[str, Any]]]:
        """The template with entity surfaces filled in, and the entities CRF + synonyms would give."""
        if "{" not in template:
            return template, []
        parts = re.split(r"\{(\w+)\}", template)
        text = ""
        entities: list[dict[str, Any]] = []
        values = self.world.entity_values
        for n, part in enumerate(parts):
            if n % 2 == 0:
                text += part
                continue
            if part == "program":
                pid = fixed.get("program") or rng.choice(self.program_ids)
                surface = rng.choice(self.world.program_surfaces[pid])
            else:
                surface = rng.choice(SURFACES[part][family])
            start = len(text)
            text += surface
            value = values.get((part, surface.lower()), surface)
            entity: dict[str, Any] = {
                "entity": part,
                "start": start,
                "end": len(text),
                "confidence_entity": 0.55 + rng.random() * 0.45,
                "value": surface,
                "extractor": "CRFEntityExtractor",
            }
            if value != surface:
                entity["value"] = value
                entity["processors"] = ["EntitySynonymMapper"]
            entities.append(entity)
        return text, entities

    @staticmethod
    def contact(rng: random.Random, first: str, last: str) -> str:
        roll = rng.random()
        if roll < 0.55:
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


#: relative traffic by local hour (Morocco, UTC+1)
HOUR_WEIGHTS = (
    0.08, 0.05, 0.03, 0.02, 0.02, 0.03, 0.08, 0.2, 0.45, 0.75, 0.95, 1.0,
    0.9, 0.7, 0.8, 0.95, 0.9, 0.75, 0.6, 0.5, 0.5, 0.45, 0.3, 0.15,
)  # fmt: skip


def _compose(rows: list[tuple[Any, ...]]) -> list[tuple[Any, ...]]:
    """Generated rows (sender, type, timestamp, intent, action, head, tail) as table rows: data = head + timestamp + tail."""
    return [(s, kind, t, intent, action, head + repr(t) + tail) for s, kind, t, intent, action, head, tail in rows]


class _Writer:
    """Batched inserts into ``events``; on a fresh SQLite table the index is built once at the end (same DDL, faster)."""

    def __init__(self, url: str) -> None:
        parsed = make_url(url)
        self.sqlite = parsed.get_backend_name() == "sqlite"
        if self.sqlite and parsed.database not in (None, "", ":memory:"):
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        self.engine = create_engine(url, future=True)
        self.connection = self.engine.connect()
        self.deferred: list[Index] = []
        if self.sqlite and not inspect(self.connection).has_table(EVENTS.name):
            self.connection.execute(CreateTable(EVENTS))
            self.deferred = sorted(EVENTS.indexes, key=lambda index: str(index.name))
        else:
            TRACKER.create_all(self.connection)
        self.connection.commit()
        self.statement = insert(EVENTS)
        self.sql = ""
        if self.sqlite:
            # for this connection only: nothing of this stays in the database file
            self.connection.exec_driver_sql("PRAGMA synchronous=OFF")
            self.connection.exec_driver_sql("PRAGMA cache_size=-262144")
            compiled = self.statement.compile(dialect=self.engine.dialect, column_keys=list(COLUMNS))
            if tuple(compiled.positiontup or ()) != COLUMNS:
                raise RuntimeError(f"unexpected INSERT parameters: {compiled.positiontup}")
            self.sql = str(compiled)
        self.written = 0

    def write(self, rows: list[tuple[Any, ...]]) -> None:
        """Insert generated ``rows`` in one executemany, commit, and empty the list."""
        if not rows:
            return
        values = _compose(rows)
        if self.sqlite:
            # the compiled Core INSERT, executemany'd by the driver on plain tuples: no per-row dicts
            self.connection.exec_driver_sql(self.sql, values)
        else:
            self.connection.execute(self.statement, [dict(zip(COLUMNS, row, strict=True)) for row in values])
        self.connection.commit()
        self.written += len(rows)
        rows.clear()

    def close(self) -> None:
        try:
            for index in self.deferred:
                index.create(self.connection)
            self.connection.commit()
        finally:
            self.connection.close()
            self.engine.dispose()


def generate(
    tracker_url: str,
    conversations: int,
    *,
    seed: int = 7,
    start: dt.datetime | None = None,
    days: int = 60,
) -> Generated:
    """Append `conversations` synthetic conversations to the events table at `tracker_url` (SQLAlchemy URL; create the table + index exactly as Rasa does if missing).

    Conversations start over the ``days`` days that end at ``start`` (default: now, UTC;
    a naive datetime is taken as UTC) and no event is later than ``start``.
    """
    if conversations < 0 or days <= 0:
        raise ValueError("conversations must be >= 0 and days > 0")
    end = start or dt.datetime.now(dt.timezone.utc)
    if end.tzinfo is None:
        end = end.replace(tzinfo=dt.timezone.utc)
    gen = Generator(seed, end.timestamp(), days)
    parsed = make_url(tracker_url)
    in_memory = parsed.get_backend_name() == "sqlite" and parsed.database in (None, "", ":memory:")
    writer: _Writer | _WriterProcess
    writer = _WriterProcess(tracker_url) if conversations >= PIPELINE_FROM and not in_memory else _Writer(tracker_url)
    try:
        # sessions are written in start-time order, so ids grow with time as in a live tracker store
        later: list[tuple[float, int, int, Conversation]] = []  # next sessions of conversations begun
        for index, begins in enumerate(gen.conversation_starts(conversations)):
            while later and later[0][0] <= begins:
                _run_later(later)
            conversation = Conversation(gen, begins)
            conversation.run_session(0)
            if len(conversation.session_starts) > 1:
                heapq.heappush(later, (conversation.session_starts[1], index, 1, conversation))
            if len(gen.rows) >= BATCH_ROWS:
                writer.write(gen.rows)
        while later:
            _run_later(later)
            if len(gen.rows) >= BATCH_ROWS:
                writer.write(gen.rows)
        writer.write(gen.rows)
    finally:
        writer.close()
    return Generated(conversations=conversations, events=writer.written)


class _WriterProcess:
    """A :class:`_Writer` in a child Python, so that writing overlaps generating (two CPUs, about half the time).

    A plain subprocess fed through its stdin (length-prefixed marshal frames, the URL first):
    unlike multiprocessing's spawn it never re-runs the caller's main module, unlike fork it
    never copies the caller's threads.
    """

    def __init__(self, url: str) -> None:
        self.errors = tempfile.TemporaryFile()  # noqa: SIM115 - the child's stderr, closed in _finish
        module = __spec__.name if __spec__ is not None else __name__  # not "__main__" under python -m
        self.process = subprocess.Popen(
            [sys.executable, "-c", f"from {module} import _serve_writer; _serve_writer()"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=self.errors,
            cwd=ROOT,
        )
        self.written = 0
        self.finished = False
        parsed = make_url(url)
        if parsed.get_backend_name() == "sqlite" and parsed.database and not parsed.database.startswith("file:"):
            # the child runs in ROOT: a relative SQLite path must still mean the caller's
            url = parsed.set(database=str(Path(parsed.database).resolve())).render_as_string(hide_password=False)
        self._send(url.encode())

    def _send(self, frame: bytes) -> None:
        stdin = self.process.stdin
        assert stdin is not None
        try:
            stdin.write(struct.pack("<Q", len(frame)))
            stdin.write(frame)
        except (BrokenPipeError, ConnectionResetError):
            self._finish()  # raises with the child's error

    def write(self, rows: list[tuple[Any, ...]]) -> None:
        if rows:
            self._send(
                marshal.dumps(rows)
            )  # plain tuples: marshal is twice as fast as pickle, and shares repeated tails
            rows.clear()

    def close(self) -> None:
        if not self.finished:  # else the child's failure is already being raised
            self._send(b"")
            self._finish()

    def _finish(self) -> None:
        self.finished = True
        with contextlib.suppress(BrokenPipeError, ConnectionResetError, ValueError):
            assert self.process.stdin is not None
            self.process.stdin.close()
        assert self.process.stdout is not None
        out = self.process.stdout.read()
        self.process.stdout.close()
        self.process.wait()
        self.errors.seek(0)
        errors = self.errors.read().decode(errors="replace")
        self.errors.close()
        if self.process.returncode != 0 or not out.strip().isdigit():
            raise RuntimeError(f"the writer process failed (exit code {self.process.returncode}):\n{errors[-3000:]}")
        self.written = int(out)


def _serve_writer() -> None:
    """The writer process: the URL, then batches until an empty frame; prints the number of rows written."""
    source = sys.stdin.buffer

    def frame() -> bytes:
        header = source.read(8)
        if len(header) != 8:
            raise EOFError("the generating process went away")
        (size,) = struct.unpack("<Q", header)
        data = source.read(size)
        if len(data) != size:
            raise EOFError("the generating process went away")
        return data

    writer = _Writer(frame().decode())
    try:
        while batch := frame():
            writer.write(marshal.loads(batch))
    finally:
        writer.close()
    print(writer.written)


def _run_later(later: list[tuple[float, int, int, Conversation]]) -> None:
    """Write the earliest pending session of a conversation that began earlier."""
    _, index, number, conversation = heapq.heappop(later)
    conversation.run_session(number)
    if number + 1 < len(conversation.session_starts):
        heapq.heappush(later, (conversation.session_starts[number + 1], index, number + 1, conversation))


def main(argv: list[str] | None = None) -> int:
    """``python -m tests.support.conversations --url URL --conversations N``: generate and say how long it took."""
    parser = argparse.ArgumentParser(description="Append synthetic Sanad conversations to a Rasa tracker store.")
    parser.add_argument(
        "--url", required=True, help="SQLAlchemy URL of the tracker store, e.g. sqlite:///var/bench/tracker.db"
    )
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
