"""Follow-ups that point back with 'one' after a verb or at a thing the answer labelled in brackets, and a day of the
week that names no subject: read by the rules alone and answered on the sample corpus (corpus/, real index and
embedding model)."""

from __future__ import annotations

import pytest

from ragqa.service.composition import build_components
from ragqa.service.condense import condense, depends_on_history
from tests.service.conftest import exchange


@pytest.fixture(scope="module")
def service(sample_index, embedder):
    return build_components(sample_index, embedder=embedder).answers


# --- by the rules alone ------------------------------------------------------------------------------------------

@pytest.mark.parametrize("question", [
    "How far in advance can I book one?",
    "Where do I pick one up?",
])
def test_one_after_its_verb_points_back(question):
    assert depends_on_history(question)


@pytest.mark.parametrize("question", [
    "Is there a quiet room I can book for an hour with no one?",
    "Can I bring a guest to the Oslo office if I have one?",  # names its own subject
    "What happens if my laptop breaks on day one?",
])
def test_one_that_points_at_nothing_said_before_does_not(question):
    assert not depends_on_history(question)


def test_a_day_of_the_week_names_no_subject_of_its_own():
    # 'Thursday' says when; 'that ticket' is still the one spoken of before
    assert depends_on_history("How far ahead do I have to raise that ticket? I fly on Thursday.")
    assert not depends_on_history("How far ahead do I raise a ticket for the Oslo VPN? I fly on Thursday.")


def test_a_thing_the_answer_labelled_in_brackets_keeps_its_label():
    history = exchange("Can I use the VPN from Chile?",
                       "Yes, but first tell the help desk your dates in a HelpPoint ticket (Access → Abroad) [1].")
    standalone, how = condense("How far ahead do I have to raise that ticket?", history)
    assert how == "rule" and "HelpPoint ticket (Access → Abroad)" in standalone, standalone


# --- on the sample corpus ----------------------------------------------------------------------------------------

def test_booking_one_after_a_question_about_parking_asks_about_parking_spaces(service):
    history = exchange("Is there parking at the Leeds office?",
                       "Yes, the basement car park has 38 spaces; spaces have to be booked in Perch [1].")
    answer = service.answer("How far in advance can I book one?", history=history)
    assert "7 days ahead" in answer.answer and "14 days" not in answer.answer, answer.answer


def test_the_ticket_of_the_last_answer_is_the_one_asked_about(service):
    history = exchange("Will the VPN work while I'm in Chile for a customer visit?",
                       "Yes, but before travelling outside the UK and Portugal tell the help desk your countries and "
                       "dates in a ServiceDesk ticket (Access → Travelling abroad) [1].")
    answer = service.answer("How far ahead do I have to raise that ticket? I fly on Thursday.", history=history)
    assert "3 working days" in answer.answer, answer.answer
