"""Spelling normalisation for Arabic script and Arabizi, so variants of one word look alike to the model.

Founders type the same Arabic word many ways: أ/إ/آ/ا, ة/ه at a word's end, ى/ي,
with or without diacritics, stretched with tatweel (ـ) or repeated letters
("شكراااا", "merciii"), with Arabic-Indic digits (٢٠٢١). The NLU pipeline sees one
form of each (``bot.text_normalizer`` runs this first), which
``bench/languages.py`` measured against the raw text.

Latin-script Darija keeps its Arabizi digits (3 = ع, 7 = ح, 9 = ق, 2 = ء): they
are letters there, and the character n-grams learn them. Only the rarer 5 (خ)
and 8 (غ) inside a word become "kh" and "gh", the spellings most founders use.

Entity offsets of training examples follow the text through
:func:`normalize_with_offsets`.
"""

from __future__ import annotations

import re

#: One Arabic character -> its normal form ("" removes it).
_ARABIC = {
    "أ": "ا",
    "إ": "ا",
    "آ": "ا",
    "ٱ": "ا",
    "ى": "ي",
    "ة": "ه",
    "ؤ": "و",
    "ئ": "ي",
    "ک": "ك",
    "ی": "ي",
    "ڭ": "ك",
    "گ": "ك",
    "ـ": "",  # tatweel
    "؟": "?",
    "،": ",",
    "؛": ";",
}
_ARABIC.update({chr(code): "" for code in range(0x064B, 0x0653)})  # harakat, shadda, sukun
_ARABIC.update({"\u0670": "", "\u0653": "", "\u0654": "", "\u0655": ""})
_ARABIC.update({chr(0x0660 + d): str(d) for d in range(10)})  # Arabic-Indic digits
_ARABIC.update({chr(0x06F0 + d): str(d) for d in range(10)})  # Persian digits

#: Arabizi digits that stand for two Latin letters in most spellings, inside a Latin word.
_ARABIZI = {"5": "kh", "8": "gh"}
_LATIN = re.compile(r"[a-zA-Z]")
_STRETCH = 3  # a letter repeated this many times or more is one letter stretched


def normalize_text(text: str) -> str:
    """The normal form of ``text`` (see the module docstring)."""
    return normalize_with_offsets(text)[0]


def normalize_with_offsets(text: str) -> tuple[str, list[int]]:
    """The normal form and, for each position 0..len(text) of ``text``, its position in that form.

    An entity spanning ``text[start:end]`` spans ``normal[offsets[start]:offsets[end]]``.
    """
    pieces: list[str] = []
    offsets: list[int] = []
    length = 0
    for index, char in enumerate(text):
        offsets.append(length)
        piece = _piece(text, index, char)
        pieces.append(piece)
        length += len(piece)
    offsets.append(length)
    return "".join(pieces), offsets


def _piece(text: str, index: int, char: str) -> str:
    """What ``text[index]`` becomes, given its neighbours."""
    if char.isalpha() and _stretched(text, index):
        return ""
    if char in _ARABIC:
        return _ARABIC[char]
    if char in _ARABIZI and _between_latin_letters(text, index):
        return _ARABIZI[char]
    return char


def _stretched(text: str, index: int) -> bool:
    """True for the 2nd, 3rd... of a run of at least ``_STRETCH`` equal letters (the first one stays)."""
    char = text[index]
    if index == 0 or text[index - 1] != char:
        return False
    start = index
    while start > 0 and text[start - 1] == char:
        start -= 1
    end = index
    while end + 1 < len(text) and text[end + 1] == char:
        end += 1
    return end - start + 1 >= _STRETCH


def _between_latin_letters(text: str, index: int) -> bool:
    before = index > 0 and bool(_LATIN.match(text[index - 1]))
    after = index + 1 < len(text) and bool(_LATIN.match(text[index + 1]))
    return before and after
