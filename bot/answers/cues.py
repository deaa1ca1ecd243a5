"""What a question asks about (its aspect), read from the phrases founders use, in four languages.

"Combien de temps dure…", "how long…", "ch7al kaydom…", "كم مدة…" all ask for a
duration. Each aspect lists such phrases; :func:`aspects_of` finds them in a
question, longest first, so "date limite" (a deadline) is not also read as
"date" (when a program started). The same phrases are added to the catalog
passages that hold that aspect, so a question and its answer share words even
when the catalog's own sentence does not use the founder's ("3 mois" has no
"combien de temps").

The lists are data (``data/cues.yml``): add a phrase where founders' words are
missed. Phrases are compared folded (no accents, one Arabic spelling), on word
boundaries.
"""

from __future__ import annotations

import functools
import re
from pathlib import Path

import yaml

from bot.answers.words import stem, trie_pattern, words

DATA = Path(__file__).parent / "data" / "cues.yml"
#: aspect -> phrases (French, English, Arabic, Darija in Latin letters, Darija in Arabic letters)
CUES: dict[str, tuple[str, ...]] = {
    aspect: tuple(phrases) for aspect, phrases in yaml.safe_load(DATA.read_text(encoding="utf-8")).items()
}

#: Aspects no catalog field holds: asked about a program, they get "our sources do not say".
NO_FIELD = ("cost", "contact", "amount", "equity", "selection", "language", "upcoming", "people")
#: An aspect asked also asks these ("how many startups" asks for a figure).
IMPLIES: dict[str, frozenset[str]] = {
    "capacity": frozenset({"count"}),
    "organizations": frozenset({"leader"}),
    "signatories": frozenset({"organizations"}),
}


#: Cue phrases compare longer Latin stems than the search does: "partenaires" is not "partenariat".
CUE_STEM = 8


def _stems(text: str) -> list[str]:
    return [stem(word, CUE_STEM) for word in words(text)]


@functools.lru_cache(maxsize=1)
def _compiled() -> tuple[re.Pattern[str], dict[str, str]]:
    """One pattern for every phrase, as stems (so "organisent" meets "organise", "يسانده" meets "يساند"),
    longest first so the longest phrase at a place wins; and stemmed phrase -> aspect."""
    owner: dict[str, str] = {}
    for aspect, values in CUES.items():
        for phrase in values:
            stemmed = " ".join(_stems(phrase))
            if stemmed:
                owner.setdefault(stemmed, aspect)
    return re.compile(rf"(?<![^ ])(?:{trie_pattern(owner)})(?![^ ])"), owner


def asking_where(text: str) -> str:
    """French "où" (where) folds to "ou" (or): say "where" instead before folding."""
    return re.sub(r"(?<!\w)où(?!\w)", " where ", text, flags=re.IGNORECASE)


def split_cues(text: str) -> tuple[dict[str, int], str]:
    """The aspects ``text`` asks about (-> how many of their phrases it holds), and its words without them.

    At each place the longest phrase is read and taken out, so a shorter one inside it does not count again.
    """
    pattern, owner = _compiled()
    folded = words(asking_where(text))
    stems = [stem(word, CUE_STEM) for word in folded]
    joined = " ".join(stems)
    starts = [0]
    for item in stems[:-1]:
        starts.append(starts[-1] + len(item) + 1)
    found: dict[str, int] = {}
    taken: set[int] = set()
    for match in pattern.finditer(joined):
        aspect = owner[match.group(0)]
        for asked in (aspect, *IMPLIES.get(aspect, ())):
            found[asked] = found.get(asked, 0) + 1
        taken |= {n for n, start in enumerate(starts) if match.start() <= start < match.end()}
    return found, " ".join(word for n, word in enumerate(folded) if n not in taken)


def text_aspects(text: str) -> frozenset[str]:
    """The aspects a catalog sentence speaks to, by the same phrases (a fact on conferences speaks to events)."""
    return frozenset(split_cues(text)[0])


def cue_text(aspects: tuple[str, ...] | frozenset[str]) -> str:
    """The phrases of ``aspects`` as one text, added to a catalog passage's searchable words."""
    return " ".join(phrase for aspect in sorted(aspects) for phrase in CUES[aspect])
