"""What to do instead, beside a 'no'.

'Where do I leave my car at the Porto office?' is answered by 'There is no car parking at Rua do Almada 140.', and
'Can I paste customer data into ChatGPT?' by 'Never paste customer data ... into a public AI tool.': both true, and
neither is an answer a person can act on. Articles put what to do instead in the same paragraph ('Fernhill has an
agreement with the Parque Trindade public car park ...', 'Use Fernhill Assistant, the company's approved AI
assistant, ...'); that sentence goes with the 'no'.
"""

from __future__ import annotations

import re

from ragqa.sentences import Span, content_terms
from ragqa.words import matched_terms

# 'There is no car parking at ...', 'No parking is available', 'There are no lockers': the thing is absent; what
# the paragraph says next is where to find it instead.
_ABSENT = re.compile(r"^(?:there (?:is|are) no|there is nowhere|no\s+\w+(?:\s+\w+)?\s+(?:is|are) (?:available|provided"
                     r"|allowed))\b", re.I)
# 'Never paste ...', 'Do not share ...', 'Staff must not use ...': forbidden; a directive in the paragraph says
# what to use or do instead.
_FORBIDDEN = re.compile(r"^(?:never|do not|don't)\b|\b(?:must|may|should) not\b|\bmustn't\b|\bare not allowed\b"
                        r"|\bis not allowed\b|\bis (?:forbidden|prohibited)\b", re.I)
# A directive opens with a verb of doing ('Use Fernhill Assistant ...', 'Ask reception for ...'), or says it is the
# other way ('..., instead', 'Alternatively, ...').
_DIRECTIVE = re.compile(r"^(?:use|ask|choose|send|store|save|share|keep|book|take|go|call|contact|talk|speak|request"
                        r"|apply|follow|try|raise|open|log|put|leave|bring)\b|\binstead\b|^alternatively\b", re.I)
_NEGATED = re.compile(r"\b(?:no|not|never|cannot|can't|don't|nowhere)\b", re.I)


def alternative(spans: tuple[Span, ...], index: int, text: str) -> int | None:
    """The index of the sentence saying what to do instead of what sentence `index` rules out, in its own paragraph
    of `text` (the passage, which `spans` index into); None when it rules nothing out or the paragraph says no more.
    The alternative speaks of the same thing (shares a content word with the 'no')."""
    span = spans[index]
    if span.kind != "sentence":
        return None
    absent, forbidden = _ABSENT.match(span.readable), _FORBIDDEN.search(span.readable)
    if not (absent or forbidden):
        return None
    about = content_terms(span.readable)
    paragraph = _paragraph(spans, index, text)
    # after an absence, the next sentence; after a ban, the nearest directive either side
    order = [i for i in paragraph if i > index][:1] if absent else sorted(paragraph, key=lambda i: abs(i - index))
    for i in order:
        said = spans[i].readable
        if i == index or _NEGATED.search(said) or not matched_terms(about, content_terms(said)):
            continue
        if absent or _DIRECTIVE.search(said):
            return i
    return None


def _paragraph(spans: tuple[Span, ...], index: int, text: str) -> list[int]:
    """The sentence indexes of the paragraph holding `index` (no blank line and no other kind of span between)."""
    def joined(a: int, b: int) -> bool:
        return spans[a].kind == spans[b].kind == "sentence" and "\n\n" not in text[spans[a].end:spans[b].start]
    start = index
    while start > 0 and joined(start - 1, start):
        start -= 1
    end = index
    while end + 1 < len(spans) and joined(end, end + 1):
        end += 1
    return list(range(start, end + 1))
