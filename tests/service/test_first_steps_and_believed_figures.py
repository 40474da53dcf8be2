"""The first step of a procedure for 'who do I tell?', a deadline that is a day (not the year a rule changed), the
rule before its exceptions when the asker states no case of one, a figure the asker only believes from a replaced
policy, a follow-up whose statement sets its scene, 'who runs ...?' answered by a 'Role: Name' line, and amounts
asked in more ways that the articles never give: read by the rules alone and on the sample corpus (corpus/, real
index and embedding model)."""

from __future__ import annotations

import pytest

from ragqa.policy_words import policy_words
from ragqa.sentences import content_terms
from ragqa.service.compounds import asked_attribute, asked_object
from ragqa.service.condense import condense, says_new_subject
from ragqa.service.question_types import (
    counted_doing,
    has_value,
    measured_thing,
    question_kind,
    without_believed_figures,
)
from ragqa.service.situations import stated_situation
from ragqa.service.unvalued import valued_things
from tests.service.conftest import exchange

# --- by the rules alone ------------------------------------------------------------------------------------------

def test_a_deadline_is_a_day_not_the_year_a_rule_changed():
    asked = "By when do I need to use them?"
    assert question_kind(asked) == "date"
    assert not has_value("date", "Please read the new page; the rules changed in 2026.", asked)
    assert has_value("date", "Carried days must be taken by 30 June of the new leave year.", asked)
    assert question_kind("When do I have to spend them by?") == "date"


def test_how_many_days_someone_else_may_carry_is_what_they_would_do_with_them():
    assert "carri" in counted_doing("How many days can each of them carry into next year?")[0]
    assert "carri" in counted_doing("How many days can my team carry over?")[0]


def test_a_figure_believed_from_a_replaced_policy_is_left_out_of_the_question():
    asked = "Someone told me the UK night rate is £45, is that still right?"
    assert "£45" not in without_believed_figures(asked, lambda figure: figure == "£45")
    # (a figure a current article states too stays: the answer may be its 'before' column)
    assert "£45" in without_believed_figures(asked, lambda figure: False)
    # (and a question that checks nothing keeps its figures)
    assert "£45" in without_believed_figures("Can I claim £45 for a night in Leeds?", lambda figure: True)


def test_supposed_to_do_asks_for_steps():
    assert question_kind("What's he supposed to do about it?") == "steps"
    assert question_kind("What are we supposed to do now?") == "steps"


@pytest.mark.parametrize(("wording", "words"), [
    ("the most I can put on the card in one go", {"transaction", "maximum"}),
    ("Who runs the mentoring scheme?", {"lead"}),
    ("there's no way I'm making it into the office today", {"first", "day"}),
    ("how many days can I roll into next year?", {"carry"}),
    ("Where would I need to go there if the alarm sounds?", {"assembly", "point"}),
])
def test_everyday_wordings_in_policy_words(wording, words):
    assert words <= set(policy_words(wording))


def test_an_acronym_inside_the_asked_thing_is_part_of_it():
    assert asked_object("Can I install the company VPN client on my own laptop?") == "client"


@pytest.mark.parametrize(("question", "thing"), [
    ("How much's the cycle allowance that Leeds staff get?", {"cycl", "allow"}),
    ("What's the monthly value of the gym subsidy?", {"gym", "subsidi"}),
    ("We get a phone allowance paid with our salary. How much is that allowance each month?", {"phone", "allow"}),
    ("I'm moving to Leeds and I was wondering how much the travel allowance paid with the salary comes to?",
     {"travel", "allow"}),
    ("childcare leave - how many weeks?", {"childcar", "leav"}),
    ("how many weeks full pay adoption leave?", {"adopt", "leav"}),
    ("Could you tell me how many weeks of full pay the company gives for adoption leave?", {"adopt", "leav"}),
])
def test_more_ways_of_asking_a_things_amount(question, thing):
    assert set(valued_things(question)[0]) == thing


def test_an_amount_of_money_towards_food_the_scene_names_is_the_meal_allowance():
    things = valued_things("I hear we get some money towards food with our pay. How much is that per day?")
    assert {"meal", "allow"} in [set(t) for t in things]


def test_a_follow_ups_statement_sets_the_scene_of_the_previous_question():
    history = exchange("How many days of holiday do I get in Leeds?", "25 days plus bank holidays [1].")
    standalone, how = condense("and what about Porto? my manager is based there", history)
    assert how == "rule"
    assert standalone == "My manager is based in Porto. How many days of holiday do I get in Porto?"


def test_a_pointer_after_a_question_with_a_statement_is_the_questions_thing():
    history = exchange("When is the fire drill at the Leeds office? My team keeps asking.", "Tuesdays at 10 [1].")
    standalone, _ = condense("And if it turns out to be real, where do we meet?", history)
    assert "the fire drill at the Leeds office turns out to be real" in standalone
    assert "keeps asking" not in standalone


# --- on the sample corpus ----------------------------------------------------------------------------------------

def test_who_to_tell_when_off_sick_is_the_procedures_first_step(service):
    answer = service.answer("Feeling rough and staying home today - who should I tell?")
    assert answer.answer.startswith("Call your line manager")


def test_how_many_days_carry_over_and_by_when_gives_the_limit_and_the_day(service):
    answer = service.answer("My Leeds team has holiday left over. How many days can each of them carry into next "
                            "year, and by when do they have to use them?")
    assert "8 days" in answer.answer
    assert "30 June" in answer.answer


