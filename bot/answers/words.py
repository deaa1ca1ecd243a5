"""Words as the answer finder compares them: one form per word across spellings, scripts and inflections.

A founder's "accompagnées", "l'accompagnement" and "accompagner" should meet the
catalog's "accompagnées"; "الشركات" and "شركة", "startups" and "ستارتاب" too. So
every text (a question or a catalog passage) goes through :func:`terms`:

1. :func:`bot.vocabulary.fold` (lower case, no accents, one Arabic spelling);
2. split into words of Latin letters and digits, or of Arabic letters;
3. a light stem: Latin words lose a plural ``s`` and are cut to six letters;
   Arabic words lose glued prefixes (و، ف، ب، ل، ك، ال...) and common suffixes;
4. words of one meaning in several languages (:data:`CONCEPTS`) become one term.

No dictionary, no model: the catalog is small, and what matters is that a
question and the passage that answers it end up with the same terms.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import yaml
from spacy.lang.ar.stop_words import STOP_WORDS as ARABIC_STOP_WORDS
from spacy.lang.en.stop_words import STOP_WORDS as ENGLISH_STOP_WORDS
from spacy.lang.fr.stop_words import STOP_WORDS as FRENCH_STOP_WORDS

from bot.language import DARIJA, DARIJA_ARABIC, DARIJA_HINTS
from bot.vocabulary import fold

_WORD = re.compile(r"[a-z0-9]+|[\u0621-\u064a]+|%")
_LATIN_STEM = 6
_ARABIC_PREFIXES = ("وال", "بال", "فال", "كال", "لل", "ال", "و", "ف", "ب", "ل", "ك")
# Not "ي": it ends adjectives ("دولي", international) as often as it means "my".
_ARABIC_SUFFIXES = ("ات", "ون", "ين", "ها", "هم", "كم", "نا", "ه")
_ARABIC_MIN = 3

#: Words that mean one thing across the four languages (and their usual spellings), one term each.
CONCEPTS: dict[str, tuple[str, ...]] = {
    concept: tuple(words)
    for concept, words in yaml.safe_load((Path(__file__).parent / "data" / "concepts.yml").read_text("utf-8")).items()
}

#: Politeness and fillers founders add; none of them names a topic.
FILLERS = """
svp stp pls plz please merci thanks thank bonjour bonsoir salut slt bjr hello hi hey dear
voudrais veux aimerais souhaite savoir connaitre dire dites expliquer explique want know like tell
bghit bghina nbghi n3ref na3ref n3rf ne3ref nsowel nsewel 3afak 3afakom afak khoya sahbi wach
est-ce c'est cest koi kwa quoi ok okay oui non
بغيت نعرف عافاك عفاك واش شنو سلام مرحبا شكرا السلام عليكم من فضلك اريد أريد أود اود
"""
#: Question words that carry no topic, in the four languages (the aspect cues are read before these go).
STOP_WORDS = frozenset(
    fold(w)
    for w in (
        *FRENCH_STOP_WORDS,
        *ENGLISH_STOP_WORDS,
        *ARABIC_STOP_WORDS,
        *DARIJA,
        *DARIJA_ARABIC,
        *DARIJA_HINTS,
        *FILLERS.split(),
    )
)


def trie_pattern(phrases: Iterable[str]) -> str:
    """One regular expression for many phrases, as a trie ("ab|ac" -> "a(?:b|c)"): fast on thousands of them.

    Alternatives are ordered longest first at every branch, so the longest phrase at a place wins.
    """
    trie: dict[str, Any] = {}
    for phrase in phrases:
        node = trie
        for char in phrase:
            node = node.setdefault(char, {})
        node[""] = {}

    def render(node: dict[str, Any]) -> str:
        branches = [re.escape(char) + render(child) for char, child in node.items() if char]
        branches.sort(key=len, reverse=True)
        if "" in node:
            return f"(?:{'|'.join(branches)})?" if branches else ""
        return branches[0] if len(branches) == 1 else f"(?:{'|'.join(branches)})"

    return render(trie) if trie else "(?!)"  # no phrase: a pattern that never matches


def _stem_latin(word: str, length: int = _LATIN_STEM) -> str:
    if len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
        word = word[:-1]
    return word[:length]


def _stem_arabic(word: str) -> str:
    for prefix in _ARABIC_PREFIXES:
        if word.startswith(prefix) and len(word) - len(prefix) >= _ARABIC_MIN:
            word = word[len(prefix) :]
            break
    for suffix in _ARABIC_SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= _ARABIC_MIN:
            return word[: -len(suffix)]
    return word


def stem(word: str, latin: int = _LATIN_STEM) -> str:
    """The comparable form of one folded word (Latin words cut to ``latin`` letters)."""
    if word.isdigit() or word == "%":
        return word
    return _stem_arabic(word) if "\u0621" <= word[0] <= "\u064a" else _stem_latin(word, latin)


def words(text: str) -> list[str]:
    """The folded words of ``text``, in order ("l'accompagnement" gives "l", "accompagnement")."""
    return _WORD.findall(fold(text))


def concept_clashes() -> dict[tuple[str, ...], list[str]]:
    """Stemmed phrases that two concepts claim (the first one listed keeps them)."""
    claims: dict[tuple[str, ...], list[str]] = {}
    for concept, surfaces in CONCEPTS.items():
        for surface in surfaces:
            owners = claims.setdefault(tuple(stem(w) for w in words(surface)), [])
            if concept not in owners:
                owners.append(concept)
    return {key: owners for key, owners in claims.items() if len(owners) > 1}


@functools.lru_cache(maxsize=1)
def _concepts() -> tuple[dict[tuple[str, ...], str], int]:
    """Stemmed phrase -> concept, and the longest phrase's length in words."""
    table: dict[tuple[str, ...], str] = {}
    for concept, surfaces in CONCEPTS.items():
        for surface in surfaces:
            table.setdefault(tuple(stem(w) for w in words(surface)), concept)
    return table, max(len(key) for key in table)


def terms(text: str) -> list[str]:
    """The terms of ``text``: concepts first ("feuille de route" -> one term), then the stems of the other
    words that name something (question words, fillers and single letters dropped)."""
    folded = words(text)
    stems = [stem(w) for w in folded]
    table, longest = _concepts()
    result: list[str] = []
    index = 0
    while index < len(stems):
        for size in range(min(longest, len(stems) - index), 0, -1):
            concept = table.get(tuple(stems[index : index + size]))
            if concept:
                result.append("~" + concept)
                index += size
                break
        else:
            word = folded[index]
            if word not in STOP_WORDS and (len(word) > 1 or word.isdigit()):
                result.append(stems[index])
            index += 1
    return result


def content(text: str) -> str:
    """The words of ``text`` that name something (folded, unstemmed): what letters are compared on."""
    return " ".join(w for w in words(text) if w not in STOP_WORDS and len(w) > 1)
