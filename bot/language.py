"""Which language a founder is writing in, and which language Sanad answers in.

Messages are short, messy and mixed ("bjr c koi le technopark", "bghit n3ref les
programmes", "شنو هو البرنامج", "ok"), so :func:`detect` counts marker words of
French, English and Moroccan Darija (Latin letters, with Arabizi digits such as
"n3ref", "9ahwa"), and for Arabic script tells Darija (شنو، بغيت، ديال...) from
Modern Standard Arabic (هل، ماذا، أريد...). It answers only when one side wins.

Sanad answers in four languages: French, English, Arabic script (``ar``, for
Arabic and for Darija written in Arabic letters) and, for Darija in Latin letters,
Darija in Latin letters (``ary``) or French, as ``SANAD_DARIJA_REPLIES`` says.
:func:`next_language` keeps a conversation's language unless a message is
decisive: one ambiguous word ("ok", "merci", "salam", "شكرا") never flips it.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass

from bot.normalization import normalize_text

#: Languages Sanad understands and answers in ("ary": Moroccan Darija; as a reply language, in Latin letters).
LANGUAGES = ("fr", "en", "ar", "ary")
#: The reply language of a message that is neither decisive nor preceded by another.
DEFAULT_LANGUAGE = "fr"
#: Marker words a message needs for its language to replace the conversation's.
DECISIVE = 2


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

DARIJA = _words(
    """
    bghit bghina bghiti bgha bghat bghaw bghit kayn kayna kaynin kayen kain chno chnou chnu shno shnou achno
    wach wash wesh dyal dial dyali diali dyalna dialna dyalkom dialkom dyalek dialek kifach kifash kifch fayn
    feen afak 3afak 3afek 3afakom 3la 3and 3andi 3endi 3ndi 3andkom 3ndkom ntoma nta nti hna howa hiya
    hadi hadchi hada hadik daba ghadi ghadia mazal mazel ba9i ba9a bzaf bezzaf chwiya chwia chi wa9ila mzyan
    mzian zwin safi wakha wakhha iyeh bach besh 3lach 3lash imta emta fo9ach chhal ch7al shhal kolchi walo
    kaydir kandir n9der t9der ndir tdir 3tini 3tina fhamt fhemt machi mashi hnaya temma tema m3a m3ak m3ana
    mol sahbi khoya khouya bslama beslama nbghi kanbghi kanqelleb kan9elleb n3ref ne3ref nsowel nsewel
    ma3rftch ma3reftch makaynch makaynach ghir rah rani raha 3ndna 3andna li9dar dialhom dyalhom homa
    chkoun chkon chkun chkoune mwl moul wla wela wra fiha nsaw khliha khalli bghitch ma3ndich abadan ahlan
    lahou lah fik 3lik bzzaf daba wakha khassni khassek n9dar kifash mnin mneen ila ghi safi
    """
)
#: Moroccan words that French and English speakers in Morocco use too: a hint, not proof.
DARIJA_HINTS = _words(
    "salam slm salamo salamou inchallah inshallah hamdoulah hamdullah yallah choukran shukran chokran labas lbas "
    "baraka mashallah"
)
DARIJA_ARABIC = _words(
    """
    شنو شنهو اشنو واش وش بغيت بغينا بغا بغيتي نبغي كنبغي كاين كاينه كاينين ديال ديالي ديالنا ديالكم ديالك
    كيفاش فين فاين علاش فوقاش امتا امتى شحال دابا مزيان بزاف شويه شي هادشي هاد هادي هادا ماشي عافاك عفاك
    راه راني كندير نقدر تقدر غادي غاديه باش حيت دغيا صافي واخا نتا نتي حنا هوما كولشي والو مكاينش ماكاينش
    معرفتش فهمتش لاباس بسلامه خويا صاحبي شكون نعرف نسول مازال باقي ديالهم عندي عندكم عندنا
    عافاك ميرسي اش منين عاوني دوزني غالط خليها حبس ونص الماتش ف واه اه مسا كيداير بغيتش نكمل كاع بلا
    """
)
MSA_ARABIC = _words(
    """
    هل ماذا لماذا متى اين أين اريد أريد أود اود يمكنني يمكن لدي لديكم ليس هذا هذه الذي التي هناك ايضا أيضا
    سوف جدا كذلك حول الى إلى ذلك تلك اذا إذا نحن انتم أنتم استطيع أستطيع ارغب أرغب احتاج أحتاج بخصوص لقد
    قد كيف ما عن
    """
)

DARIJA_ARABIC_NORMAL = frozenset(map(normalize_text, DARIJA_ARABIC))
MSA_ARABIC_NORMAL = frozenset(map(normalize_text, MSA_ARABIC))

#: Words spelled alike in French and English say nothing about which one is meant.
_SHARED = FRENCH & ENGLISH

ARABIC_BLOCK = re.compile(r"[\u0600-\u06FF\u0750-\u077F\u08A0-\u08FF\uFB50-\uFDFF\uFE70-\uFEFF]")
_WORD = re.compile(r"[a-zà-ÿ0-9']+")
#: Arabizi: a Latin word with a digit standing for an Arabic letter ("n3ref", "ba9i", "3afak", "7na").
_ARABIZI = re.compile(r"^(?=.*[a-z])(?:[a-z']*[a-z][235789][a-z][a-z0-9']*|[379][a-z]{2,})$")
#: Darija verbs carry an aspect prefix: "kaydir", "kanbghi", "katkhdem"; Arabic script "كيدير", "كنبغي".
_DARIJA_VERB = re.compile(r"^(kay|kan|kat|tay|tan)[a-z3792]{3,}$")
_DARIJA_VERB_ARABIC = re.compile(r"^(كي|كن|كت)\w{2,}$")
#: Words of other languages shaped like Darija verbs or negations.
_LOOK_DARIJA = _words("tanger tangier tangiers kanban katana kayak tandem marrakech match sandwich")
_NOT_DARIJA_VERB_ARABIC = frozenset(map(normalize_text, _words("كيف كيفيه كيفية كنت كنتم كتاب كتب كتابه كيان")))
#: Hexadecimal ids and hashes ("3fa9c2") look like Arabizi; founders paste them (order numbers, codes).
_HEX = re.compile(r"(?=(?:[a-f]*\d){2})[0-9a-f]{6,}")
#: Latin words with digits that are not Arabizi ("3ans" is three years, "b2b" a market).
_NOT_ARABIZI = _words("b2b b2c b2g mp3 mp4 web3 h24 4g 5g 3d 2d 3ans 3mois 7ans 9ans 7mois 9mois 3jours 7jours")


@dataclass(frozen=True)
class Detection:
    """What one message says about its language."""

    language: str  #: "fr", "en", "ar" (Modern Standard Arabic) or "ary" (Darija, either script)
    script: str  #: "latin" or "arabic"
    evidence: int  #: marker words (for Arabic script: Arabic words) behind the verdict

    @property
    def decisive(self) -> bool:
        return self.evidence >= DECISIVE


def detect(text: str) -> Detection | None:
    """The language of ``text`` when it says so clearly, else None.

    Arabic script wins when its words outweigh the Latin evidence, so "حدثني عن Plug and Play"
    is Arabic despite its Latin brand name.
    """
    if not text:
        return None
    arabic = [w for w in re.split(r"[^\w]+", normalize_text(text)) if w and ARABIC_BLOCK.match(w[0])]
    latin = _detect_latin_script(text)
    if arabic and (latin is None or len(arabic) >= latin.evidence):
        darija = sum(1 for w in arabic if w in DARIJA_ARABIC_NORMAL or _darija_arabic_form(w))
        msa = sum(1 for w in arabic if w in MSA_ARABIC_NORMAL)
        return Detection("ary" if darija > msa else "ar", "arabic", len(arabic))
    return latin


def _darija_arabic_form(word: str) -> bool:
    if _DARIJA_VERB_ARABIC.match(word) and word not in _NOT_DARIJA_VERB_ARABIC:
        return True
    return word.startswith("ما") and word.endswith("ش") and len(word) > 4


def _darija_latin_form(word: str, previous: str) -> bool:
    """Darija by its shape: Arabizi, an aspect prefix, a negation, or a French/English noun with "l" glued."""
    if word in DARIJA or (_ARABIZI.match(word) and word not in _NOT_ARABIZI and not _HEX.fullmatch(word)):
        return True
    if word in _LOOK_DARIJA:
        return False
    negation = word.endswith("ch") and (previous == "ma" or (word.startswith("ma") and len(word) > 5))
    if negation or _DARIJA_VERB.match(word):
        return True
    glued = word[1:]
    return word[0] in "l" and len(glued) > 4 and (glued in FRENCH or glued in ENGLISH)


def _detect_latin_script(text: str) -> Detection | None:
    lowered = text.lower().replace("’", "'")
    words = _WORD.findall(lowered)
    tokens = words + [part for word in words if "'" in word for part in word.split("'") if part]
    french = sum(1 for t in tokens if t in FRENCH and t not in _SHARED)
    english = sum(1 for t in tokens if t in ENGLISH and t not in _SHARED)
    if re.search(r"[éèêàçùâîôœ]", lowered):
        french += 1
    darija = sum(3 for i, w in enumerate(words) if _darija_latin_form(w, words[i - 1] if i else ""))
    darija += sum(1 for w in words if w in DARIJA_HINTS)
    if darija >= DECISIVE and darija >= max(french, english):
        return Detection("ary", "latin", darija)
    if french > english:
        return Detection("fr", "latin", french)
    if english > french:
        return Detection("en", "latin", english)
    return None


def darija_replies() -> str:
    """How Sanad answers Darija in Latin letters: "ary" (Darija, the default) or "fr" (SANAD_DARIJA_REPLIES)."""
    choice = os.environ.get("SANAD_DARIJA_REPLIES", "ary").strip().lower()
    return choice if choice in ("ary", "fr") else "ary"


def reply_language(detection: Detection) -> str:
    """The language Sanad answers a message in: Arabic script gets Arabic script."""
    if detection.script == "arabic":
        return "ar"
    if detection.language == "ary":
        return darija_replies()
    return detection.language


def detect_language(text: str) -> str | None:
    """The language of ``text`` ("fr", "en", "ar", "ary") when it is clear, else None."""
    detection = detect(text)
    return detection.language if detection else None


def next_language(current: str | None, text: str) -> str | None:
    """The conversation's reply language after the founder wrote ``text``.

    The first clear message sets it; after that only a decisive one changes it,
    so "ok", "merci" or a lone "salam" in an English conversation keep English.
    """
    detection = detect(text)
    if detection is None:
        return current
    if current in LANGUAGES and not detection.decisive:
        return current
    return reply_language(detection)
