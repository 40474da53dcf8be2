"""Questions as staff type them: a scene set before or after the question, an old thing in the scene but not in
the question, values of a type (a price, a length of time), a site in another country, and a follow-up that
points at 'the new one' (real embedding model; sample corpus where named)."""

from __future__ import annotations

import pytest

from ragqa.policy_words import policy_matches
from ragqa.sentences import content_terms, split_sentences
from ragqa.service.compounds import asked_attribute, asked_subject, question_compounds
from ragqa.service.condense import condense, depends_on_history, follow_up_words, standalone_parts
from ragqa.service.llm.extractive import ExtractiveLLM
from ragqa.service.models import Turn
from ragqa.service.question_types import (
    about_past,
    asks_old_version,
    has_shape,
    has_value,
    holds_typed_value,
    question_kind,
    question_parts,
    scene_and_question,
    split_context,
    typed_value,
)
from tests.service.conftest import make_request, section


# --- the scene and the question ------------------------------------------------------------------------------
def test_a_statement_after_the_question_is_context():
    context, asked = split_context("Do I still have to renew my pass every 60 days? The reminder just popped up.")
    assert asked == "Do I still have to renew my pass every 60 days?"
    assert context == "The reminder just popped up."
    assert question_kind("Is it true I renew it every 60 days? My calendar said so.") == "yesno"


def test_a_statement_ending_in_capitals_still_ends():
    assert question_kind("A crate is arriving at the Oslo HQ. Where should the van go?") == "place"


@pytest.mark.parametrize(("typed", "read"), [
    ("new starter in oslo here :) how long is probation?", "new starter in Oslo here. how long is probation?"),
    ("thanks :)", "thanks"),
    ("Is it 10:30 or 11:00?", "Is it 10:30 or 11:00?"),  # a time is no smiley
    ("hi \U0001F642 how long is probation?", "How long is probation?"),  # an emoji, then a greeting dropped
])
def test_a_smiley_ends_what_came_before_it(typed, read):
    from ragqa.service.answer import _clean

    assert _clean(typed) == read


def test_a_leading_clause_sets_the_scene():
    assert scene_and_question("Planning a client visit to Lima, who needs to approve it?") == \
        ("Planning a client visit to Lima", "who needs to approve it?")
    assert scene_and_question("A crate arriving in Oslo - where should the van go?")[1] == "where should the van go?"
    assert question_kind("A crate arriving in Oslo - where should the van go?") == "place"
    assert scene_and_question("What is the rate, and how long is the trip?") == \
        ("", "What is the rate, and how long is the trip?")
    # a scene before 'am I ...?', 'may I ...?', 'have we ...?' too
    assert scene_and_question("Off to a summit in Oslo on Monday - am I allowed to use the fleet car?")[1] == \
        "am I allowed to use the fleet car?"
    assert question_kind("Off to a summit in Oslo on Monday - am I allowed to use the fleet car?") == "yesno"


def test_a_routine_to_follow_asks_for_steps():
    assert question_kind("On a roof survey alone tomorrow. What's the check-in routine I have to follow?") == "steps"
    assert question_kind("Which procedure do we follow after a spill?") == "steps"
    assert question_kind("A supplier is visiting the Oslo office on Friday. What do I have to sort out?") == "steps"
    assert question_kind("What do we need to arrange before the auditors arrive?") == "steps"


def test_old_things_in_the_scene_do_not_make_the_question_about_the_past():
    assert not about_past("I still get my codes on my old phone. When does that stop working?")
    assert not asks_old_version("Our old sheet says 5 days - is that still right? How many can I carry now?")
    assert about_past("What was the old rule for carrying days over?")
    assert asks_old_version("What did the previous policy allow?")


# --- values of a type -----------------------------------------------------------------------------------------
@pytest.mark.parametrize(("question", "value_type"), [
    ("How much is the annual gym membership after the discount?", "price"),
    ("What's the most I can borrow on the bike loan?", "price"),
    ("How much extra do we get paid for a night shift?", "money"),
    ("If I claim on the travel insurance, what's the excess?", "money"),
    ("My train was cancelled - what's the agency's after-hours number?", "phone"),
])
def test_questions_that_ask_for_a_value_of_a_type(question, value_type):
    assert typed_value(question) == value_type


def test_an_interest_free_loan_states_no_price():
    assert not holds_typed_value("price", "Staff can take an interest-free bike loan through HR.")
    assert holds_typed_value("price", "Parking is free for visitors.")


