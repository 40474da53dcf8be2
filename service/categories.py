"""Sections that list the cases of a category, and the instruction an article gives for that category.

A security page may say 'Report an incident within 1 hour of noticing it' in one section and list, under 'What
counts as an incident', the cases that are incidents ('You typed your passphrase into a page you now doubt'). The
asker describes a case ('I typed my passphrase into a fake login page'); the instruction shares no word with the
question, yet it is what they must do first.
"""

from __future__ import annotations

import re

from ragqa.sentences import content_terms, split_sentences

# 'What counts as an incident', 'Examples of a near miss', 'Types of leave'
_COUNTS_AS = re.compile(r"^(?:what (?:counts|qualifies) as|examples of|types of)\s+(?:an?\s+|the\s+)?"
                        r"(?P<thing>[\w -]{3,40}?)\s*\??$", re.I)
# A sentence that tells the reader what to do ('Report ...', 'Call ...').
DIRECTIVE = re.compile(r"^(?:report|tell|call|contact|inform|notify|email|raise|log|declare|submit|send)\b", re.I)


def category_listed(heading: str) -> str:
    """The category a section heading lists the cases of ('incident' for 'What counts as an incident'), or ''."""
    match = _COUNTS_AS.match(heading.strip())
    return match.group("thing") if match else ""


def directs_on(thing: str, text: str) -> bool:
    """Does a sentence of `text` tell the reader what to do about `thing` ('Report an incident within 1 hour')?"""
    wanted = content_terms(thing)
    return any(DIRECTIVE.match(s.readable) and wanted <= content_terms(s.readable)
               for s in split_sentences(text) if s.kind == "sentence")
