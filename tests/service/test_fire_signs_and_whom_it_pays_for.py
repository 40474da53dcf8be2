"""Held-out rounds AS and AT's lessons, as general rules: smoke or flames one finds is a fire one has discovered (and
a bin it comes out of is nothing thrown away), a step under the 'if' heading the everyday words mean answers however
long the scene, whom a payment covers is not what it pays for, 'the earliest time' is an order, not a kind, and a
filler adverb hides no steps ('What does he actually need to do?'), and being let 'back in' asks nothing of the past
(real embedding model; the sample corpus's real index)."""

from __future__ import annotations

import pytest

from ragqa.policy_words import policy_words
from ragqa.service.composition import build_components
from ragqa.service.compounds import question_compounds
from ragqa.service.question_types import about_past, question_kind
from ragqa.service.unvalued import _thing_paid_for_words


@pytest.mark.parametrize(("wording", "meant"), [
    ("there are flames coming out of the printer", "discover"),
    ("I can smell something burning in the lab", "discover"),
    ("smoke is pouring out of the microwave", "fire"),
    ("I'm looking after a newbie this month", "buddy"),
    ("can we grab a bite together?", "lunch"),
    ("what's the earliest time I can get into the building?", "open"),
    ("on a long flight, am I allowed anything better than the cheapest seats?", "class"),  # a seat's class
    ("can I pay for more legroom?", "class"),
])
def test_everyday_wordings_read_in_policy_words(wording, meant):
    assert meant in policy_words(wording)


def test_a_bin_something_comes_out_of_is_nothing_thrown_away():
    assert "disposal" not in policy_words("there's smoke coming out of a waste bin")
    assert "disposal" not in policy_words("help, the bin is on fire")
    assert "disposal" in policy_words("can I bin old customer contracts?")


def test_whom_a_payment_covers_is_not_what_it_pays_for():
    assert _thing_paid_for_words("Is there any money to cover both of us going for a coffee?") == ""
    assert _thing_paid_for_words("Does the company pay for my home broadband?") == "home broadband"


def test_the_earliest_time_is_no_kind_of_time():
    assert question_compounds("What is the earliest time I can get in?", through_hyphens=True) == []


def test_a_filler_adverb_hides_no_steps():
    assert question_kind("He can't come in today. What does he actually need to do to report it?") == "steps"
    assert question_kind("What do I really have to do first?") == question_kind("What do I have to do first?")


@pytest.fixture(scope="module")
def service(sample_index, embedder):
    return build_components(sample_index, embedder=embedder).answers


@pytest.mark.parametrize(("question", "fact"), [
    # signs of a fire, told at length: the steps for discovering one, not the bins or the office guide
    ("Flames are coming out of the toaster in the Leeds kitchen, what should I do?", "call point"),
    ("I can smell burning and there's smoke under the door of the Porto meeting room. What do I do?", "call point"),
    # the earliest time one may get in is when the building opens
    ("What's the earliest time I can get into the Leeds office in the morning?", "07:00"),
])
def test_the_answer_holds_the_fact_asked(service, question, fact):
    answer = service.answer(question)
    assert not answer.abstained and fact in answer.answer, answer.answer


def test_being_let_back_in_is_no_question_about_the_past():
    assert not about_past("I'm locked out of my account. How long until it lets me back in?")
    assert about_past("What was the hotel cap back in 2024?")


def test_a_lockout_is_answered_from_the_current_policy(service):
    answer = service.answer("I got my password wrong loads of times and it says my account is locked. How long until "
                            "it lets me back in?")
    assert "15 minutes" in answer.answer and "locked for 30 minutes" not in answer.answer, answer.answer