def test_how_long_is_answered_by_a_length_of_time_not_any_figure():
    question = "How long do I have to claim it?"
    assert has_value("number", "Submit claims within 45 days of the purchase.", question)
    assert has_value("number", "The pass works until 19:00.", question)
    assert not has_value("number", "Reduce the nightly rate by 15% when breakfast is included.", question)
    assert has_value("number", "Reduce the nightly rate by 15% when breakfast is included.", "How much is cut?")


def test_a_place_is_a_spot_not_a_place_word():
    assert has_shape("place", "The loading bay is on Mill Lane, at the back of the building.")
    assert has_shape("place", "Collect it from the IT desk on the ground floor.")
    assert not has_shape("place", "Large parcels must be booked with the post room a day ahead.")


def test_a_table_row_states_its_cells_not_the_column_headers():
    spans = split_sentences("| | Oslo (1 Harbour Street) | Lyon (4 Rue Neuve) |\n|---|---|---|\n"
                            "| Fire drill | Mondays at 09:00 | Fridays at 14:00 |\n")
    row = next(s for s in spans if s.kind == "row")
    assert "Harbour Street" in row.readable
    assert "Harbour Street" not in row.stated and "Mondays at 09:00" in row.stated


# --- kinds and attributes -------------------------------------------------------------------------------------
def test_how_much_opens_a_kind_of_thing():
    assert ("adoption", "leave") in question_compounds("How much adoption leave do parents get?")
    assert not question_compounds("What's the actual minimum length?")


def test_an_attribute_after_a_leading_clause_and_before_who_pays():
    assert asked_attribute("If I claim on the travel insurance for a lost bag, what's the excess I have to pay?") \
        == "excess"


# --- everyday words -------------------------------------------------------------------------------------------
@pytest.mark.parametrize(("question", "policy_word"), [
    ("Who needs to sign it off?", "approves"),
    ("Where do we go if the fire alarm goes off?", "assembly"),
    ("I still get my codes by text. When does that stop?", "SMS"),
])
def test_everyday_wordings_stand_for_policy_words(question, policy_word):
    used = content_terms(policy_word)
    meant = set().union(*(m for _, m in policy_matches(question, used)))
    assert used <= meant


# --- follow-ups -----------------------------------------------------------------------------------------------
def test_the_new_one_leans_on_the_conversation():
    assert depends_on_history("It's the second time this year - will they charge me for the new one?")
    assert not depends_on_history("I broke my phone screen. Can I get a new one?")


def test_a_new_question_opened_with_also_stands_on_its_own():
    history = [Turn(role="user", content="How long do I have to set up MFA?"),
               Turn(role="assistant", content="Within 7 days of your first day.")]
    # 'is there' points at nothing: the question names its own subject
    question = "Also, is there a weight limit on personal parcels delivered to the Oslo office?"
    assert condense(question, history) == (question, "unchanged")


def test_a_follow_up_with_another_figure_asks_the_same_question_for_it():
    history = [Turn(role="user", content="How much leave do Oslo staff get once they've done 3 years?"),
               Turn(role="assistant", content="26 days.")]
    assert condense("And after 5?", history) == ("How much leave do Oslo staff get once they've done 5 years?", "rule")
    assert condense("what about 10 years?", history)[0].endswith("done 10 years?")


def test_does_that_change_it_asks_the_previous_question_with_the_askers_case():
    history = [Turn(role="user", content="How much annual leave do I get as a full-timer in Oslo?"),
               Turn(role="assistant", content="25 days, rising with length of service.")]
    assert condense("I've been here six years now - does that change it?", history) == (
        "I've been here six years now. How much annual leave do I get as a full-timer in Oslo?", "rule")
    assert not depends_on_history("Does the new policy change the carry-over limit?")


def test_a_follow_ups_own_words_leave_out_its_chat():
    words = follow_up_words("will they charge me for the new one? this is the second time this year lol")
    assert "charg" in words or "charge" in words
    assert not words & {"year", "time", "second", "lol", "new"}


# --- answers --------------------------------------------------------------------------------------------------
@pytest.fixture
def ask(settings_factory, embedder):
    llm = ExtractiveLLM(settings_factory(), embedder)
    return lambda question, passages: llm.generate(make_request(question, passages, settings_factory()))


def test_a_site_in_another_country_than_the_askers_answers_last(ask):
    """The asker names Oslo only in their scene; the Lyon guide also names Oslo, so no name is missing from it."""
    oslo = section("The first replacement badge is free; after that each one costs NOK 120, taken from salary.\n",
                   "Oslo office guide", "Badges", ref=1)
    lyon = section("Badges from Oslo also work here. Every replacement badge is charged at €12, including the "
                   "first, because the landlord bills us for each card.\n", "Lyon office guide", "Badges", ref=2)
    answer = ask("I lost my badge on the way to the Oslo office. Will they charge me for a replacement?", [lyon, oslo])
    assert answer.startswith("The first replacement badge is free"), answer


