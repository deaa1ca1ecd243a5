"""Which programs and organizations a text names, however a founder spells them.

Names come from the catalog (program names and aliases, organization names and
the acronyms in them, sites, events), so a new row is recognised at once. Brand
names founders write in Arabic letters ("تكنوبارك", "غلوفو") are turned into the
Latin form the catalog uses before anything else (:func:`latinize`); a name
typed with one wrong letter ("tecnopark", "glovoo") still counts.
"""

from __future__ import annotations

import difflib
import functools
import re
from collections.abc import Iterable
from dataclasses import dataclass

from bot.answers.words import trie_pattern
from bot.vocabulary import fold

#: Spellings in Arabic letters of the brands the catalog writes in Latin letters.
BRANDS: dict[str, tuple[str, ...]] = {
    "technopark": ("تكنوبارك", "تيكنوبارك", "التكنوبارك", "التيكنوبارك", "تكنو بارك", "technoparc", "techno park"),
    "e-technopark": ("اي تكنوبارك", "إي تكنوبارك", "اي-تكنوبارك", "e technopark", "etechnopark", "e-technoparc"),
    "plug and play": (
        "بلاغ اند بلاي",
        "بلاغ آند بلاي",
        "بلاك اند بلاي",
        "بلاك آند بلاي",
        "بلوغ اند بلاي",
        "بلوك اند بلاي",
        "بلاك أند بلاي",
        "بلاغ أند بلاي",
        "plug&play",
        "plugandplay",
        "plug n play",
        "plug an play",
    ),
    "glovo": ("غلوفو", "جلوفو", "كلوفو", "ڭلوفو", "قلوفو"),
    "glovo startup lab": ("غلوفو ستارتاب لاب", "غلوفو ستارت اب لاب", "glovo lab", "glovo startuplab"),
    "um6p": ("يو ام 6 بي", "يو إم 6 بي", "يو ام سيكس بي", "um6 p", "um 6 p"),
    "um6p ventures": ("يو ام 6 بي فنتشرز", "um6p venture", "فنتشرز"),
    "cgem": ("سي جي اي ام", "سي جي إي إم", "سيجيم", "الباطرونا", "باطرونا", "patronat"),
    "cdg invest": ("سي دي جي", "سي دي جي انفست", "cdg"),
    "gitex": ("جيتكس", "جايتكس", "جيتيكس"),
    "partech": ("بارتك", "بارتيك", "بارتيش"),
    "maroc digital 2030": ("المغرب الرقمي 2030", "morocco digital 2030", "digital morocco 2030"),
    "kaoun international": ("كاون", "كاون انترناشيونال"),
    "mitc": ("ام اي تي سي",),
}

_TYPO_MIN = 5
_TYPO_CUTOFF = 0.8


@dataclass(frozen=True)
class Mentions:
    """The names found in a text, each as the subjects it names, and the text with those names blanked out."""

    groups: tuple[frozenset[str], ...]
    rest: str

    @property
    def subjects(self) -> frozenset[str]:
        return frozenset().union(*self.groups)


@dataclass(frozen=True)
class Names:
    """Folded name -> the subjects it names ("program:<id>", "org:<id>", "site:<id>", "event:<id>")."""

    table: dict[str, frozenset[str]]

    @functools.cached_property
    def _pattern(self) -> re.Pattern[str]:
        """Every name, longest first, as whole words."""
        return re.compile(rf"(?<![\w-])(?:{trie_pattern(self.table)})(?![\w-])")

    @classmethod
    def of(cls, entries: Iterable[tuple[str, str]]) -> Names:
        """From (name as written, subject) pairs; a name shared by two subjects names both."""
        table: dict[str, set[str]] = {}
        for name, subject in entries:
            folded = fold(latinize(name))
            if len(folded) >= 2:
                table.setdefault(folded, set()).add(subject)
        return cls({name: frozenset(subjects) for name, subjects in table.items()})

    def preferring(self, owned: dict[str, tuple[str, ...]]) -> Names:
        """A name both an organization's and a program's alias names the organization (and the programs it
        runs, ``owned``): "UM6P Ventures" is the investor, not an alias of the program it partners in."""
        table = {}
        for name, subjects in self.table.items():
            orgs = {s for s in subjects if s.startswith("org:")}
            programs = {s for s in subjects if s.startswith("program:")}
            if orgs and programs:
                kept = {p for org in orgs for p in owned.get(org, ())}
                subjects = frozenset(orgs | (programs & kept))
            table[name] = subjects
        return Names(table)

    def find(self, text: str) -> Mentions:
        """Every name in ``text`` (longest first, whole words), then single words one letter off a name."""
        found: list[frozenset[str]] = []

        def take(match: re.Match[str]) -> str:
            found.append(self.table[match.group(0)])
            return " "

        folded = self._pattern.sub(take, f" {fold(latinize(text))} ")
        one_word = [name for name in self.table if " " not in name and len(name) >= _TYPO_MIN]
        words = folded.split()
        for index, word in enumerate(words):
            if len(word) >= _TYPO_MIN:
                close = difflib.get_close_matches(word, one_word, n=1, cutoff=_TYPO_CUTOFF)
                if close:
                    found.append(self.table[close[0]])
                    words[index] = " "
        return Mentions(tuple(dict.fromkeys(found)), " ".join(words))


@functools.lru_cache(maxsize=1)
def _brands() -> tuple[re.Pattern[str], dict[str, str]]:
    spelled = {fold(spelling): latin for latin, spellings in BRANDS.items() for spelling in spellings}
    return re.compile(rf"(?<![\w-])[وبلف]?(?:ال)?({trie_pattern(spelled)})(?![\w-])"), spelled


def latinize(text: str) -> str:
    """``text`` with Arabic-letter spellings of catalog brands written as the catalog writes them."""
    pattern, spelled = _brands()
    return " ".join(pattern.sub(lambda match: f" {spelled[match.group(1)]} ", f" {fold(text)} ").split())
