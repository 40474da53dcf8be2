"""A table whose columns are for groups of places ('Oslo and Norwegian contracts') is answered with the column the
question names, by a place of the group or by its country; and a row that carries on from the one above ('After
that') is said with it (real embedding model; tables written here, not the sample corpus's)."""

from __future__ import annotations

import pytest

from ragqa.sentences import split_sentences
from ragqa.service.llm.extractive import ExtractiveLLM
from ragqa.service.table_rows import row_for_question
from ragqa.tables import names_a_place_or_party, place_names, row_in_words
from tests.service.conftest import make_request, section

OVERTIME = section("Overtime is paid at these rates:\n\n"
                   "| | Glasgow and UK contracts | Lyon and French contracts |\n|---|---|---|\n"
                   "| First 10 hours a month | **time and a half** | **125%** of the hourly rate |\n"
                   "| After that | double time | 150% of the hourly rate, up to 220 hours a year |\n",
                   "Overtime", "Overtime rates")


@pytest.mark.parametrize(("header", "names"), [
    ("Glasgow and UK contracts", ["Glasgow", "UK"]), ("Lyon / French staff", ["Lyon", "French"]),
    ("Leeds (2 Wharf Street)", ["Leeds"]), ("Training needed", []), ("At full pay", []), ("Now (2026 standard)", []),
])
def test_a_column_for_a_group_of_places_names_each(header, names):
    assert place_names(header) == names
    assert names_a_place_or_party(header) is bool(names)


@pytest.mark.parametrize(("question", "kept", "dropped"), [
    ("How is overtime paid on a Lyon contract?", "Lyon and French contracts", "Glasgow"),
    ("I'm on a French contract: what is the overtime rate?", "125%", "time and a half"),
    ("What's the overtime rate for someone based in France?", "125%", "time and a half"),  # by the country
    ("What is the overtime rate in Glasgow?", "time and a half", "125%"),
])
def test_the_row_keeps_the_column_the_question_names(question, kept, dropped):
    spans = tuple(split_sentences(OVERTIME.text))
    first = next(i for i, s in enumerate(spans) if s.kind == "row")
    read = row_for_question(question, spans, first)
    assert kept in read and dropped not in read, read


def test_a_question_naming_no_column_keeps_them_all():
    spans = tuple(split_sentences(OVERTIME.text))
    first = next(i for i, s in enumerate(spans) if s.kind == "row")
    read = row_for_question("How is overtime paid?", spans, first)
    assert "time and a half" in read and "125%" in read, read


def test_a_row_that_carries_on_reads_as_what_comes_next():
    assert row_in_words(["", "Glasgow"], ["After that", "double time"]) == "After that, Glasgow is double time."


def test_the_answer_says_what_happens_after_the_row_asked(settings_factory, embedder):
    llm = ExtractiveLLM(settings_factory(), embedder)
    answer = llm.generate(make_request("On a French contract, how much overtime pay do I get for the first hours?",
                                       [OVERTIME], settings_factory()))
    assert "125%" in answer and "150%" in answer, answer  # the first rate, then what follows it
    assert "time and a half" not in answer and "double time" not in answer, answer  # only the column asked
