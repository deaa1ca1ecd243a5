"""The few sentences the Telegram bridge says itself, when Rasa cannot or should not answer.

Everything about programs, financing and eligibility comes from Rasa and the
catalog; these are about the channel (what Telegram can carry, the commands).
"""

from __future__ import annotations

from bot.channels.rasa_client import LANGUAGES

LANGUAGE_NAMES = {"fr": "Français", "en": "English", "ar": "العربية", "ary": "Darija"}

TEXTS: dict[str, dict[str, str]] = {
    "text_only": {
        "fr": "Je ne lis que les messages écrits 🙂 Écrivez-moi votre question, par exemple « Quels programmes pour une startup fintech ? »",
        "en": "I only read text messages 🙂 Please type your question, for example “Which programs fit a fintech startup?”",
        "ar": "لا أقرأ إلا الرسائل المكتوبة 🙂 اكتبوا لي سؤالكم، مثلًا: «ما هي البرامج المناسبة لشركة ناشئة في مجال التكنولوجيا المالية؟»",
        "ary": "Kan9ra ghir les messages l-mktoubin 🙂 Kteb lia so2al dyalek, b7al « Chno homa les programmes li kaynin l chi startup fintech? »",
    },
    "unavailable": {
        "fr": "Sanad est momentanément indisponible. Votre message est bien reçu : je vous réponds dès que je suis de retour.",
        "en": "Sanad is unavailable for a moment. Your message is safe: I will answer as soon as I am back.",
        "ar": "سند غير متاح مؤقتًا. لقد توصلت برسالتكم، وسأجيبكم فور عودتي.",
        "ary": "Sanad ma mtwferch daba chwiya. Wslni l'message dyalek: ghadi njawbek ghir nrje3.",
    },
    "edited": {
        "fr": "J'ai vu que vous avez modifié un message. Je ne relis pas les messages modifiés : envoyez plutôt votre question dans un nouveau message.",
        "en": "I saw you edited a message. I don't re-read edited messages: please send your question as a new message.",
        "ar": "لاحظت أنكم عدّلتم رسالة. لا أعيد قراءة الرسائل المعدّلة، لذا أرسلوا سؤالكم في رسالة جديدة.",
        "ary": "Chft belli beddelti chi message. Ma kan3awedch n9ra les messages li tbeddlo: sift so2al dyalek f message jdid.",
    },
    "choose_language": {
        "fr": "Dans quelle langue souhaitez-vous échanger ?",
        "en": "Which language would you like to use?",
        "ar": "بأي لغة تفضّلون التواصل؟",
        "ary": "B ach mn lougha bghiti nhadro?",
    },
    "unknown_command": {
        "fr": "Je ne connais pas cette commande. Voici celles que je comprends :\n{commands}",
        "en": "I don't know that command. Here are the ones I understand:\n{commands}",
        "ar": "لا أعرف هذا الأمر. إليكم الأوامر التي أفهمها:\n{commands}",
        "ary": "Ma kan3refch had la commande. Hahoma li kanfhem:\n{commands}",
    },
    "expired_button": {
        "fr": "Ce bouton n'est plus valable. Posez-moi votre question par écrit.",
        "en": "This button is no longer valid. Please type your question.",
        "ar": "لم يعد هذا الزر صالحًا. اكتبوا لي سؤالكم من فضلكم.",
        "ary": "Had l'bouton ma b9ach khddam. Kteb lia so2al dyalek.",
    },
}

#: Command names per language (Telegram shows the list of the founder's language) and what they do.
COMMANDS: dict[str, list[tuple[str, str]]] = {
    "fr": [
        ("start", "Commencer avec Sanad"),
        ("help", "Ce que Sanad sait faire"),
        ("langue", "Changer de langue"),
        ("conseiller", "Parler à un conseiller"),
        ("reset", "Recommencer la conversation"),
    ],
    "en": [
        ("start", "Start with Sanad"),
        ("help", "What Sanad can do"),
        ("language", "Change language"),
        ("advisor", "Talk to an advisor"),
        ("reset", "Start the conversation over"),
    ],
    "ar": [
        ("start", "البدء مع سند"),
        ("help", "ما يستطيع سند القيام به"),
        ("language", "تغيير اللغة"),
        ("advisor", "التحدث مع مستشار"),
        ("reset", "بدء المحادثة من جديد"),
    ],
    "ary": [
        ("start", "Bda m3a Sanad"),
        ("help", "Chno y9der ydir Sanad"),
        ("langue", "Beddel l'lougha"),
        ("conseiller", "Hder m3a conseiller"),
        ("reset", "Bda l'conversation mn jdid"),
    ],
}


def text(key: str, language: str | None, **values: str) -> str:
    sentences = TEXTS[key]
    return sentences.get(language or "fr", sentences["fr"]).format(**values)


def command_list(language: str | None) -> str:
    return "\n".join(f"/{name} – {description}" for name, description in COMMANDS.get(language or "fr", COMMANDS["fr"]))


def telegram_language(language_code: str | None) -> str:
    """The answer language for a Telegram user's interface language (French unless we speak theirs)."""
    code = (language_code or "").split("-")[0].lower()
    return code if code in LANGUAGES else "fr"
