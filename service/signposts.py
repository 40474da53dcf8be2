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


# '... and the deadline for using them, are set out in the [leave carry-over policy](https://.../hr/leave-carry-over-2026)':
# what a passage says another article holds (the clause before this), and that article's address
_REFERRED = re.compile(r"\b(?:are|is) (?:set out|described|explained|covered|listed|given)\s+(?:in|on|under)\s+"
                       r"(?:the\s+|our\s+)?(?:current\s+|latest\s+|new\s+)?\[[^\]]{2,80}\]\((?P<url>[^)\s]+)\)", re.I)
_WHAT_BEFORE = 200  # characters of the sentence before a referral that say what the linked article holds


def referred(text: str) -> list[tuple[str, str, frozenset[str]]]:
    """(the link's address, its path without host or extension, the content words of what the text says the linked
    article holds) for each referral to another article by link ('The rules on how many days you may carry ... are
    set out in the [Leave carry-over policy](https://…/hr/leave-carry-over-2026)': 'hr/leave-carry-over-2026')."""
    if "](" not in text:
        return []  # (no link: most passages, read cheaply)
    text = " ".join(text.split())
    found = []
    for m in _REFERRED.finditer(text):
        before = text[max(0, m.start() - _WHAT_BEFORE):m.start()]
        what = re.split(r"[.!?]\s", before)[-1]
        url = m.group("url").split("#")[0].split("?")[0]
        path = re.sub(r"\.(?:md|html?)$", "", re.sub(r"^[a-z]+://[^/]+/", "", url, flags=re.I).strip("/"), flags=re.I)
        terms = frozenset(content_terms(what))
        if path and terms:
            found.append((url, path, terms))
    return list(dict.fromkeys(found))
