"""A question wrapped in politeness ('Would you mind telling me how long ...'), a follow-up that swaps a region for a
country or asks 'is it the same there?' after naming its own place, hedges that say nothing asked ('normally'),
a thing whose value the scene names ('borrow through it'), whether one must do a thing, and the place the asker
goes to rather than the one they come from: read by the rules alone and on the sample corpus (corpus/, real index
and embedding model)."""

from __future__ import annotations

import pytest

from ragqa.policy_words import policy_words
from ragqa.sentences import content_terms
from ragqa.service.condense import condense
from ragqa.service.question_types import question_kind, question_parts, without_preamble, without_request
from ragqa.service.unvalued import _common_terms, valued_things
from tests.service.conftest import exchange

# --- by the rules alone ------------------------------------------------------------------------------------------

def test_a_country_asked_instead_replaces_the_region_and_its_countries():
    history = exchange("What is the night rate for a work trip to another country in Europe?", "It is €70 [1].")
    standalone, how = condense("And what would it be if I went to the USA instead?", history)
    assert how == "rule"
    assert standalone == "What is the night rate for a work trip to the USA?"
    assert condense("What about Japan?", history)[0] == "What is the night rate for a work trip to Japan?"


def test_is_it_the_same_there_after_a_scene_asks_the_previous_question_of_the_scenes_place():
    history = exchange("Is there a bike shed at the Leeds office?", "Yes, in the basement [1].")
    standalone, _ = condense("I'll be working at the Porto office for a month and cycle in. Is it the same there?",
                             history)
    assert standalone.endswith("Is there a bike shed at the Porto office?")
    assert "Leeds" not in standalone


def test_what_about_there_points_at_the_place_the_question_names_itself():
    history = exchange("If I lose my badge in Leeds, do I pay for a new one?", "The first one is free [1].")
    standalone, _ = condense("I'm off to the Porto office for a while. What about there, is the first one free too?",
                             history)
    assert "Porto" in standalone and "Leeds" not in standalone


def test_a_wrapped_question_is_the_question_it_wraps():
    assert without_request("Would you mind telling me how long the notice period would be?") \
        == "How long would the notice period be?"
    assert without_request("I work nights. Could you tell me roughly how many breaks I get?") \
        == "I work nights. Roughly how many breaks I get?"
    assert without_request("I'd be grateful to know the cap on hotel rooms in Oslo.") \
        == "What is the cap on hotel rooms in Oslo."
    assert without_request("Do you know what the excess is on the travel cover?") \
        == "What is the excess on the travel cover?"
    assert question_kind(without_request("Would you mind telling me how long the notice period is?")) == "number"


def test_thanks_for_that_and_a_change_of_subject_are_no_part_of_the_question():
    assert without_preamble("Thanks for that. On a completely different subject: who signs off overtime?") \
        == "Who signs off overtime?"
    assert without_preamble("Thank you so much for your help! Where is the post room?") == "Where is the post room?"


def test_is_there_a_person_who_asks_who():
    assert question_kind("Is there a particular person who looks after room bookings?") == "person"
    assert question_kind("Is there a gym in the building?") != "person"


def test_a_relative_clause_after_a_comma_is_no_question_of_its_own():
    assert len(question_parts("Is there someone who handles desk moves, whom I could ask about a new chair?")) == 1
    assert len(question_parts("Who approves my trip, and where do I book it?")) == 2


def test_hedges_say_nothing_of_what_is_asked():
    assert content_terms("normally usually typically generally") == set()


def test_the_most_a_thing_can_cost_is_its_cap_and_crews_in_the_field_are_field_teams():
    assert "maximum" in policy_words("What's the most the room can cost per night?")
    assert "transaction" in policy_words("the most I can spend in a single purchase")
    assert {"team", "field"} <= set(policy_words("I'm on one of the outdoor installation crews"))
    assert {"visitor", "visitors"} <= set(policy_words("I'm bringing a client to a meeting at the office"))


@pytest.mark.parametrize(("question", "thing"), [
    ("My colleague wants the interest-free bike loan. What's the most she can borrow through it?",
     {"interest", "free", "bike", "loan"}),
    ("How much is the travel allowance my new hire will get with their salary?", {"travel", "allow"}),
    ("What's the name of the preferred hotel Fernhill uses near the Oslo office?", {"prefer", "hotel"}),
])
def test_the_thing_a_value_is_asked_of(question, thing):
    assert set(valued_things(question)[0]) == thing


def test_in_one_go_is_no_thing_a_value_is_asked_of():
    things = valued_things("I have a company fuel card. What's the most I can spend on it in one go?")
    assert {"one", "go"} not in [set(t) for t in things]


# --- on the sample corpus ----------------------------------------------------------------------------------------

def test_a_politely_wrapped_question_is_answered_as_asked(service):
    answer = service.answer("I've been offered a senior, highly technical post in our Portuguese office. Would you "
                            "mind telling me how long the trial period at the start would be?")
    assert not answer.abstained
    assert "180 days" in answer.answer


def test_an_outdoor_crews_card_limit_is_the_field_team_row(service):
    answer = service.answer("I'm on one of the outdoor installation crews in Leeds and carry the company card for "
                            "fuel. What is the most I may spend on it in a single purchase?")
    assert "£500" in answer.answer.split("[1]")[0]


def test_whether_one_must_buy_insurance_is_answered_by_the_sentence_that_says_so(service):
    answer = service.answer("Do I have to buy my own travel insurance for a business trip?")
    assert answer.answer.startswith("You do not need to buy your own insurance")


def test_a_visitor_brought_to_the_other_office_follows_that_offices_rules(service):
    answer = service.answer("I work in the Leeds office and I'm bringing a client to a meeting at the Porto office. "
                            "What do I need to do for them?")
    cited = [c.doc_id for c in answer.citations]
    assert cited[:1] == ["facilities/porto-office"] and "facilities/leeds-office" not in cited


