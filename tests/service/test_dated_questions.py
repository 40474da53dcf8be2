"""Which version of a replaced policy applied on the day a question is about. An article's opening line that says
when it takes effect ('Effective for travel on or after **1 February 2026**') gives its `effective` date where the
front matter gives none; a question that states a day before it ('two nights in Manchester in December 2025', 'from
12 to 14 January 2026') is answered from the article it replaced, whose sections join the passages even when only the
current table ranked; a day after it keeps the current figure. By the rules alone and on the sample corpus (real
index and embedding model)."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest

from ragqa.dates import effective_in_opening, stated_date
from ragqa.index.loaders import article_from_text
from ragqa.service.question_types import dated_before_current

# --- by the rules alone ------------------------------------------------------------------------------------------

@pytest.mark.parametrize(("text", "day"), [
    ("I was in Lisbon from 20 to 23 January 2026", dt.date(2026, 1, 20)),
    ("a trip on 9-12 Mar 2026", dt.date(2026, 3, 9)),
    ("back in November 2025", dt.date(2025, 11, 1)),  # (a month counts from its first day)
    ("booked for 2026-04-02, back on 3 April 2026", dt.date(2026, 4, 2)),
    ("next Thursday at 10:00", None),
    ("on 3 March", None),  # (no year: no day to compare)
])
def test_the_day_a_text_states(text, day):
    assert stated_date(text) == day


@pytest.mark.parametrize(("opening", "effective"), [
    ("Approved on 20 January 2026. Effective for travel on or after\n**1 February 2026**. These rates replace ...",
     "2026-02-01"),
    ("This standard is in force from 10 February 2026.", "2026-02-10"),
    ("Effective from March 2026.", None),  # (a month, no day: not a date to take effect on)
    ("The rates changed in 2026.", None),
])
def test_the_day_an_opening_says_an_article_takes_effect(opening, effective):
    assert effective_in_opening(opening) == effective


def test_an_unmarked_effective_date_is_stored_and_front_matter_wins():
    body = "# Rates\n\nEffective for travel on or after **1 February 2026**. The daily rate is 80 euros."
    assert article_from_text("a", f"---\ntitle: Rates\n---\n{body}\n").effective == "2026-02-01"
    given = article_from_text("b", f"---\ntitle: Rates\neffective: 2026-03-01\n---\n{body}\n")
    assert given.effective == "2026-03-01"


def _passage(superseded: bool, since: str):
    return SimpleNamespace(superseded=superseded, since=since)


def test_a_day_before_the_current_version_took_effect_asks_for_the_replaced_one():
    pair = [_passage(False, "2026-02-01"), _passage(True, "2024-03-01")]
    assert dated_before_current("a trip from 20 to 23 January 2026", pair)
    assert not dated_before_current("a trip from 9 to 12 March 2026", pair)
    assert not dated_before_current("a trip next week", pair)
    assert not dated_before_current("a trip from 20 to 23 January 2026", pair[:1])  # (nothing replaced to use)


# --- on the sample corpus ------------------------------------------------------------------------------------------

@pytest.mark.parametrize(("question", "fact", "source"), [
    ("I'm checking an old claim: two nights in Manchester in December 2025. What was the overnight per diem?",
     "£45", "travel/per-diem-rates-2024"),
    ("Our team went to Lisbon from 12 to 14 January 2026. What was the hotel cap per night?",
     "€120", "travel/per-diem-rates-2024"),
    ("I'm off to Manchester on 10 March 2026 for two nights. What is the overnight per diem?",
     "£55", "travel/per-diem-rates-2026"),
])
def test_the_version_in_force_on_the_day_asked_answers(service, question, fact, source):
    answer = service.answer(question)
    assert fact in answer.answer, answer.answer
    assert answer.citations[0].doc_id == source