def test_a_place_whose_continent_the_rule_names_is_not_missing_from_it(ask):
    """'Madrid' is nowhere in the card rules, but 'outside Europe' speaks of it: the rule is no less relevant."""
    card = section("Do not use the card for:\n\n- Cash withdrawals, except on trips outside Europe where cards are "
                   "rarely accepted; then up to £150 per trip.\n- Personal spending of any kind.\n",
                   "Company cards", "What the card is not for")
    answer = ask("Heading to a trade fair in Madrid next month - am I allowed to take cash out on the company card?",
                 [card])
    assert "outside Europe" in answer, answer


def test_a_row_covering_the_place_still_leads_over_the_articles_other_passages(ask):
    """The article names Canada only in its table: Toronto is spoken of there, not in its other passages."""
    table = section("| Destination | Overnight rate |\n|---|---|\n| UK and Ireland | £45 |\n"
                    "| USA and Canada | $95 |\n| Elsewhere | £60 |\n", "Daily allowances", "Rates", ref=1)
    other = section("If you stay with friends instead of a hotel, you may claim a flat £20 per night on top of the "
                    "allowance.\n", "Daily allowances", "Staying with friends", ref=2)
    answer = ask("I'm off to a trade show in Toronto next month with two hotel nights. How much allowance can I "
                 "claim for each night?", [other, table])
    assert answer.startswith("For USA and Canada"), answer


def test_where_to_gather_in_a_fire_is_the_assembly_row_of_a_table_by_site(ask):
    fire = section("| | Oslo (1 Harbour Street) | Lyon (4 Rue Neuve) |\n|---|---|---|\n"
                   "| Weekly alarm test | Mondays at 09:00 (a short ring by the caretaker) | Fridays at 14:00 |\n"
                   "| Assembly point | Harbour car park, opposite the entrance | Place Bellecour, by the statue |\n",
                   "Fire safety", "Alarms and assembly")
    answer = ask("Where do we go if the fire alarm goes off in Lyon?", [fire])
    assert "Place Bellecour" in answer and "Fridays" not in answer, answer


def test_a_chatty_question_with_an_old_figure_in_its_scene_gets_the_current_rule(service):
    answer = service.answer("An old team wiki says only 5 days roll over into next year - is that still the case? "
                            "How many can I carry over now?")
    assert answer.citations and answer.citations[0].doc_id == "hr/leave-carry-over-2026", answer.answer
    assert "8 days" in answer.answer


def test_the_new_one_after_a_lost_badge_is_the_askers_office_replacement(service):
    history = [Turn(role="user", content="I've lost my staff badge somewhere near the Leeds office. Who do I tell?"),
               Turn(role="assistant", content="Report it the same day to reception or the IT help desk [1].")]
    answer = service.answer("This is the second time this year - will they charge me for the new one?",
                            history=history)
    assert "£10" in answer.answer and "€10" not in answer.answer, answer.answer


def test_a_later_parts_it_is_the_thing_the_first_part_measures():
    parts = standalone_parts("We are adopting in May. How many weeks of adoption leave do I get, and is it paid?")
    assert parts[1].endswith("Is the adoption leave paid?")


def test_a_carried_question_is_about_the_place_the_follow_up_names():
    history = [Turn(role="user", content="I've been off sick in Oslo for 9 days. Do I need a note from my doctor?"),
               Turn(role="assistant", content="Yes, from the 8th day [1].")]
    standalone, method = condense("What about my colleague on a Lyon contract who is off for 2 days?", history)
    assert method == "rule" and "Oslo" not in standalone and standalone.count("Lyon") == 2


def test_when_and_where_is_asks_about_the_thing_not_its_name():
    assert asked_subject("When and where is the Christmas party this year?") == "party"
    assert asked_subject("Where is the signing key kept?") == "key"
    assert asked_subject("How do I book a room?") == ""
    assert asked_subject("How long can a sabbatical be, and is it paid?") == "sabbatical"  # its length asked


def test_how_many_is_not_answered_by_a_date():
    question = "How many can I carry over now?"
    assert not has_value("number", "Carried days must be taken by 30 June of the new leave year.", question)
    assert has_value("number", "You may carry over up to 6 days.", question)


def test_and_cant_continues_a_statement_not_a_new_question():
    assert question_parts("Woke up with a fever and can't come in today, what do I need to do?") == \
        ["Woke up with a fever and can't come in today, what do I need to do?"]


def test_a_title_before_a_name_ends_no_statement():
    assert split_context("Is Dr. Kang the data protection officer?") == \
        ("", "Is Dr. Kang the data protection officer?")
