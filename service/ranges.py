"""Quantities in a question and the ranges that rows and cases are labelled with.

'I've been off sick for four days: do I need a note?' is answered by the case labelled 'Up to 7 calendar days',
not by 'From the 8th calendar day'; 'I've worked here for 6 years' by the row '5 years or more', not by '3 years or
more' (both hold 6; the nearer bound is the closer fit) nor by 'Less than 3 years'. Words cannot tell these apart:
the labels share every word but the number.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from datetime import date

from ragqa.dates import MONTHS
from ragqa.sentences import Span
from ragqa.service.table_rows import row_label
from ragqa.words import NUMBER_WORDS, ORDINAL_NUMBERS, STOPWORDS, stem

_NUMBER_WORDS = {word: n for word, n in NUMBER_WORDS.items() if n <= 30}
# 'this is my eighth day off sick': how long an absence has lasted, said by an ordinal (not 'my second week on a
# Leeds contract', which says how long the asker has worked; nor 'first', which as often only says which)
_ORDINAL_WORDS = {word: n for word, n in ORDINAL_NUMBERS.items() if word != "first"}
_DAYS_AWAY = re.compile(r"\b(" + "|".join(_ORDINAL_WORDS) + r"|\d{1,2}(?:st|nd|rd|th))\s+(day|week)\s+(?:off|sick|ill"
                        r"|away|absent|in a row|of (?:sickness|illness|absence|being (?:off|sick|ill)))\b", re.I)
_NUMBER = r"(\d+(?:[.,]\d+)?|" + "|".join(_NUMBER_WORDS) + r")(?:st|nd|rd|th)?"
# A unit may follow describing words: '7 calendar days', '3 consecutive days', '15 consecutive working days'.
_UNIT = r"(?:(?:calendar|working|consecutive|business|full|whole|clear|school|continuous)\s+){0,2}([a-z]+)"
# ('my 3-year anniversary', 'a five-day trip': the figure and its unit joined by a hyphen)
_QUANTITY = re.compile(rf"\b{_NUMBER}(?:\s+|-){_UNIT}\b", re.I)
_FORTNIGHT = re.compile(r"\b(?:a|one)\s+fortnight\b", re.I)
# 'off sick for over a week', 'ringing for over a minute', 'for an hour': one of a unit, or just past it
_A_WEEK = re.compile(r"\b(?:for\s+(?:about\s+|nearly\s+|almost\s+|around\s+)?(?:(over|more than|longer than)\s+)?"
                     r"|(over|more than|longer than|beyond)\s+)(?:a|an|one)\s+(week|minute|hour)\b(?!\s+(?:ago|or so"
                     r"|before|ahead|in advance|from|later|after)\b)", re.I)
_ASKED_UNIT = re.compile(r"\bhow (?:many|much|long)\b", re.I)
_CLOCK_UNITS = {stem("seconds"): ((stem("minutes"), 1 / 60),), stem("minutes"): ((stem("seconds"), 60.0),
                                                                                  (stem("hours"), 1 / 60)),
                stem("hours"): ((stem("minutes"), 60.0),)}

# the words that bound a figure from above or below, for lengths and counts here and for sums (_SUM_ABOVE ...)
_UP_TO = r"up to|at most|no more than|not more than|maximum of"
_MORE_THAN = r"more than|over|above|beyond|exceeding|greater than|higher than"
_AT_MOST = re.compile(rf"\b(?:{_UP_TO}|max\.?)\s+{_NUMBER}\s+{_UNIT}"
                      rf"|\b{_NUMBER}\s+{_UNIT}\s+or (?:less|fewer)\b", re.I)
_BELOW = re.compile(rf"\b(?:less than|fewer than|under|below|within|smaller than|shorter than|lower than)\s+{_NUMBER}"
                    rf"\s+{_UNIT}", re.I)
_AT_LEAST = re.compile(rf"\b(?:from(?: the)?|at least|minimum of|once (?:you|they|staff|employees)(?:'ve| have)?"
                       rf" (?:completed|done|reached|served|worked)|after completing)\s+{_NUMBER}\s+{_UNIT}"
                       rf"|\b{_NUMBER}\s*\+\s*{_UNIT}"
                       rf"|\b{_NUMBER}\s+{_UNIT}\s+or (?:more|over|longer|above)\b", re.I)
_ABOVE = re.compile(rf"\b(?:{_MORE_THAN}|after|longer than|larger than|bigger than|heavier than|older than)"
                    rf"\s+{_NUMBER}\s+{_UNIT}", re.I)
_BETWEEN = re.compile(rf"\bbetween\s+{_NUMBER}\s+and\s+{_NUMBER}\s+{_UNIT}|\b{_NUMBER}\s*(?:-|–|to)\s*{_NUMBER}\s+"
                      rf"{_UNIT}", re.I)
# Ranks name their unit first: 'grade 3' in a question; 'Grades 1-4', 'Grade 7 and above', 'Band 2' in a label.
_RANK = r"\b(grade|level|band|step|tier|scale|pay point)s?\s+"
_RANKED = re.compile(rf"{_RANK}(\d+)\b", re.I)
_RANK_BETWEEN = re.compile(rf"{_RANK}(\d+)\s*(?:-|–|to)\s*(\d+)\b", re.I)
_RANK_AT_LEAST = re.compile(rf"{_RANK}(\d+)\s*(?:\+|(?:and|or) (?:above|over|higher|more|upwards))", re.I)
_RANK_AT_MOST = re.compile(rf"{_RANK}(\d+)\s+(?:and|or) (?:below|under|lower|less)", re.I)
# A case's label: before a colon ('Up to 7 calendar days: no doctor's note'), or a leading condition clause
# ('If you are off for more than 7 days, ...').
_LABEL = re.compile(r"^([^:]{1,80}):\s+\S")
_CONDITION = re.compile(r"^((?:if|when|for|after|before|from|up to|beyond|over|under|within|once)\b[^,;:]{1,80}),",
                        re.I)


@dataclass(frozen=True)
class Range:
    low: float
    high: float
    unit: str  # stemmed: 'day'

    def holds(self, value: float) -> bool:
        return self.low <= value <= self.high

    def distance(self, value: float) -> float:
        """How far the value lies from the range's nearest finite bound: the nearer, the closer the fit."""
        bounds = [b for b in (self.low, self.high) if math.isfinite(b)]
        return min(abs(value - b) for b in bounds) if bounds else math.inf


