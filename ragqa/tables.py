"""Table rows read as sentences, and which row of a table a question is about.

A row is said in words from its headers ("For Porto contracts, the probation period is 90 days."), and rows are
told apart by the words that differ between them: the question's qualifiers pick a row; without one, the
general row (the first, or one saying "most", "standard", "all") wins over the exceptions below it.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ragqa.sentences import Span

# Row labels that describe the usual case, and those that describe an exception to it.
_GENERAL = re.compile(r"\b(most|standard|default|general|all|any|every|normal|usual|regular|basic|base|less than"
                      r"|under|up to|other|everyone|typical)\b", re.I)
_EXCEPTION = re.compile(r"\b(senior|or more|more than|over|above|after|exceed\w*|only|special|except\w*|higher"
                        r"|extended|premium|executive|director\w*|long[- ]service)\b", re.I)
# A first cell that is a quantity or a range reads "where the <header> is <cell>", not "for <cell>".
_QUANTITY = re.compile(r"^\s*(?:\d|less\b|more\b|over\b|under\b|up to\b|from\b|between\b|at least\b|within\b"
                       r"|after\b|before\b)", re.I)
_WH = re.compile(r"^(?:when|what|who|where|which|how|why)\b", re.I)
_TRAILING_PREPOSITION = re.compile(r"\b(?:by|to|for|until|on|at|in|from|before|after|within|per)$", re.I)
_EMPTY = {"", "-", "—", "–", "n/a", "none"}


def row_in_words(header: list[str], cells: list[str]) -> str:
    """'Contract | Probation' + 'Porto contracts | 90 days' -> 'For Porto contracts, the probation is 90 days.'"""
    if len(header) != len(cells) or len(cells) < 2:
        return "; ".join(c for c in cells if c)
    label, label_header = cells[0].strip(), header[0].strip()
    parts = []
    for head, cell in zip(header[1:], cells[1:], strict=True):
        cell = cell.strip()
        if cell.lower() in _EMPTY:
            continue
        head = head.strip()
        if not head:
            parts.append(cell)
        elif _WH.match(head):
            parts.append(f"{_lower_first(head)}: {cell}")
        elif _TRAILING_PREPOSITION.search(head):  # 'Carried days must be taken by' + '30 June'
            parts.append(f"{_lower_first(head)} {cell}")
        else:
            parts.append(f"{_the(head)} {_verb(head)} {cell}")
    if not parts:
        return f"{label_header}: {label}" if label_header else label
    body = "; ".join(parts)
    if not label:
        sentence = body[:1].upper() + body[1:]
    elif _QUANTITY.match(label) and label_header:
        sentence = f"Where {_the(label_header)} is {_lower_first(label)}, {body}"
    else:
        sentence = f"For {label}, {body}"
    return sentence if sentence.rstrip()[-1:] in ".!?" else sentence.rstrip() + "."


def _lower_first(text: str) -> str:
    """'Less than 3 years' -> 'less than 3 years'; names and acronyms ('Porto', 'UK') stay as they are."""
    first = text.split(" ", 1)[0]
    if len(first) > 1 and first[1:].islower() and first[:1].isupper() and first.lower() in _COMMON:
        return text[:1].lower() + text[1:]
    return text


def _the(header: str) -> str:
    """'Probation period' -> 'the probation period'; a header led by a name ('Porto (90 days)') stays as it is."""
    lowered = _lower_first(header)
    return f"the {lowered}" if lowered != header else header


def _verb(header: str) -> str:
    """'Allowed places are', 'Seats are'; a name ('Leeds (2 Wharf Street)') or a singular noun takes 'is'."""
    last = re.sub(r"\([^)]*\)", "", header).strip().split(" ")[-1]
    plural = last.lower().endswith("s") and not last.lower().endswith(("ss", "us", "is"))
    return "are" if plural and (last.islower() or last.lower() in _COMMON) else "is"


_COMMON = frozenset("""less more over under up from between at within after before annual leave probation period
share minimum maximum overnight day rate monthly limit allowed card type class stage when what who where which how
why item detail detail channel notice entitlement completed service amount cost price time date deadline
contract office city area destination role grade level band floor room purpose reason type name description note
notes status example examples value owner contact location frequency duration requirement requirements approval
approver method fee fees use size model laptop laptops device replacement cycle mode step phase week month year
hours opening closing opens closes rule rules budget cap payment days notice wait allowance places category
seats approvals single equipment needed renewal course training hotel flight meal breakfast""".split())


def table_rows(spans: tuple[Span, ...]) -> dict[int, tuple[int, int]]:
    """span index of each table row -> (index of its table's header span, position of the row in the table)."""
    out: dict[int, tuple[int, int]] = {}
    header = None
    position = 0
    for i, span in enumerate(spans):
        if span.kind == "row":
            if header is None:
                header, position = i, 0
            out[i] = (header, position)
            position += 1
        elif span.kind == "heading" and i + 1 < len(spans) and spans[i + 1].kind == "row" \
                and "|" in span.text:
            header, position = i, 0
        else:
            header = None
    return out


def row_adjustments(question: str, spans: tuple[Span, ...], *, match: float, general: float) -> dict[int, float]:
    """Score nudges for table rows: + for the row the question's qualifiers name, + for the general row."""
    from ragqa.sentences import content_terms  # sentences.py renders rows with row_in_words

    rows = table_rows(spans)
    if not rows:
        return {}
    q_terms = content_terms(question)
    q_text = question.lower()
    tables: dict[int, list[int]] = {}
    for index, (table, _) in rows.items():
        tables.setdefault(table, []).append(index)
    out: dict[int, float] = {}
    for members in tables.values():
        label_terms = {i: content_terms(_label(spans[i])) for i in members}
        # Qualifiers: question words that some rows' labels carry and others do not (Porto vs Leeds).
        shared = set.intersection(*label_terms.values()) if len(members) > 1 else set()
        qualifiers = {t for t in q_terms if any(t in terms for terms in label_terms.values())} - shared
        matched = {i: len(qualifiers & label_terms[i]) for i in members}
        best = max(matched.values(), default=0)
        contenders = [i for i in members if matched[i] == best]
        for i in members:
            if qualifiers:
                out[i] = match * (matched[i] - best) if matched[i] < best else 0.0
        if len(contenders) < 2:
            continue
        # Several rows fit the question equally: the general one answers unless the question names the exception.
        for rank, i in enumerate(contenders):
            label = _label(spans[i])
            named_exception = any(m.group(0).lower() in q_text for m in _EXCEPTION.finditer(label))
            if _EXCEPTION.search(label) and not named_exception:
                out[i] = out.get(i, 0.0) - general
            elif _GENERAL.search(label) or rank == 0:
                out[i] = out.get(i, 0.0) + general
    return out


def _label(span: Span) -> str:
    """The row's first cell (what the row is about)."""
    return re.split(r"\s*\|\s*", span.text.strip().strip("|").strip(), maxsplit=1)[0]
