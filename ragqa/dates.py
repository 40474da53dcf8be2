"""Calendar dates written in words: 'from 20 to 23 January 2026', 'back in November 2025', 'Effective for travel on
or after 1 February 2026'. Shared by ingest (an article's opening line that says when it takes effect) and the
answerer (the day a question is about, to tell which version of a replaced policy applied then)."""

from __future__ import annotations

import contextlib
import datetime as dt
import re

MONTHS = ("january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
          "november", "december")
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_MONTH = r"(?P<month>" + "|".join(m.capitalize() for m in MONTHS) + "|" + "|".join(m[:3].capitalize()
                                                                                   for m in MONTHS) + r")\.?"
# '20 January 2026', '20 to 23 January 2026', '20-23 Jan 2026', 'January 2026' (the month, from its first day)
_DATE = re.compile(rf"\b(?:(?P<day>\d{{1,2}})(?:st|nd|rd|th)?(?:\s*(?:-|–|to|and)\s*\d{{1,2}}(?:st|nd|rd|th)?)?\s+)?"
                   rf"{_MONTH}\s+(?P<year>(?:19|20)\d\d)\b")
_ISO = re.compile(r"\b((?:19|20)\d\d)-(\d\d)-(\d\d)\b")
# 'Effective for travel on or after 1 February 2026', 'effective from 1 March 2026', 'in force from ...'
_TAKES_EFFECT = re.compile(r"\b(?:effective|in force|applies|apply)\b(?:\s+(?:for|to)\s+[\w ]{1,30}?)?\s+"
                           r"(?:on or after|from|as of|starting|beginning)\s+(?:the\s+)?", re.I)
OPENING_CHARS = 600  # how far into an article its 'Effective ...' line is looked for


def _as_date(match: re.Match) -> dt.date | None:
    month = match.group("month").lower()[:3]
    number = next(i for i, m in enumerate(MONTHS, 1) if m.startswith(month))
    try:
        return dt.date(int(match.group("year")), number, int(match.group("day") or 1))
    except ValueError:  # '31 February'
        return None


def stated_date(text: str) -> dt.date | None:
    """The earliest calendar date the text writes out ('from 20 to 23 January 2026' -> 2026-01-20; 'November 2025'
    -> 2025-11-01), None when it writes none."""
    found = [d for d in map(_as_date, _DATE.finditer(text)) if d]
    for year, month, day in _ISO.findall(text):
        with contextlib.suppress(ValueError):  # ('2026-02-30')
            found.append(dt.date(int(year), int(month), int(day)))
    return min(found) if found else None


def effective_in_opening(text: str) -> str | None:
    """The ISO date an article's opening lines say it takes effect ('Effective for travel on or after **1 February
    2026**'), None when they say none."""
    opening = " ".join(text[:OPENING_CHARS].replace("*", "").replace("_", " ").split())
    said = _TAKES_EFFECT.search(opening)
    if not said:
        return None
    match = _DATE.match(opening, said.end())
    when = _as_date(match) if match and match.group("day") else None
    return when.isoformat() if when else None