def test_a_new_hires_laptop_left_on_a_train_is_reported_within_the_hour(service):
    answer = service.answer("Our new joiner just told me they left their work laptop in a taxi. What do they need to "
                            "do?")
    assert "within 1 hour" in answer.answer


def test_the_rate_for_a_trip_is_the_destinations_not_the_origins(service):
    answer = service.answer("I'm flying from Leeds to a conference in Austria and staying four nights in a hotel "
                            "without breakfast. What per diem can I claim per night?")
    assert "€70" in answer.answer
    assert "£55" not in answer.answer


# --- a thing's value asked in few words, after a fragment, or in everyday words for it ---------------------------

@pytest.mark.parametrize(("question", "thing"), [
    # a last part that only says how often: the thing is the first part's
    ("roughly how much is the night shift allowance Oslo staff get with their pay? per week?",
     {"night", "shift", "allow"}),
    # the scene names the thing as a search box would, the question asks its amount
    ("oslo parking permit - how much per month?", {"park", "permit"}),
    # asked for someone, then 'do you know the amount?': the thing the scene names, however it is paid
    ("A colleague asked how much the travel allowance paid with her salary is. Do you know the amount?",
     {"travel", "allow"}),
])
def test_the_thing_asked_a_value_of_in_few_words(question, thing):
    assert set(valued_things(question)[0]) == thing


def test_lunch_money_is_also_read_as_the_meal_allowance_it_stands_for():
    assert [set(t) for t in valued_things("How much is the lunch money Oslo staff get with their salary?")] \
        == [{"lunch", "money"}, {"meal", "allow"}]


def test_an_amount_the_articles_never_give_in_other_words_is_not_found(service):
    # the Porto guide says staff receive a meal allowance with their salary, and never how much
    assert service.answer("How much is the food money Porto people get with their pay each month?").abstained


def test_is_it_the_same_there_naming_its_own_thing_is_asked_with_the_scenes_place(service):
    # the asked part names the badge itself: 'there' is the scene's Porto, and Porto's rule answers
    history = exchange("I work in Leeds and I think I've lost my staff badge. What now?",
                       "Report it the same day; the first replacement is free, then £10 [1].")
    answer = service.answer("I'm transferring to the Porto office soon. Is it the same there if I lose my badge?",
                            history=history)
    assert "€10" in answer.answer


# --- follow-ups asking the equivalent, or about a person elsewhere ----------------------------------------------

def test_the_equivalent_elsewhere_is_the_previous_question_about_that_place():
    history = exchange("What mileage can I claim for using my own car on business in the UK?", "45p a mile [1].")
    assert condense("And what would the equivalent rate be in Portugal?", history)[0] \
        == "What mileage can I claim for using my own car on business in Portugal?"


def test_a_place_said_of_a_person_replaces_the_place_said_of_a_person():
    history = exchange("Someone on my Leeds team is flying to Berlin next week. What can they claim per night?",
                       "€70 a night [1].")
    standalone, _ = condense("What about a colleague of theirs in Porto?", history)
    assert "my Porto team" in standalone and "Berlin" in standalone


def test_thanks_and_a_greeting_before_a_wrapped_question_go_with_the_wrapping():
    assert without_preamble("Many thanks for that. Could you also let me know what the limit is?") \
        == "What is the limit?"
    assert without_preamble("Good morning, I was wondering what the cap is for hotels in Oslo?") \
        == "What is the cap for hotels in Oslo?"


def test_a_politely_asked_history_and_the_equivalent_rate_elsewhere(service):
    history = exchange("Hello, I was wondering what mileage rate I can claim for my own car on business in the UK?",
                       "45p per mile for the first 10,000 business miles, then 25p [1].")
    answer = service.answer("Thanks so much for that. Could you also tell me what the equivalent rate would be in "
                            "Portugal?", history=history)
    assert "€0.40 per km" in answer.answer


def test_a_thing_gone_missing_is_lost(service):
    assert "lost" in policy_words("my staff badge has gone missing")
    assert "lost" in policy_words("my corporate card is missing from my wallet")
    for question in ("I'm at a conference in Berlin and my company card is missing from my wallet. What do I do?",
                     "My corporate card has gone missing. What should I do?"):
        assert service.answer(question).answer.startswith("Freeze the card immediately"), question


def test_what_about_a_thing_then_a_question_pointing_at_it():
    history = exchange("When does the Leeds office open in the morning?", "At 07:00 [1].")
    assert condense("What about the Porto office, what hours is that open?", history)[0] \
        == "What hours is the Porto office open?"
    assert condense("And what about the Porto office, is it open on Saturdays?", history)[0] \
        == "Is the Porto office open on Saturdays?"


def test_a_worked_example_of_the_askers_case_working_out_something_else_does_not_hide_the_answer(service):
    # the per diem article works out a London trade-show stay's per diem: the hotel's cap is still what is asked
    answer = service.answer("I live in Leeds and I'll stay two nights in London for a trade show. What's the most "
                            "the hotel can cost per night?")
    assert "£180" in answer.answer


def test_a_word_said_only_as_a_name_is_not_the_thing_asked_to_be_paid_for(service):
    assert "visa" not in _common_terms("Fernhill issues corporate Visa cards to staff.", "Is the visa fee paid?")
    assert "visa" in _common_terms("Visa applications need the certificate.", "Is the visa fee paid?")  # (opening)
    # the card article's 'corporate Visa cards' says nothing of a visa for a trip
    assert service.answer("If I need a visa for a customer visit, does Fernhill pay the visa fee back?").abstained