# A sum of money, its currency as its unit ('£6,200', '€1.5k'): 'Any trip costing more than £5,000' is a range of it
_CURRENCY = {"£": "gbp", "€": "eur", "$": "usd"}
_SUM = r"([£€$])\s?(\d[\d,]*(?:\.\d+)?)(k\b)?"
_A_SUM = re.compile(_SUM, re.I)
_SUM_ABOVE = re.compile(rf"\b(?:{_MORE_THAN})\s+{_SUM}", re.I)
_SUM_AT_MOST = re.compile(rf"\b(?:{_UP_TO}|under|below|less than)\s+{_SUM}", re.I)


# (or a bare amount in thousands, 'over 5,000', which a sum typed '5k' is written out as)
_STATED_SUM = re.compile(r"[£€$]\s?\d[\d,.]*(?:\s?(?:k|m|bn)\b)?|\b\d{1,3}(?:,\d{3})+(?:\.\d+)?\b", re.I)


def without_sums(text: str) -> str:
    """The text with the sums of money it states left out ('my £35 monthly home broadband bill' -> 'my monthly home
    broadband bill'): a sum says how much, never what, nor a name an article must say."""
    return " ".join(_STATED_SUM.sub(" ", text).split())


def _sum(symbol: str, figure: str, thousands: str | None) -> tuple[float, str]:
    return float(figure.replace(",", "")) * (1000.0 if thousands else 1.0), _CURRENCY[symbol]


def _sum_range(text: str) -> Range | None:
    """'more than £5,000', 'up to €500': a range of sums, in the currency's unit."""
    if m := _SUM_ABOVE.search(text):
        value, unit = _sum(*m.groups())
        return Range(value + 1e-9, math.inf, unit)
    if m := _SUM_AT_MOST.search(text):
        value, unit = _sum(*m.groups())
        return Range(-math.inf, value, unit)
    return None


