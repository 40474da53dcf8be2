"""A long quoted sentence loses the trailing clauses that say nothing the question asks about.

News and report prose packs several facts into one sentence ('Trump left early, missing meetings with Lee and
Albanese; a short meeting with Ishiba showed a deep gulf on tariffs'). Quoted whole, the asked fact sits among
padding. A tail after a clause boundary (a semicolon, a dash, or a comma before a connective such as 'but',
'while', 'with', 'adding') goes when it adds none of the question's words to what stays, holds no figure,
quotation or limit ('not', 'unless'), and what stays still answers: it holds the kind of value asked for, or
one of the question's words. What stays is the passage's own text from its start, so its citation still
supports it.
"""

from __future__ import annotations

import re

from ragqa.sentences import content_terms
from ragqa.service.grounding import VALUE_KINDS
from ragqa.service.question_types import has_value
from ragqa.words import matched_terms

LONG_SENTENCE = 30  # words: shorter sentences are quoted whole
MIN_HEAD_WORDS = 8  # what stays is a statement, not a stub ('The project, estimated at $44 billion.')

# Where a clause may end: before '; ', a spaced or unspaced dash, or ', ' and a connective that opens an aside.
_BOUNDARY = re.compile(
    r";\s+|\s+[—–]\s+|(?<=\w)—(?=\w)|\s+-\s+"
    r"|,(?P<quote>[”\"])?\s+(?=(?:but|while|whereas|with|adding|including|which|although|though|featuring"
    r"|as well as|despite|citing|saying|noting|according to|after|before|amid|following)\b)", re.I)
_FACT_MARK = re.compile(r"\d|[“”\"]")
# A tail that limits what the head says ('but that rate does not apply to ...', 'unless ...') is part of its truth.
_LIMITING = re.compile(r"\b(?:not|no|never|none|nor|neither|unless|except|only|without|cannot)\b|n['’]t\b", re.I)
_OPENERS, _CLOSERS = "(“[", ")”]"  # (not ‘’: the closing one is also an apostrophe, 'ASPI’s')


def _balanced(text: str) -> bool:
    """No bracket or quotation left open (a cut inside '“The U.S.-ROK Alliance …”' would break the quote)."""
    depth = sum(text.count(c) for c in _OPENERS) - sum(text.count(c) for c in _CLOSERS)
    return depth == 0 and text.count('"') % 2 == 0


def trimmed_to_question(sentence: str, question: str, kind: str) -> str:
    """`sentence` without its trailing clauses that hold none of `question`'s words; unchanged when short, when
    every tail speaks to the question, or when no shorter head still answers."""
    if len(sentence.split()) <= LONG_SENTENCE:
        return sentence
    q_terms = content_terms(question)
    if not q_terms:
        return sentence
    for cut in _BOUNDARY.finditer(sentence):
        # '... “The Alliance in 2025,” with remarks by ...': the quotation closes where the comma stood
        head = sentence[:cut.start()].rstrip(" ,") + (cut.group("quote") or "")
        tail = sentence[cut.end():]
        if len(head.split()) < MIN_HEAD_WORDS or not _balanced(head):
            continue
        if _FACT_MARK.search(tail):
            continue  # a figure or a quotation is what the sentence is there for ('a 20% discount', 'warrior spirit')
        if _LIMITING.search(tail):
            continue
        said = matched_terms(q_terms, content_terms(head))
        if matched_terms(q_terms, content_terms(tail)) - said:
            continue  # the tail speaks to a part of the question the head leaves out: keep it
        if has_value(kind, head, question) if kind in VALUE_KINDS else said:
            return head + "."
    return sentence
