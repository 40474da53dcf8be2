"""What a question asks for (a figure, a date, a contact, steps...) and what a sentence answering it looks like."""

from __future__ import annotations

import re

KINDS = ("steps", "contact", "person", "date", "number", "place", "list", "yesno", "definition", "other")

# Checked in this order: the first that matches is the question's kind.
_PATTERNS: list[tuple[str, re.Pattern]] = [
    ("steps", re.compile(r"\bwhat (?:should|do|must|can) (?:i|we|you) do\b|\bhow (?:do|can|should|would) (?:i|we|you)"
                         r"\b(?! (?:know|find out)\b)|\bhow to\b"
                         r"|\bwhat (?:are the |is the )?(?:steps|procedure|process)"
                         r"\b|\bsteps? (?:to|for)\b|\bwhat happens (?:if|when)\b", re.I)),
    ("contact", re.compile(r"\bwho (?:do|should|can|must) (?:i|we) (?:call|ring|phone|contact|ask|tell|email|report"
                           r"|notify)\b|\b(?:phone|telephone|hotline|extension) number\b|\bwhat number\b|\bemail"
                           r" address\b|\bhow (?:do|can) i (?:contact|reach)\b|\bcontact details?\b", re.I)),
    ("person", re.compile(r"^\s*(?:who|whom|whose)\b|\bwhich (?:person|team|manager|director)\b", re.I)),
    ("date", re.compile(r"^\s*when\b|\b(?:by|until|till) when\b|\bwhat (?:date|day|time|year|month)\b|\bwhich "
                        r"(?:date|day|year|month)\b|\bdeadline\b|\bhow (?:soon|early|far in advance)\b", re.I)),
    ("number", re.compile(r"\bhow (?:many|much|long|often|old|far|big|large|high|low|fast)\b|\bwhat(?:'s| is)? "
                          r"(?:the )?(?:rate|limit|cap|cost|price|amount|percentage|share|size|number|maximum|minimum"
                          r"|allowance|per diem|budget|fee|salary)\b|\bnumber of\b", re.I)),
    ("place", re.compile(r"^\s*where\b|\bwhich (?:floor|room|building|office|site|address)\b", re.I)),
    ("list", re.compile(r"\bwhat (?:are|were) (?:the )?(?:\w+ ){0,3}(?:levels|types|kinds|options|rules|classes"
                        r"|categories|requirements|benefits|holidays)\b|\b(?:list|name) (?:the|all)\b|\bwhich \w+ "
                        r"(?:are|count)\b", re.I)),
    ("yesno", re.compile(r"^\s*(?:is|are|am|was|were|can|could|do|does|did|may|might|must|should|shall|will|would"
                         r"|have|has)\b", re.I)),
    ("definition", re.compile(r"^\s*what (?:is|are|was|were) (?:a |an |the )?\w+(?: \w+)?\s*\??\s*$|\bwhat does .+ "
                              r"mean\b|\bdefine\b|\bmeaning of\b", re.I)),
]

_MONTH = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*"
_SHAPES: dict[str, re.Pattern] = {
    "number": re.compile(r"\d|\b(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|twenty|thirty"
                         r"|hundred|thousand|million|billion|half|dozen|once|twice|percent|unlimited"
                         r"|no limit)\b", re.I),
    "date": re.compile(rf"\b\d{{1,2}}[:.]\d{{2}}\b|\b{_MONTH}\b|\b(?:monday|tuesday|wednesday|thursday|friday|saturday"
                       rf"|sunday|day|week|month|year|quarter)s?\b|\b(?:19|20)\d\d\b|\bwithin\b|\bbefore\b|\bby\b",
                       re.I),
    "contact": re.compile(r"\bext\.? ?\d|\+\d|\b\d{3,}\b|@|#[\w-]+|\b(?:call|ring|phone|email|hotline|help desk"
                          r"|contact|report)\b", re.I),
    "person": re.compile(r"\b(?:manager|director|team|officer|coordinator|owner|lead"
                         r"|head|controller|approver|desk)\b"),
    "place": re.compile(r"\b(?:floor|room|building|street|lane|road|office|reception|entrance|site|desk|basement"
                        r"|ground)\b|\b[A-Z][a-z]+ (?:Street|Lane|Road|Square|Park)\b", re.I),
}


def question_kind(question: str) -> str:
    """One of KINDS: what the question asks for."""
    for kind, pattern in _PATTERNS:
        if pattern.search(question):
            return kind
    return "other"


def has_shape(kind: str, sentence: str) -> bool:
    """Does the sentence hold the kind of thing asked for (a figure for 'how many', a time for 'when')?"""
    shape = _SHAPES.get(kind)
    return bool(shape and shape.search(sentence))


def wants_sequence(kind: str) -> bool:
    """Steps and lists are answered whole and in their order, not cut to a few sentences."""
    return kind in ("steps", "list")
