"""The few sentences the Telegram bridge says itself, when Rasa cannot or should not answer.

Everything about programs, financing and eligibility comes from Rasa and the
catalog; these are about the channel (what Telegram can carry, the commands).
"""

from __future__ import annotations

from bot.channels.rasa_client import LANGUAGES

LANGUAGE_NAMES = {"fr": "Français", "en": "English"}

TEXTS: dict[str, dict[str, str]] = {
    "text_only": {
        "fr": "Je ne lis que les messages écrits 🙂 Écrivez-moi votre question, par exemple « Quels programmes pour une startup fintech ? »",
        "en": "I only read text messages 🙂 Please type your question, for example “Which programs fit a fintech startup?”",
    },
    "unavailable": {
        "fr": "Sanad est momentanément indisponible. Votre message est bien reçu : je vous réponds dès que je suis de retour.",
        "en": "Sanad is unavailable for a moment. Your message is safe: I will answer as soon as I am back.",
    },
    "edited": {
        "fr": "J'ai vu que vous avez modifié un message. Je ne relis pas les messages modifiés : envoyez plutôt votre question dans un nouveau message.",
        "en": "I saw you edited a message. I don't re-read edited messages: please send your question as a new message.",
    },
    "choose_language": {
        "fr": "Dans quelle langue souhaitez-vous échanger ?",
        "en": "Which language would you like to use?",
    },
    "unknown_command": {
        "fr": "Je ne connais pas cette commande. Voici celles que je comprends :\n{commands}",
        "en": "I don't know that command. Here are the ones I understand:\n{commands}",
    },
    "expired_button": {
        "fr": "Ce bouton n'est plus valable. Posez-moi votre question par écrit.",
        "en": "This button is no longer valid. Please type your question.",
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
