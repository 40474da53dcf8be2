"""Table rows read as sentences: a row is said in words from its headers ("For Porto contracts, the probation
period is 90 days."). Which row answers a question is the answerer's choice (service/table_rows.py)."""

from __future__ import annotations

import re

_QUANTITY = re.compile(r"^\s*(?:\d|less\b|more\b|over\b|under\b|up to\b|from\b|between\b|at least\b|within\b"
                       r"|after\b|before\b)", re.I)
_WH = re.compile(r"^(?:when|what|who|where|which|how|why)\b", re.I)
_TRAILING_PREPOSITION = re.compile(r"\b(?:by|to|for|until|on|at|in|from|before|after|within|per)$", re.I)
# 'At full pay', 'Per night', 'Within 30 days' ('Before (2023 policy)' reads as a name: 'the before ... is').
# 'First call', 'Then tell', 'Contact': a column saying what to do, read as 'first call: IT help desk', not 'the first
# call is IT help desk'.
_INSTRUCTION = re.compile(r"^(?:(?:first|then|next|also|finally|afterwards)\s+)?(?:call|tell|contact|ask|report|notify"
                          r"|email|phone|ring|inform|escalate|send|do|go|see)$", re.I)
_LEADING_PREPOSITION = re.compile(r"^(?:at|in|on|per|over|under|with|within|during|until|up to)\b", re.I)
_NOT_PLACES = frozenset({"total", "now", "then", "old", "current", "previous", "next", "yes", "no", "notes",
                         "comments", "remarks", "other", "others", "all", "everyone"})
_EMPTY = {"", "-", "—", "–", "n/a", "none"}
# A row label saying the row carries on from the one above ('Full pay' then 'After that')
CARRIES_ON = re.compile(r"^(?:after that|after this|thereafter|afterwards|beyond that|from then on|then)$", re.I)


def row_in_words(header: list[str], cells: list[str]) -> str:
    """'Contract | Probation' + 'Porto contracts | 90 days' -> 'For Porto contracts, the probation is 90 days.'"""
    if len(header) != len(cells) or len(cells) < 2:
        return "; ".join(c for c in cells if c)
    label, label_header = cells[0].strip(), header[0].strip()
    parts = []
    for heads, cell in _merged(header[1:], cells[1:]):
        if cell.lower() in _EMPTY:
            continue
        head = heads[0]
        if not head:
            parts.append(cell)
        elif len(heads) > 1:  # one cell across several columns: 'Leeds and Porto are ...'
            parts.append(f"{_the(heads[0])} and {_lower_first(' and '.join(heads[1:]))} are {cell}")
        elif _WH.match(head):
            parts.append(f"{_lower_first(head)}: {cell}")
        elif _INSTRUCTION.match(head) or _LEADING_PREPOSITION.match(head):
            # 'at full pay: First 26 weeks', not 'the at full pay is'; 'then tell: Security'
            parts.append(f"{head[:1].lower()}{head[1:]}: {cell}")
        elif _TRAILING_PREPOSITION.search(head):  # 'Carried days must be taken by' + '30 June'
            parts.append(f"{_lower_first(head)} {cell}")
        else:
            parts.append(f"{_the(head)} {_verb(head)} {cell}")
    if not parts:
        return f"{label_header}: {label}" if label_header else label
    body = "; ".join(parts)
    if not label:
        sentence = body[:1].upper() + body[1:]
    elif CARRIES_ON.match(label.strip(" *_:")):  # 'After that, Porto contracts are ...', not 'For After that'
        sentence = f"{label.strip(' *_:')}, {body}"
    elif _QUANTITY.match(label) and label_header:
        sentence = f"Where {_the(label_header)} is {_lower_first(label)}, {body}"
    else:
        sentence = f"For {label}, {body}"
    return sentence if sentence.rstrip()[-1:] in ".!?" else sentence.rstrip() + "."


def names_a_place_or_party(header: str) -> bool:
    """'Leeds (2 Wharf Street)', 'Aberdeen', 'UK', 'Porto and Portuguese contracts': a column for one place or party
    (or a group of them), beside its sibling columns; not 'Training needed' or 'At full pay' (what the column says
    about the row)."""
    return bool(place_names(header))


# 'Leeds and UK contracts', 'Porto staff': the people or things of the places the column is for
_GROUP_NOUN = re.compile(r"\s+(?:contracts?|staff|employees|colleagues|people|workers|offices?|sites?|teams?"
                         r"|based)\s*$", re.I)


def place_names(header: str) -> list[str]:
    """The places or parties a column header is for: 'Leeds (2 Wharf Street)' -> ['Leeds'], 'Leeds and UK
    contracts' -> ['Leeds', 'UK']; [] for a header that says something about the row ('Training needed')."""
    text = _GROUP_NOUN.sub("", re.sub(r"\([^)]*\)", "", header)).strip()
    names = [n.strip() for n in re.split(r"\s+(?:and|or|&)\s+|\s*[/,]\s*", text) if n.strip()]
    for name in names:
        words = name.split()
        if not all(w[:1].isupper() for w in words) or words[0].lower() in _COMMON | _NOT_PLACES:
            return []
    return names


def _merged(heads: list[str], cells: list[str]) -> list[tuple[list[str], str]]:
    """Neighbouring columns holding the same value (a merged or spanned cell) said once, with all their headers."""
    out: list[tuple[list[str], str]] = []
    for head, cell in zip(heads, cells, strict=True):
        head, cell = head.strip(), cell.strip()
        if out and cell and cell == out[-1][1] and head and out[-1][0][0]:
            out[-1][0].append(head)
        else:
            out.append(([head], cell))
    return out


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
seats approvals single equipment needed renewal course training hotel flight meal breakfast total length""".split())
