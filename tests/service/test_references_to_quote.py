"""A reference one is told to give ('call the assistance line and quote the policy number') is answered with its
value, from the table row that holds it; and a thing relayed by its name before a question ('... wants to know our
policy number and who to ring') is asked in two parts (real embedding model; the sample corpus's real index)."""

from __future__ import annotations

import pytest

from ragqa.service.composition import build_components
from ragqa.service.question_types import question_parts
from ragqa.service.table_rows import markdown_row_label, things_to_quote


def test_a_reference_to_quote_is_read_from_its_sentence():
    assert things_to_quote("Call the line on +44 1 2345, and quote the policy number.") == ["policy number"]
    assert things_to_quote("Have ready your booking reference and give the cost centre code.") == \
        ["booking reference", "cost centre code"]
    assert things_to_quote("Quote from the handbook when you reply.") == []


def test_a_markdown_row_is_known_by_its_first_cell():
    assert markdown_row_label("| **Policy number** | FH-1 |") == "policy number"
    assert markdown_row_label("Policy number: FH-1") == ""


def test_a_thing_relayed_by_its_name_then_a_question_is_asked_in_two_parts():
    parts = question_parts("My colleague is off to Oslo and wants to know our insurance policy number and who to "
                           "call if she falls ill.")
    assert len(parts) == 2, parts
    assert parts[0].endswith("What is our insurance policy number?") and "who to call" in parts[1].lower(), parts
    assert "and." not in parts[0]


@pytest.fixture(scope="module")
def service(sample_index, embedder):
    return build_components(sample_index, embedder=embedder).answers


@pytest.mark.parametrize(("question", "facts"), [
    # the step says to quote the policy number: the number follows it
    ("I got injured on a work trip in Germany. Who do I ring for help?", ["+44 20 7946 0315", "FH-TRV-2026-0412"]),
    # both things relayed are answered
    ("My manager wants to know our business travel policy number and who we call if someone falls ill abroad.",
     ["FH-TRV-2026-0412", "+44 20 7946 0315"]),
])
def test_the_answer_gives_the_reference_it_says_to_quote(service, question, facts):
    answer = service.answer(question)
    assert all(fact in answer.answer for fact in facts), answer.answer
    assert answer.grounded, answer.grounding
