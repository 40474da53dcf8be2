"""Words of a text: lower-cased tokens, stop words and stems (term overlap, containment, table rows)."""

from __future__ import annotations

import re
from functools import cache

_WORD = re.compile(r"\d+(?:[.,]\d+)*|[A-Za-z][A-Za-z0-9'’]*(?:\.[A-Za-z0-9]+)*")
STOPWORDS = frozenset(
    """
a an the and or but if of to in on at by for with from as is are was were be been being do does did done can
could should would will shall may might must i me my we our you your he she it its they them their this that
these those there here what which who whom whose when where why how all any each some such no not only own
same so than too very just about into over after before under again further then once also am has have had
having up down out off more most other both few nor s t don now get got please tell know need want many much
i'm i've i'd i'll you're we're we've they're it's that's what's there's who's can't don't doesn't isn't won't
""".split()
)


@cache
def _stemmer():
    import Stemmer

    return Stemmer.Stemmer("english")


def words(text: str) -> list[str]:
    """Lower-cased words and numbers ('U.S.' -> 'us', '50,000' -> '50000')."""
    out = []
    for w in _WORD.findall(text):
        w = w.lower().strip("'’")
        if w[:1].isdigit():
            w = w.replace(",", "")
        elif "." in w:
            w = w.replace(".", "")
        if w:
            out.append(w)
    return out


def content_terms(text: str) -> set[str]:
    """Stemmed content words (numbers kept): the vocabulary of term-overlap and containment checks."""
    return set(_stemmer().stemWords([w for w in words(text) if w not in STOPWORDS]))


def stem(word: str) -> str:
    return _stemmer().stemWord(word.lower())
