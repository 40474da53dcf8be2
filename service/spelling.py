"""Typos in a question, mended from the words of the articles the asker may read ('min pasword length?').

Only the slips people make most, and that rarely turn one real word into another: two letters swapped
('reciept'), a letter doubled or not ('pasword', 'acommodation'), and in a long word a letter left out
('portugese', 'enviroment'). A word is mended only when no article the asker may read uses it (in any inflection),
and only to a word one such slip away that they do use, the most used one; never a short word, a stop word or a
name (capitalised inside the question), unless what it is mended to names a country ('Portugese'). Other slips are
not tried: one vowel for another turns 'decide' into 'decade' and 'became' into 'become', dropping a letter
'brother' into 'bother'.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from ragqa.places import countries_named
from ragqa.sentences import STOPWORDS
from ragqa.words import stemmer

MIN_LENGTH = 6  # shorter words are too often another real word one slip away
LEFT_OUT_MIN_LENGTH = 8  # ... and a letter left out only of longer ones ('bother' is a word, 'brother' another)
_WORD = re.compile(r"[A-Za-z]+")


def _slips(word: str) -> set[str]:
    """The words one common slip away: a swapped pair, a letter doubled (never thrice) or undoubled, and in a long
    word a letter left out."""
    out: set[str] = set()
    for i in range(len(word) - 1):
        if word[i] != word[i + 1]:
            out.add(word[:i] + word[i + 1] + word[i] + word[i + 2:])  # swapped
        else:
            out.add(word[:i] + word[i + 1:])  # undoubled
    for i, letter in enumerate(word):
        if letter not in word[max(0, i - 1):i] and letter not in word[i + 1:i + 2]:
            out.add(word[:i] + letter + word[i:])  # doubled
    if len(word) >= LEFT_OUT_MIN_LENGTH:
        out.update(word[:i] + letter + word[i:] for i in range(1, len(word)) for letter in _LETTERS)  # left out
    out.discard(word)
    return out


_LETTERS = "abcdefghijklmnopqrstuvwxyz"


def _same_family(word: str, slip: str, stem: Callable[[str], str]) -> bool:
    """Is the word another form of the slip's own word family, not a misspelling of it? The articles' words are
    counted by their stems: 'notifiication' stems to 'notify''s 'notifi', of which 'notification' ('notif') is a
    real form the articles just do not use."""
    a, b = stem(word), stem(slip)
    return a.startswith(b) or b.startswith(a)


def mended_spelling(question: str, counts: Callable[[list[str]], dict[str, int]]) -> str:
    """The question with each word the articles do not use, one common slip from a word they do, written as that
    word; unchanged when nothing needs mending. `counts(words)`: how many passages the asker may read use each
    word (Retriever.word_counts)."""
    found = [m for m in _WORD.finditer(question) if len(m.group(0)) >= MIN_LENGTH
             and m.group(0).lower() not in STOPWORDS]
    if not found:
        return question
    used = counts([m.group(0).lower() for m in found])
    unknown = [m for m in found if not used.get(m.group(0).lower())]
    if not unknown:
        return question
    stem = stemmer().stemWord  # (the keyword index's stemmer, by which the counts were taken)
    slips = {m.group(0).lower(): sorted(_slips(m.group(0).lower())) for m in unknown}
    near = counts(sorted({s for options in slips.values() for s in options}))
    for match in reversed(unknown):  # from the end, so earlier offsets stay valid
        word = match.group(0)
        named = word[:1].isupper() and match.start() > 0
        options = [s for s in slips[word.lower()] if near.get(s) and not _same_family(word.lower(), s, stem)
                   and (not named or countries_named(s.capitalize()))]
        if options:
            best = max(options, key=lambda s: (near[s], s))
            best = best.capitalize() if word[:1].isupper() else best
            question = question[:match.start()] + best + question[match.end():]
    return question
