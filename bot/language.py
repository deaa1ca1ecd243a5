"""Which language a founder is writing in, from one message, without a model download.

Sanad answers in the founder's language. Messages are short and messy ("bjr c
koi le technopark", "ok", "MVP"), so the detector counts function words and
SMS spellings typical of each language and only answers when one side clearly
wins; otherwise it returns None and the conversation keeps its language.
Arabic script is recognised by its Unicode block.
"""

from __future__ import annotations

import re
import unicodedata


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


FRENCH = _words(
    """
    je j tu il elle on nous vous ils elles le la les l un une des du de d au aux et ou mais donc est
    suis sont sommes etes es ai as avons avez ont c ce cet cette ces ca ça qui que quoi quel quelle
    quels quelles comment pourquoi combien quand ou où avec pour pas plus tres très bien merci
    bonjour bonsoir salut slt bjr bsr cc coucou svp stp oui non ouais mon ma mes notre nos votre vos
    leur leurs programme programmes accompagnement financement éligible eligible startup startups je
    veux voudrais peux puis dois faut sur dans chez koi kel c'est cest jsuis jveux jvoudrais sa ya y
    a il y est-ce qu qu' moi toi parle parler aide aider besoin conseiller postuler candidater
    société entreprise créée ans mois ville secteur stade
    """
)

ENGLISH = _words(
    """
    i me my mine you your yours he she it we us our they them their the a an and or but so is am are
    was were be been being do does did have has had what which who whom how why when where can could
    would should will shall may might must not no yes yeah yep nope please thanks thank hello hi hey
    good morning evening there this that these those to of in on at for with about program programs
    programme support funding eligible startup startups want need help talk advisor apply company
    years months city sector stage tell show give get any some
    """
)

#: Words spelled alike in both languages say nothing about which one is meant.
_SHARED = FRENCH & ENGLISH

ARABIC_BLOCK = re.compile(r"[\u0600-\u06FF\u0750-\u077F\u08A0-\u08FF\uFB50-\uFDFF\uFE70-\uFEFF]")
_WORD = re.compile(r"[a-zà-ÿ']+")


def detect_language(text: str) -> str | None:
    """'fr', 'en' or 'ar' when the message says so clearly, else None."""
    if not text:
        return None
    letters = [ch for ch in text if unicodedata.category(ch).startswith("L")]
    if not letters:
        return None
    arabic = sum(1 for ch in letters if ARABIC_BLOCK.match(ch))
    if arabic / len(letters) > 0.5:
        return "ar"
    words = _WORD.findall(text.lower().replace("’", "'"))
    tokens = [part for word in words for part in re.split(r"'", word) if part] + words
    french = sum(1 for t in tokens if t in FRENCH and t not in _SHARED)
    english = sum(1 for t in tokens if t in ENGLISH and t not in _SHARED)
    if re.search(r"[éèêàçùâîôœ]", text.lower()):
        french += 1
    if french > english:
        return "fr"
    if english > french:
        return "en"
    return None
