"""How many a thing holds, against how many the asker needs it for.

'I'm running a session for about 20 people. Which meeting room is big enough?' over a table of rooms with a 'Seats'
column: the rooms seating 20 or more fit, the 16-seat boardroom does not, however close its words. The count is the
asker's; the capacity is the row's cell under a header that names one (seats, capacity, places, people).
"""

from __future__ import annotations

import re

from ragqa.sentences import Span, table_cells
from ragqa.service.table_rows import table_header_cells
from ragqa.words import NUMBER_WORDS

# 'for about 20 people', 'for 12 of us', 'a group of 30', 'a team of 15', 'twenty attendees'
_COUNT = rf"(?P<n>\d{{1,4}}|{'|'.join(NUMBER_WORDS)})"
_PEOPLE = re.compile(rf"\b{_COUNT}\s+(?:people|persons|attendees|participants|guests|visitors|colleagues|staff"
                     r"|delegates|of us|of them|team members|engineers|trainees|students)\b", re.I)
_GROUP = re.compile(rf"\b(?:group|team|class|party) of (?:about |around |roughly |some )?{_COUNT}\b", re.I)
# ... asked whether something holds them: 'big enough', 'fits', 'seats', 'room for', 'large enough'
_FITS = re.compile(r"\b(?:big|large|spacious|roomy) enough\b|\bfits?\b|\bseats?\b|\bhold\b|\bholds\b|\baccommodate"
                   r"|\broom for\b|\bcapacity\b|\benough (?:room|space|seats)\b|\bhow many (?:people|seats)\b", re.I)
# A header naming how many a thing holds
_CAPACITY_HEADER = re.compile(r"\b(?:seats?|capacity|places|people|persons|max(?:imum)? (?:people|occupancy)"
                              r"|occupancy|holds?)\b", re.I)
_CELL_NUMBER = re.compile(r"^\D{0,12}?(\d{1,4})\b")


def asked_capacity(question: str) -> int | None:
    """How many the asker needs a thing to hold ('about 20 people' ... 'big enough?'), or None."""
    found = _PEOPLE.search(question) or _GROUP.search(question)
    if not found or not _FITS.search(question):
        return None
    n = found.group("n")
    return int(n) if n.isdigit() else NUMBER_WORDS[n.lower()]


def row_capacity(spans: tuple[Span, ...], index: int, table_header: str = "") -> int | None:
    """The number in the row's cell under a header naming a capacity ('Seats': 24; '8 each': 8), or None."""
    header = table_header_cells(spans, index, table_header)
    column = next((i for i, cell in enumerate(header) if _CAPACITY_HEADER.search(cell)), None)
    cells = table_cells(spans[index].text)
    if column is None or column >= len(cells):
        return None
    number = _CELL_NUMBER.match(cells[column])
    return int(number.group(1)) if number else None
