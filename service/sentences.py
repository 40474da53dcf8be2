"""Sentence spans of passages and answers, aware of Markdown lines (headings, bullets, table rows)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

_ABBREVIATIONS = {"e.g", "i.e", "etc", "vs", "mr", "mrs", "ms", "dr", "prof", "inc", "ltd", "no", "st", "approx",
                  "dept", "ext", "fig", "u.s", "u.k", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep",
                  "sept", "oct", "nov", "dec", "min", "max", "co", "jr", "sr"}
_BOUNDARY = re.compile(r"(?<=[.!?])[\"'”’)\]]*\s+(?=[\"'“‘(\[]?[A-Z0-9£€$])")
_BULLET = re.compile(r"^\s*(?:[-*+•]|\d+[.)])\s+")
_HEADING = re.compile(r"^\s*#{1,6}\s")
_WORD = re.compile(r"[A-Za-z0-9][A-Za-z0-9'’\-]*")
STOPWORDS = frozenset(
    """
a an the and or but if of to in on at by for with from as is are was were be been being do does did done can
could should would will shall may might must i me my we our you your he she it its they them their this that
these those there here what which who whom whose when where why how all any each some such no not only own
same so than too very just about into over after before under again further then once also am has have had
having up down out off more most other both few nor s t don now get got please tell know need want many much
""".split()
)


@dataclass(frozen=True, slots=True)
class Span:
    start: int
    end: int
    text: str
    kind: str  # "sentence", "item" (list item / table row) or "heading"


def split_sentences(text: str) -> list[Span]:
    """Sentences with offsets into `text`; each Markdown line kind is kept apart from prose."""
    spans: list[Span] = []
    offset = 0
    for line in text.splitlines(keepends=True):
        stripped = line.strip()
        if stripped:
            lead = len(line) - len(line.lstrip())
            if _HEADING.match(line):
                spans.append(Span(offset + lead, offset + lead + len(stripped), stripped, "heading"))
            elif _BULLET.match(line) or "|" in stripped:
                bullet = _BULLET.match(line)
                start = offset + (bullet.end() if bullet else lead)
                body = line[start - offset:].rstrip()
                spans.extend(_prose(body, start, kind="item"))
            else:
                spans.extend(_prose(line[lead:].rstrip(), offset + lead, kind="sentence"))
        offset += len(line)
    return [s for s in spans if s.text]


def _prose(text: str, base: int, kind: str) -> list[Span]:
    out: list[Span] = []
    start = 0
    for match in _BOUNDARY.finditer(text):
        candidate = text[start:match.start()].rstrip()
        last_word = candidate.rsplit(None, 1)[-1].rstrip(".!?").lower() if candidate else ""
        if last_word in _ABBREVIATIONS or re.fullmatch(r"[a-z]", last_word):
            continue
        out.append(Span(base + start, base + start + len(candidate), candidate, kind))
        start = match.end()
    tail = text[start:].rstrip()
    if tail:
        out.append(Span(base + start, base + start + len(tail), tail, kind))
    return out


@cache
def _stemmer():
    import Stemmer

    return Stemmer.Stemmer("english")


def content_terms(text: str) -> set[str]:
    """Stemmed content words (numbers kept): the vocabulary of term-overlap and containment checks."""
    words = [w.lower().strip("'’-") for w in _WORD.findall(text)]
    words = [w for w in words if w and w not in STOPWORDS]
    return set(_stemmer().stemWords(words))