def _number(text: str) -> float:
    text = text.lower()
    return float(_NUMBER_WORDS[text]) if text in _NUMBER_WORDS else float(text.replace(",", ""))


def _unit(word: str) -> str:
    return stem(word.lower())


# 'seven and a half hours', 'an hour and a half', 'half a day': a half, written as the figure it is
_AND_A_HALF = re.compile(rf"\b{_NUMBER}\s+and\s+a\s+half\s+([a-z]+)", re.I)
_ONE_AND_A_HALF = re.compile(r"\b(?:an?|one)\s+([a-z]+)\s+and\s+a\s+half\b", re.I)
_HALF_A = re.compile(r"\bhalf\s+an?\s+([a-z]+)", re.I)


def _halves_as_figures(question: str) -> str:
    question = _AND_A_HALF.sub(lambda m: f"{_number(m.group(1)) + 0.5:g} {m.group(2)}", question)
    question = _ONE_AND_A_HALF.sub(lambda m: f"1.5 {m.group(1)}s", question)
    return _HALF_A.sub(lambda m: f"0.5 {m.group(1)}s", question)


# 'I started at the Leeds office in March 2021', 'I joined Fernhill in 2019': how long the asker has worked, by the
# date they started
_MONTH = r"(?:" + "|".join(MONTHS) + r")\b"
_STARTED = re.compile(r"\b(?:started|joined|began|was hired|have been here since|'ve been here since|been with \w+ "
                      rf"since)\b(?:\s+(?:(?:at|with|in)\s+)?(?:the\s+)?(?!{_MONTH})[A-Z][\w'’-]*"
                      r"(?:\s+(?:office|team|labs))?)?\s+(?:in|on|since|back in)?\s*(" + _MONTH + r")?\s*"
                      r"((?:19|20)\d\d)\b", re.I)
_YEAR_ASKED = re.compile(r"\b(?:in|for|during)\s+((?:19|20)\d\d)\b")


# A day of the month: 'If you start after the 15th of the month' holds the asker's 'I started on the 20th'; 'by the
# 20th' does not hold the 22nd.
DAY_OF_MONTH = "day of month"
_DAY = r"the\s+(\d{1,2})(?:st|nd|rd|th)\b"
_AFTER_DAY = re.compile(rf"\b(?:after|later than|beyond)\s+{_DAY}", re.I)
_FROM_DAY = re.compile(rf"\b(?:from|on or after|starting)\s+{_DAY}", re.I)
_BEFORE_DAY = re.compile(rf"\b(?:before|earlier than)\s+{_DAY}", re.I)
_BY_DAY = re.compile(rf"\b(?:by|up to|until|on or before|no later than)\s+{_DAY}", re.I)
_ON_DAY = re.compile(rf"\bon\s+{_DAY}(?!\s+(?:day|week|month|year|time|floor|attempt|try|night)s?\b)"
                     r"|\bon\s+(\d{1,2})(?:st|nd|rd|th)?\s+(?:of\s+)?" + f"(?:{'|'.join(MONTHS)})\\b", re.I)


_DAY_BOUNDS = ((_AFTER_DAY, lambda day: (day + 1e-9, math.inf)), (_FROM_DAY, lambda day: (day, math.inf)),
               (_BEFORE_DAY, lambda day: (-math.inf, day - 1e-9)), (_BY_DAY, lambda day: (-math.inf, day)))


def _day_range(text: str) -> Range | None:
    """The days of the month a label states ('If you start after the 15th of the month'), if any."""
    for pattern, bounds in _DAY_BOUNDS:
        if m := pattern.search(text):
            return Range(*bounds(float(m.group(1))), DAY_OF_MONTH)
    return None


