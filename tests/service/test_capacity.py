"""How many a thing holds against how many the asker needs it for (service/capacity.py): read from the question and
a table's capacity column, and on the sample corpus's meeting rooms (real index and embedding model)."""

from __future__ import annotations

import pytest

from ragqa.sentences import split_sentences
from ragqa.service.capacity import asked_capacity, row_capacity

ROOMS = """| Office | Room | Seats | Equipment |
|---|---|---|---|
| Leeds | Aire (boardroom, floor 3) | 16 | Screens |
| Leeds | Wharfe, Calder | 8 each | Screen |
| Leeds | Ouse (floor 3) | 24 | Projector |
"""


@pytest.mark.parametrize(("question", "needed"), [
    ("I'm running a workshop for about 20 people. Which room is big enough?", 20),
    ("Is there a room that fits a team of twelve?", 12),
    ("Which room seats 30 attendees?", 30),
])
def test_the_count_a_thing_must_hold(question, needed):
    assert asked_capacity(question) == needed


@pytest.mark.parametrize("question", [
    "How many days of leave do 20 people get?",  # a count, but nothing asked to hold it
    "Which room is the biggest?",  # nothing counted
])
def test_no_count_to_hold(question):
    assert asked_capacity(question) is None


def test_a_rows_capacity_is_its_cell_under_the_capacity_header():
    spans = tuple(split_sentences(ROOMS))
    rows = [i for i, s in enumerate(spans) if s.kind == "row"]
    assert [row_capacity(spans, i) for i in rows] == [16, 8, 24]


def test_a_table_without_a_capacity_column_holds_no_count():
    spans = tuple(split_sentences("| Office | Check in by |\n|---|---|\n| Leeds | 10:00 |\n"))
    assert row_capacity(spans, [i for i, s in enumerate(spans) if s.kind == "row"][0]) is None


@pytest.mark.parametrize("question", [
    "I'm running a training session for about 20 people in the Leeds office. Which meeting room is big enough?",
    "Which Leeds meeting room is big enough for a team of 20?",
])
def test_the_room_that_fits_the_group_leads(service, question):
    answer = service.answer(question)
    assert "the room is Ouse" in answer.answer.split("[1]")[0] and "Aire" not in answer.answer, answer.answer


def test_how_long_before_something_happens_is_no_notice():
    from ragqa.service.question_types import typed_value
    assert typed_value("How long before IT swaps my work computer for a newer one?") == ""
    # guard: how long ahead of an event one must act
    assert typed_value("How long before the trip do I need to book?") == "notice"


def test_a_rows_period_is_read_with_its_header_for_how_often(service):
    answer = service.answer("I'm one of the techs who fixes sensors out on site. How often do I get a new laptop?")
    assert answer.answer.startswith("For Field technicians") and "5 years" in answer.answer, answer.answer


def test_a_role_rows_cycle_answers_how_long_until_a_swap(service):
    answer = service.answer("I'm in data science. How long before IT swaps my laptop for a newer one?")
    assert "3 years" in answer.answer.split("[1]")[0], answer.answer


def test_a_stage_after_the_first_is_the_row_after_that(service):
    answer = service.answer("Someone in my Porto team has been off sick for two weeks. Once the first few days have "
                            "passed, what pay does Fernhill make sure they get?")
    assert answer.answer.startswith("After that, Porto") and "90%" in answer.answer, answer.answer