def test_a_rate_the_asker_read_in_the_replaced_policy_is_answered_with_the_current_one(service):
    answer = service.answer("A colleague says the overnight allowance for trips within the UK is £45. Is that still "
                            "correct?")
    assert "£55" in answer.answer.split("[1]")[0]
    assert "superseded" not in answer.answer.split("[1]")[0]


def test_who_runs_a_scheme_is_its_lead(service):
    answer = service.answer("Who is in charge of the buddy scheme?")
    assert "Sophie Lang" in answer.answer.split("[1]")[0]


def test_a_vpn_client_on_ones_own_laptop(service):
    answer = service.answer("My laptop is in for repair. Am I allowed to install the company VPN client on my home PC?")
    assert not answer.abstained
    assert "cannot be installed" in answer.answer


def test_the_monthly_value_of_an_allowance_the_articles_never_give_is_not_found(service):
    assert service.answer("What's the monthly value of the meal allowance in Porto?").abstained


# --- amounts and things the articles never speak of --------------------------------------------------------------

@pytest.mark.parametrize("question", [
    "how much is the excess I have to pay?",
    "does our travel insurance pay the excess?",
    "business travel insurance excess?",
])
def test_the_attribute_asked_of_in_more_ways(question):
    assert asked_attribute(question) == "excess"


@pytest.mark.parametrize(("question", "thing"), [
    ("Does my company phone have data roaming switched on?", "roaming"),
    ("What percentage of my salary does the company pay into my pension?", "pension"),
])
def test_the_thing_a_question_asks_about_past_its_subject_and_state(question, thing):
    assert asked_object(question) == thing


@pytest.mark.parametrize(("question", "thing"), [
    ("A colleague asked how much of the Andante pass Fernhill covers. What's the amount?", {"andant", "pass"}),
    ("A new joiner wants to know what share of their Andante monthly pass the company covers.", {"andant", "pass"}),
    ("How much does Fernhill actually chip in for the gym membership?", {"gym", "membership"}),
])
def test_a_things_amount_relayed_or_asked_in_statement_order(question, thing):
    assert set(valued_things(question)[0]) == thing


def test_money_in_our_pay_to_cover_food_is_the_meal_allowance():
    things = valued_things("How much do we get in our pay each month to cover food?")
    assert {"meal", "allow"} in [set(t) for t in things]


def test_saying_the_question_is_unrelated_sets_the_history_aside(service):
    history = exchange("How many days of annual leave do Porto staff get?", "23 working days [1].")
    assert says_new_subject("Unrelated, but what's the amount?")
    assert not says_new_subject("And what about Leeds?")
    answer = service.answer("Unrelated, but how much is it?", history=history)
    assert answer.abstained
    assert answer.standalone_method == "unchanged"


@pytest.mark.parametrize("question", [
    "How much is the excess I have to pay if I claim on the travel insurance for a stolen phone?",
    "Does my company phone have data roaming switched on when I travel abroad?",
    "What percentage of my salary does the company pay into my pension?",
    "There's no canteen in Porto. How much do we get in our pay each month to cover food?",
])
def test_what_the_articles_never_give_is_not_found(service, question):
    assert service.answer(question).abstained


# --- what an amount is of, a page's scope, and 'what does she get?' ---------------------------------------------

def test_what_an_amount_is_of():
    assert measured_thing("How much holiday do I get?") == {"holiday", "leav"}  # (holiday is what articles call leave)
    assert measured_thing("How much annual leave does a new hire get?") == {"leav"}
    assert measured_thing("How much is the meal allowance?") == frozenset()


def test_what_does_she_get_asks_the_previous_question_of_her_case():
    history = exchange("What's the mileage rate for my own car? I'm UK-based.", "45p per mile [1].")
    standalone, how = condense("My colleague's on a Portuguese contract though - what does she get?", history)
    assert how == "rule"
    assert "mileage rate" in standalone and "UK" not in standalone


@pytest.mark.parametrize("question", [
    "How much annual leave does a new hire in our Porto office get?",
    "How much annual leave do I get? I'm at the Porto office.",
])
def test_an_amount_of_leave_is_a_count_of_leave_not_a_pages_scope(service, question):
    assert "23 working days" in service.answer(question).answer.split("[1]")[0]


# --- a sentence's own section, and a closing 'if things ...' ---------------------------------------------------

def test_a_closing_if_clause_about_things_states_the_situation():
    assert stated_situation("", "Who should I talk to if things aren't working out with my buddy?") \
        == "things aren't working out with my buddy"


def test_a_riverbank_is_at_the_waters_edge():
    assert {"water's", "edge"} <= set(policy_words("checking a sensor on a riverbank"))


def test_a_line_to_call_comes_with_what_to_quote_on_the_call(service):
    answer = service.answer("My flight back was cancelled at midnight and the travel desk is shut. Who do I ring?")
    assert "+44 113 496 0799" in answer.answer
    assert "FERN-4471" in answer.answer


def test_hedges_and_falling_ill_on_a_trip():
    assert content_terms("I think I probably pressed it") == {"press"}
    assert {"emergency", "abroad"} <= set(policy_words("one of my team got hurt on a business trip to Poland"))


def test_someone_hurt_on_a_business_trip_is_sent_to_the_travel_insurers_line(service):
    answer = service.answer("One of my engineers got hurt on a business trip to Poland. What should he do first?")
    assert "Calder Mutual" in answer.answer


def test_a_previous_subject_that_is_itself_a_pointer_names_nothing():
    history = exchange("The Leeds alarm is tested on Mondays. When is it tested at the Porto office?",
                       "On Thursdays at 11:00 [1].")
    standalone, _ = condense("And where do we go when it's a real alarm?", history)
    assert "it tested" not in standalone
    assert "Porto" in standalone
