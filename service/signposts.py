"""Sections a passage points to by name: 'may be done alone under the lone-working procedure below'.

The passage that matches a question best often only says that the rule is elsewhere in the article, and the section
it names shares few words with the question, so retrieval leaves it out. The named section is fetched with it.
"""

from __future__ import annotations

import re

from ragqa.words import content_terms

# 'the lone-working procedure below', 'the steps further down', 'the table later in this article'
_SIGNPOST = re.compile(r"\b(?:the|our|this)\s+([A-Za-z][\w'’ -]{2,50}?)\s+(?:below|further down|later in this "
                       r"(?:page|article|policy))\b", re.I)

_VERB = re.compile(r"\b(?:is|are|was|were|be|set|listed|shown|given|described|explained|found)\b", re.I)


def signposted(text: str) -> list[frozenset[str]]:
    """The content words of each section name the text points to below ('lone-working procedure': {lone, work,
    procedur}), in order, without repeats."""
    found = [frozenset(content_terms(m.group(1).replace("-", " "))) for m in _SIGNPOST.finditer(text)
             if not _VERB.search(m.group(1))]  # 'the rules are below': no section named
    return list(dict.fromkeys(terms for terms in found if terms))


def names_section(terms: frozenset[str], heading: str) -> bool:
    """Does the heading name the section (all the signpost's words, in any form: 'Lone working procedure')?"""
    return terms <= set(content_terms(heading.replace("-", " ")))