def years_served(question: str, today: date | None = None) -> float | None:
    """Years worked by the start of the year asked ('in 2026') or by today, for a question that says when the asker
    started ('I started in March 2021'): a service-length row ('5 years or more') is chosen by it."""
    started = _STARTED.search(question)
    if not started:
        return None
    month = MONTHS.index(started.group(1).lower()) + 1 if started.group(1) else 1
    start = date(int(started.group(2)), month, 1)
    asked = [int(y) for y in _YEAR_ASKED.findall(question[started.end():])]
    until = date(asked[-1], 1, 1) if asked else (today or date.today())
    years = (until - start).days / 365.25
    return years if years >= 0 else None


_CODE_AFTER = re.compile(r"\s+(?:code|pin|passcode|password)s?\b", re.I)
_COUNTED_PER = re.compile(r"\bhow (?:many|much)\b[^.?!]*\b(?:for|per|in|each|every)\s+$", re.I)


def question_quantities(question: str) -> list[tuple[float, str]]:
    """(value, unit stem) for each quantity the question states ('for four days' -> (4, 'day'), 'seven and a half
    hours' -> (7.5, 'hour')); a 'how many' question's own unit is what it asks, not a quantity."""
    question = _halves_as_figures(question)
    found = []
    for m in _QUANTITY.finditer(question):
        if _ASKED_UNIT.search(question[max(0, m.start() - 10):m.start()]):
            continue
        if m.group(2).lower() in STOPWORDS:
            continue  # 'One of my engineers', 'two of us': a figure without a unit is no quantity of the asker's case
        if _number(m.group(1)) == 1 and _COUNTED_PER.search(question[:m.start()]):
            continue  # 'How many holiday days do I have for one year?': the period counted in, not the asker's case
        unit = m.group(2)
        if unit.lower() in ("number", "numbers", "figure", "figures") and _CODE_AFTER.match(question, m.end()):
            unit = "digits"  # 'a 4-number code' is a code of 4 digits
        found.append((_number(m.group(1)), _unit(unit)))
    found += [(_number(m.group(2)), _unit(m.group(1))) for m in _RANKED.finditer(question)]
    found += [(2.0, _unit("weeks")) for _ in _FORTNIGHT.finditer(question)]  # 'a fortnight off': two weeks
    found += [_a_unit_or_past_it(m.group(1) or m.group(2), m.group(3).lower()) for m in _A_WEEK.finditer(question)]
    found += [(float(_ORDINAL_WORDS[m.group(1).lower()]), _unit(m.group(2))) for m in _DAYS_AWAY.finditer(question)
              if m.group(1).lower() in _ORDINAL_WORDS]  # ('8th day off': a figure _QUANTITY reads already)
    found += [(float(m.group(1) or m.group(2)), DAY_OF_MONTH) for m in _ON_DAY.finditer(question)]
    found += [_sum(*m.groups()) for m in _A_SUM.finditer(question)]  # ('about £6,200 altogether')
    if (served := years_served(question)) is not None:
        found.append((served, _unit("years")))
    # (a time in seconds, minutes or hours is also said in the others: a rule may say 'longer than 30 seconds')
    found += [(value * factor, to) for value, unit in found for to, factor in _CLOCK_UNITS.get(unit, ())]
    return found


def _a_unit_or_past_it(past: str | None, unit: str) -> tuple[float, str]:
    """'for a week': one week; 'for over a week': a day past it, in days; 'over a minute': a little more than one."""
    if not past:
        return 1.0, _unit(unit)
    return (_DAYS_IN[unit] + 1.0, _unit("days")) if unit in _DAYS_IN else (1.01, _unit(unit))


def label_range(text: str) -> Range | None:
    """The range a row's or case's label states ('Up to 7 calendar days', '5 years or more'), if any."""
    if m := _BETWEEN.search(text):
        if m.group(1):
            return Range(_number(m.group(1)), _number(m.group(2)), _unit(m.group(3)))
        return Range(_number(m.group(4)), _number(m.group(5)), _unit(m.group(6)))
    if m := _AT_MOST.search(text):
        value, unit = next((m.group(i), m.group(i + 1)) for i in (1, 3) if m.group(i))
        return Range(-math.inf, _number(value), _unit(unit))
    if m := _BELOW.search(text):
        return Range(-math.inf, _number(m.group(1)) - 1e-9, _unit(m.group(2)))
    if m := _ABOVE.search(text):
        return Range(_number(m.group(1)) + 1e-9, math.inf, _unit(m.group(2)))
    if m := _AT_LEAST.search(text):
        value, unit = next((m.group(i), m.group(i + 1)) for i in (1, 3, 5) if m.group(i))
        return Range(_number(value), math.inf, _unit(unit))
    return _rank_range(text) or _day_range(text) or _sum_range(text)


