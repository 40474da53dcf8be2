"""The situation a question states before it asks ('Someone paid for my supper...') picks the rule written for
that situation in other words (real embedding model; the passage is written here)."""

from __future__ import annotations

import pytest

from ragqa.sentences import Span
from ragqa.service.llm.extractive import ExtractiveLLM
from ragqa.service.situations import (
    contradicts,
    heading_condition,
    is_conditional,
    rule_condition,
    situation_bonus,
    stated_situation,
)
from tests.service.conftest import make_request, section

ALLOWANCE = section("## Daily allowance\n\nStaff on an overnight trip may claim a daily allowance of 60 euros for "
                    "meals and incidentals. The allowance is claimed in StaffDesk after the trip, with the dates of "
                    "travel. If a client or host pays for your dinner, claim only half of the daily allowance for that "
                    "day. Receipts are not needed for the daily allowance.\n", "Travel allowances", "Daily allowance")


@pytest.mark.parametrize(("text", "kind", "display", "condition"), [
    ("If a client pays for your dinner, claim half the allowance.", "sentence", "", "If a client pays for your dinner"),
    ("Meal deduction (new in 2026): when breakfast is included, reduce it by 20%.", "sentence", "",
     "when breakfast is included"),
    ("| Flight cancelled or missed | Travel desk 24-hour line |", "row",  # the first cell, not the row as read
     "For Flight cancelled or missed, first call is Travel desk 24-hour line.", "Flight cancelled or missed"),
    ("Lost badge: report it the same day to reception.", "item", "", "Lost badge"),
    ("Receipts are not needed for the daily allowance.", "sentence", "", ""),
    # a list of cases runs to the comma before the rule ...
    ("If you are ill, injured or robbed abroad, call the assistance line.", "sentence", "",
     "If you are ill, injured or robbed abroad"),
    # ... but a rule that goes on after the first comma is not part of the case
    ("If you are ill, call the line and quote the policy number.", "sentence", "", "If you are ill"),
])
def test_the_situation_a_rule_is_written_for(text, kind, display, condition):
    assert rule_condition(Span(0, len(text), text, kind, display)) == condition


@pytest.mark.parametrize(("situation", "condition", "opposite"), [
    ("I'm off to Berlin, hotel without breakfast.", "when breakfast is included in your hotel rate", True),
    ("My hotel room came with a morning meal.", "when breakfast is included in your hotel rate", False),
    ("I have no authenticator any more.", "If you have also lost your authenticator device", False),  # both lack it
    ("I have no car.", "If a client pays for your dinner", False),  # another matter altogether
    ("The hotel doesn't do breakfast.", "when breakfast is included in your hotel rate", True),  # said with a verb
    ("We don't have a car with us.", "If you use your own car for business", True),
    ("The hotel does breakfast.", "when breakfast is included in your hotel rate", False),
])
def test_a_rule_for_having_what_the_asker_is_without_is_not_their_situation(situation, condition, opposite):
    assert contradicts(situation, condition) is opposite


def test_a_rule_for_the_opposite_situation_gets_no_situation_bonus(settings_factory, embedder):
    llm = ExtractiveLLM(settings_factory(), embedder)
    rule = "If a client or host pays for your dinner, claim only half of the daily allowance for that day."
    with_dinner, = [c for c in llm.scorer.candidates("A client paid for my dinner. What can I claim for the day?",
                                                     [ALLOWANCE]) if c.span.readable == rule]
    without, = [c for c in llm.scorer.candidates("Nobody paid for my dinner, no client or host. What can I claim?",
                                                 [ALLOWANCE]) if c.span.readable == rule]
    assert with_dinner.situation > 0.45 and without.situation == 0.0


def test_only_a_close_situation_adds_relevance():
    assert situation_bonus(0.3) == 0.0 and situation_bonus(0.7) > situation_bonus(0.6) > 0.0


def test_the_rule_written_for_the_situation_the_asker_states_answers(settings_factory, embedder):
    """The question shares few words with the rule ('supper' / 'dinner', 'someone from the client company' / 'a
    client or host'); without its situation compared with the rule's condition it would abstain."""
    llm = ExtractiveLLM(settings_factory(), embedder)
    question = "Someone from the client company paid for my supper while I was away. Do I still get the full amount?"
    answer = llm.generate(make_request(question, [ALLOWANCE], settings_factory()))
    assert answer.startswith("If a client or host pays for your dinner"), answer


def test_a_questions_leading_if_clause_states_its_situation(settings_factory, embedder):
    assert stated_situation("", "If a client pays for my dinner, do I get the full allowance?") == \
        "If a client pays for my dinner"
    assert stated_situation("I work in Oslo.", "How many days do I get?") == "I work in Oslo."
    llm = ExtractiveLLM(settings_factory(), embedder)
    question = "If someone from the client company paid for my supper while I was away, do I still get the full amount?"
    answer = llm.generate(make_request(question, [ALLOWANCE], settings_factory()))
    assert answer.startswith("If a client or host pays for your dinner"), answer


SIGN_IN = section("## Forgotten passphrase\n\nReset your passphrase yourself on the StaffDesk sign-in page; you need "
                  "your username and your second factor.\n\nIf you have also lost your authenticator device:\n\n"
                  "- Phone the service desk on ext 2210.\n- After a video check they give you a one-day access code to "
                  "register a new device.\n", "Signing in", "Forgotten passphrase")


def test_a_list_item_is_written_for_the_situation_its_list_opens_with(settings_factory, embedder):
    """The items share few words with the asker's situation; the line their list hangs from names it. An item is
    then relevant on its own (a part of a compound question may quote it without its list)."""
    settings = settings_factory()
    llm = ExtractiveLLM(settings, embedder)
    question = "My phone with the authenticator app was stolen yesterday. How do I get back into my account?"
    call = next(c for c in llm.scorer.candidates(question, [SIGN_IN]) if "ext 2210" in c.span.readable)
    assert call.gate_score >= settings.abstain_threshold, call.gate_score  # 0.42 without the list's condition
    answer = llm.generate(make_request(question, [SIGN_IN], settings))
    assert "ext 2210" in answer.split("[1]")[0], answer


@pytest.mark.parametrize(("condition", "clause"), [
    ("If you have also lost your MFA device", True),
    ("When breakfast is included", True),
    ("Connect", False),  # a label before a colon names a step, not a situation
])
def test_a_condition_is_a_clause_or_a_label(condition, clause):
    assert is_conditional(condition) is clause


@pytest.mark.parametrize(("context", "asked", "situation"), [
    ("", "I think I left my company card in a taxi, what do I do?", "I think I left my company card in a taxi"),
    ("", "Planning a trip to Singapore, who signs it off?", "Planning a trip to Singapore"),
    ("", "What's the first thing I should do if I spot a fire in the office?", "I spot a fire in the office"),
    # a fact the question sets out is no situation of the asker's
    ("", "Xi has invited Lee to Beijing for the parade - what is the occasion?", ""),
    ("", "How many days do I get?", ""),
])
def test_the_situation_is_the_askers_scene_or_if_clause(context, asked, situation):
    assert stated_situation(context, asked) == situation


@pytest.mark.parametrize(("heading", "condition"), [
    ("Lost or stolen card", "Lost or stolen card"),
    ("If you discover a fire", "If you discover a fire"),
    ("Faults and damage", "Faults and damage"),
    ("Setting up MFA with the authenticator app", ""),  # a task, not a situation
    ("Assembly points and alarm tests", ""),
])
def test_a_heading_names_a_situation_when_something_went_wrong_or_by_an_if(heading, condition):
    assert heading_condition(heading) == condition