def stated_ranges(text: str) -> list[Range]:
    """The range each clause of a sentence states ('up to a maximum of 20 days, and you can start taking leave once
    you have completed 6 months': up to 20 days, 6 months or more)."""
    return [r for clause in re.split(r"[,;]|\band\b", text) if (r := label_range(clause))]


def _rank_range(text: str) -> Range | None:
    """'Grades 1-4', 'Grade 7 and above', 'Band 2 or below', 'Level 3' (that rank alone)."""
    if m := _RANK_BETWEEN.search(text):
        return Range(_number(m.group(2)), _number(m.group(3)), _unit(m.group(1)))
    if m := _RANK_AT_LEAST.search(text):
        return Range(_number(m.group(2)), math.inf, _unit(m.group(1)))
    if m := _RANK_AT_MOST.search(text):
        return Range(-math.inf, _number(m.group(2)), _unit(m.group(1)))
    if m := _RANKED.search(text):
        return Range(_number(m.group(2)), _number(m.group(2)), _unit(m.group(1)))
    return None


def span_label(span: Span) -> str:
    """What a row, list item or sentence is labelled with: a row's first cell, the words before a colon, or a
    leading condition clause."""
    if span.kind == "row":
        return row_label(span)
    m = _LABEL.match(span.readable) or _CONDITION.match(span.readable) or _GERUND_SUBJECT.match(span.readable)
    return m.group(1) if m else ""


# 'Taking more than 15 consecutive working days needs approval ...': a rule whose subject states its range
_GERUND_SUBJECT = re.compile(r"^([A-Z][a-z]+ing\s+(?:more than|over|less than|fewer than|under|up to|at least|between)"
                             r"\s[^,;:]{1,60}?)\s+(?:needs?|requires?|is|are|must|means|counts?|takes?)\b")


_DAYS_IN = {"week": 7, "fortnight": 14}  # calendar days; working days: 5 a week
DURATION_UNITS = frozenset(stem(u) for u in ("minutes", "hours", "days", "weeks", "fortnights", "months", "years"))
_WORKING = re.compile(r"\b(?:working|business)\s+days?\b", re.I)


def in_unit(value: float, unit: str, target: str, label: str) -> float | None:
    """`value` `unit`s in the label's `target` unit ('four weeks' as 20 for 'more than 15 working days', 28 for
    calendar days); None when the units do not convert."""
    if unit == target:
        return value
    if target == "day" and unit in _DAYS_IN:
        return value * (_DAYS_IN[unit] * 5 / 7 if _WORKING.search(label) else _DAYS_IN[unit])
    return None


def range_fits(quantities: list[tuple[float, str]], labels: dict[int, str]) -> dict[int, int]:
    """For each labelled span (index -> label) whose label states a range in a unit the question states: +1 for the
    closest-fitting range that holds the question's value, -1 for one that excludes it, 0 for a holding but
    looser one ('3 years or more' when '5 years or more' also holds 6)."""
    fits: dict[int, int] = {}
    for stated, unit in quantities:
        # (in the label's own unit: 'four weeks off' against 'more than 15 consecutive working days')
        ranges = {i: (r, value) for i, label in labels.items() if (r := label_range(label))
                  and (value := in_unit(stated, unit, r.unit, label)) is not None}
        holding = {i: r.distance(value) for i, (r, value) in ranges.items() if r.holds(value)}
        nearest = min(holding.values(), default=None)
        for i in ranges:
            if i in holding:
                fits[i] = max(fits.get(i, -1), 1 if holding[i] == nearest else 0)
            else:
                fits.setdefault(i, -1)
    return fits
