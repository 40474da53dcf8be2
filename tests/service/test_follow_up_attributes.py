"""Follow-ups that ask only an attribute ('What's the rate for colleagues in Portugal?'), a place swap that names an
attribute and where the asker works, 'that trip' after a question naming the trip, a follow-up's whose-case words,
a quota asked ('days a year'), texting's 'min', halves, a kind after 'on' and a later part asking only an
attribute, read on the sample corpus (corpus/, real index and embedding
model) and by the rules alone."""

from __future__ import annotations

import pytest

from ragqa.policy_words import policy_matches, policy_words
from ragqa.sentences import content_terms
from ragqa.service.compounds import question_compounds
from ragqa.service.condense import condense, depends_on_history, follow_up_words
from ragqa.service.grounding import _roles
from ragqa.service.models import Turn
from ragqa.service.question_types import (
    asked_thing,
    counted_kind,
    has_value,
    holds_typed_value,
    quota_activity,
    typed_value,
    without_preamble,
)
from ragqa.service.ranges import question_quantities
from ragqa.service.shorthand import written_out
from ragqa.service.unvalued import valued_things

UK_MILEAGE = [Turn(role="user", content="How much do I get back per mile if I use my own car for a work journey in "
                                        "the UK?"),
              Turn(role="assistant", content="45p per mile for the first 10,000 business miles, then 25p [1].")]


def test_a_question_asking_only_an_attribute_leans_on_the_conversation():
    assert depends_on_history("What's the rate for colleagues over in Portugal?")
    assert depends_on_history("I've just moved to a Portuguese contract. What's the rate for me now?")
    standalone, method = condense("What's the rate for colleagues over in Portugal?", UK_MILEAGE)
    assert method == "rule" and standalone.endswith("for a work journey in Portugal?"), standalone


def test_a_question_naming_its_own_thing_or_no_attribute_stands_alone():
    # guards: its own thing beside the attribute, a person or a day named, 'a new one'
    assert not depends_on_history("What's the price of a monthly pass at the Porto car park?")
    assert not depends_on_history("Is Dana Okafor in on Fridays?")
    assert not depends_on_history("I broke my phone screen. Can I get a new one?")
    assert condense("What's the price of a monthly pass at the Porto car park?", UK_MILEAGE)[1] == "unchanged"


def test_an_attribute_and_where_the_asker_works_add_nothing_to_a_place_swap():
    history = [Turn(role="user", content="By what time do I have to check in to a desk I've booked in the Leeds "
                                         "office?"),
               Turn(role="assistant", content="In Leeds you need to check in by 10:00 [1].")]
    standalone, _ = condense("And what's the deadline if I'm working from the Porto office?", history)
    assert standalone == "By what time do I have to check in to a desk I've booked in the Porto office?"


def test_that_thing_is_the_phrase_the_previous_question_named_it_with():
    history = [Turn(role="user", content="How far in advance do I need approval for a trip from Porto to Leeds?"),
               Turn(role="assistant", content="At least 14 days before travel [1].")]
    standalone, method = condense("What class am I allowed to fly on that trip?", history)
    assert (standalone, method) == ("What class am I allowed to fly on a trip from Porto to Leeds?", "rule")


def test_whose_case_a_follow_up_asks_about_is_not_what_it_asks():
    assert "colleagu" not in follow_up_words("And what about my colleague who's on the Porto side?")


@pytest.mark.parametrize("question", [
    "What's the rate for colleagues over in Portugal?",
    "I've just moved to a Portuguese contract. What's the rate for me now?",
    "And what about my colleague who's on the Porto side?",  # not the UK row that mentions colleagues carried
])
def test_the_portugal_mileage_rate_answers_a_follow_up_about_portugal(service, question):
    answer = service.answer(question, history=UK_MILEAGE)
    assert "€0.40 per km" in answer.answer and "45p" not in answer.answer, answer.answer
    assert answer.citations[0].doc_id == "finance/expense-claims-ledgerly"


def test_the_porto_desk_deadline_answers_the_place_swap(service):
    history = [Turn(role="user", content="By what time do I have to check in to a desk I've booked in the Leeds "
                                         "office?"),
               Turn(role="assistant", content="In Leeds you need to check in by 10:00 [1].")]
    answer = service.answer("And what's the deadline if I'm working from the Porto office?", history=history)
    assert "10:30" in answer.answer and "19:30" not in answer.answer, answer.answer


# --- a quota asked, and texting's 'min' ------------------------------------------------------------------------

def test_days_a_year_ask_a_quota_that_a_notice_period_does_not_give():
    assert typed_value("How many days a year am I allowed to work from abroad?") == "quota:day:year"
    assert typed_value("What's the maximum number of days a year she's allowed to work from abroad?") \
        == "quota:day:year"
    assert typed_value("How many days of leave can I carry over into next year?") == ""  # no 'a year'
    assert not holds_typed_value("quota:day:year", "Tell the help desk at least 3 working days before you leave.")
    assert holds_typed_value("quota:day:year", "UK staff can buy up to 5 extra days each year.")
    assert holds_typed_value("quota:day:week", "For Maximum days per week per person, Leeds is No limit.")


def test_working_abroad_days_a_year_are_not_the_notice_it_wants(service):
    # the VPN article says to tell the help desk 3 working days before travelling, and nothing of a yearly quota
    answer = service.answer("I'd like to spend a few weeks with family in Spain and work remotely from there. How "
                            "many days a year am I allowed to work from abroad?")
    assert answer.abstained, answer.answer


def test_min_and_max_are_written_out_unless_after_a_figure():
    assert written_out("whats the min password length now", _none_used) == "what's the minimum password length now"
    assert written_out("max 3 days?", _none_used) == "maximum 3 days?"
    assert written_out("a 15 min walk", _none_used) == "a 15 min walk"


def test_the_min_password_length_is_the_minimum(service):
    assert "14 characters" in service.answer("whats the min password length now").answer


def _none_used(words: list[str]) -> dict[str, int]:
    return {}


# --- halves, the day's meal money, a kind after 'on', a later part asking only an attribute -----------------------

def test_a_half_is_read_as_the_figure_it_is():
    # (and in minutes too, as a rule may say them)
    assert question_quantities("the flight is about seven and a half hours. Which class?") == [(7.5, "hour"),
                                                                                               (450.0, "minut")]
    assert question_quantities("an hour and a half on the train") == [(1.5, "hour"), (90.0, "minut")]
    assert question_quantities("I need half a day off") == [(0.5, "day")]


def test_daily_meal_money_on_a_trip_is_the_per_diem():
    assert "diem" in policy_words("How much daily meal money can I claim for each night away on a work trip?")


def test_a_kind_after_on_is_a_kind_the_articles_must_speak_of(service):
    assert ("maternity", "leave") in question_compounds("How many weeks of full pay does Fernhill give on maternity "
                                                        "leave?")
    # the sickness article's full-pay row is for sick leave, not maternity leave
    answer = service.answer("I'm on a UK contract and expecting my first baby in the autumn. How many weeks of full "
                            "pay does Fernhill give on maternity leave?")
    assert answer.abstained, answer.answer


def test_a_later_part_asking_only_an_attribute_is_the_first_parts(service):
    # no article speaks of a cycle-to-work scheme; the corporate card's limit is not its limit
    answer = service.answer("is there a cycle to work scheme and whats the limit")
    assert answer.abstained, answer.answer


# --- values a sentence must hold: a notice, a web address, a sum; a yes/no question's kind of thing ---------------

@pytest.mark.parametrize(("question", "value_type"), [
    ("How much notice do I need to give Facilities to book a pool van?", "notice"),
    ("How far in advance do I need to request a trip to Canada?", "notice"),
    ("What's the Skyroute portal web address?", "web"),
    ("Unrelated, but how much extra am I paid for being on the on-call rota?", "money"),
    ("What's the maximum we can spend per person on a team dinner?", "money"),
    ("Is there a charge for using the electric car chargers?", "money"),
    ("How many days a week can my team work from home?", "quota:day:week"),
])
def test_the_type_of_value_asked(question, value_type):
    assert typed_value(question) == value_type


def test_sentences_holding_the_value_asked():
    assert holds_typed_value("notice", "When to request: at least 21 days before travel.")
    assert not holds_typed_value("notice", "Field vehicles are pool vans booked through the Facilities team.")
    assert holds_typed_value("web", "Sign in at https://travel.example/fernhill.")
    assert not holds_typed_value("web", "Email helpdesk@fernhill.example or sign in to the portal.")
    assert holds_typed_value("quota:day:week", "For Maximum days per week per person, Porto is 4 days.")
    assert not holds_typed_value("quota:day:week", "They are given in addition to your 25 days.")


def test_a_notice_asked_is_answered_by_the_time_ahead(service):
    # guards: the notice and sum types keep the answers that hold them
    answer = service.answer("How far in advance do I need to request a trip to Canada?")
    assert "21 days" in answer.answer, answer.answer
    # guard: a charge asked of what is priced ('The first replacement is free; further replacements cost £10')
    assert "£10" in service.answer("Is there a charge for replacing a lost staff badge in Leeds?").answer


# --- questions written as letters and polite requests -----------------------------------------------------------

@pytest.mark.parametrize(("question", "read"), [
    ("Dear Finance, I lost a receipt. Could you please remind me of the deadline for claims? Best regards",
     "I lost a receipt. What is the deadline for claims?"),
    ("Hello IT Service Desk, when is my laptop replaced? Kind regards, Ana", "When is my laptop replaced?"),
    ("Could you confirm the minimum length of a password?", "What is the minimum length of a password?"),
    # a question wrapping another: the one it wraps, in question order where its verb is a form of 'be'
    ("Can you tell me what the excess is on the travel insurance?", "What is the excess on the travel insurance?"),
    ("Can you tell me when the office opens?", "When the office opens?"),
    # guard: a request to do something
    ("Could you book me a room?", "Could you book me a room?"),
])
def test_a_letters_salutation_sign_off_and_polite_wrapping_go(question, read):
    assert without_preamble(question) == read


def test_a_question_written_as_a_letter_is_answered(service):
    answer = service.answer("Dear Finance, I have a few receipts from a trip in March. Could you please remind me "
                            "of the deadline for submitting expense claims? Many thanks")
    assert "60 days" in answer.answer, answer.answer


# --- whom to talk to; an everyday wording with a word of stress in it --------------------------------------------

def test_whom_to_talk_to_is_answered_by_the_sentence_saying_whom_to_contact(service):
    answer = service.answer("My buddy and I just aren't clicking. Who do I talk to about getting a different one?")
    assert "Sophie Lang" in answer.answer, answer.answer


def test_an_everyday_wording_reads_the_same_with_a_word_of_stress():
    used = content_terms("sickness absence illness first day")
    assert policy_matches("I'm feeling really rough today", used) == policy_matches("I'm feeling rough today", used)


def test_feeling_really_rough_and_not_coming_in_is_the_first_days_procedure(service):
    answer = service.answer("I'm feeling really rough and can't make it in today, what do i need to do?")
    assert "Call your line manager" in answer.answer, answer.answer


# --- 'the states'; 'what time do I have to ...' asks a time, not what 'the time' is ------------------------------

def test_going_to_the_states_is_the_usa():
    assert written_out("and what if im going to the states?", _none_used) == "and what if I'm going to the USA?"
    assert written_out("the states that signed it", _none_used) == "the states that signed it"


def test_what_time_do_i_have_to_asks_a_time_not_what_the_time_is(service):
    assert asked_thing("What time do I have to check in by so I don't lose a desk at the Leeds office?") == ""
    assert asked_thing("Which VPN do we use?") == "vpn"  # guard
    history = [Turn(role="user", content="How far in advance can I book a desk at the Leeds office?"),
               Turn(role="assistant", content="Up to 14 days ahead [1].")]
    answer = service.answer("And what time do I have to check in by so I don't lose it?", history=history)
    assert "10:00" in answer.answer and "09:45" not in answer.answer, answer.answer


def test_a_condition_may_open_a_follow_up_question_of_its_own():
    history = [Turn(role="user", content="The fire alarm just went off in the Leeds office for a few seconds and "
                                         "stopped. Do I need to leave?"),
               Turn(role="assistant", content="Probably not: Leeds tests the alarm on Wednesdays at 10:00 [1].")]
    standalone, _ = condense("And if it keeps ringing and it's a real one, where do we go once we're out of the "
                             "building?", history)
    assert "Do I need to leave" not in standalone and standalone.endswith("out of the building?"), standalone


def test_asked_to_review_makes_the_asker_a_reviewer(service):
    assert _roles("someone asked me to review their PR, how quickly should I get back to them?") == {"review"}
    # (reading someone's code changes over is reviewing them: no 'lookers', but reviewers)
    assert _roles("a teammate asked me to look over their code changes") == {"review"}
    answer = service.answer("a colleague asked me to review their PR - how quickly am i expected to reply?")
    assert "1 working day" in answer.answer and "Authors" not in answer.answer, answer.answer


def test_a_row_under_a_heading_naming_the_thing_gives_its_value(service):
    # the 'Sick pay' table's row never says 'sickness' itself; read under its heading it is sick pay's value
    answer = service.answer("I'm on a Portuguese contract, not a UK one. How much of my sickness absence does "
                            "Fernhill pay in full?")
    assert "3 days" in answer.answer, answer.answer


def test_what_time_asks_a_time_of_day_not_a_day(service):
    question = "What time should new starters arrive on Monday?"
    assert not has_value("date", "New starters join on a Monday, so everyone goes through induction together.",
                         question)
    assert has_value("date", "At 09:30, arrive at ground-floor reception.", question)
    assert "09:30" in service.answer(question).answer


def test_a_quota_counts_days_of_what_the_question_asks(service):
    assert quota_activity("How many days a year am I allowed to work remotely from another country?") \
        == {"remot", "anoth", "countri"}
    assert quota_activity("How many extra days of holiday can Leeds staff buy each year?") == frozenset()
    # '23 working days of annual leave per calendar year' counts leave, not days worked abroad
    for question in ("How many days a year am I allowed to work remotely from another country?",
                     "How many days a week may my team work from home?"):
        answer = service.answer(question)
        assert answer.abstained, answer.answer


def test_a_count_of_one_kind_of_leave_is_no_count_of_another(service):
    assert counted_kind("How many weeks of paternity leave do fathers get?") == {"patern"}
    assert counted_kind("How many days of annual leave do Leeds staff get?") == frozenset()  # unsaid in the rows
    assert valued_things("How many weeks of paternity leave?") == [frozenset({"patern", "leav"})]
    # the corpus names paternity leave only in a list of exceptions; 'two weeks off needs four weeks' notice' and
    # '8 days of unused annual leave' count other things
    for question in ("How many weeks of paternity leave?", "How many days of paternity leave do fathers get in Leeds?"):
        answer = service.answer(question)
        assert answer.abstained, answer.answer


def test_a_provider_the_answer_names_after_then_brings_its_number(service):
    # the insurance table says 'first call: Local emergency number, then Calder Mutual assistance'; the article's
    # sentence gives that line's number
    answer = service.answer("I've been hurt on a work trip abroad and need a doctor. Who should I call?")
    assert "+44 20 7946 0315" in answer.answer, answer.answer


def test_a_notice_is_a_time_said_to_be_ahead_not_a_length():
    assert holds_typed_value("notice", "Spaces must be booked in Perch up to 7 days ahead.")
    assert holds_typed_value("notice", "Give notice of at least twice the length of the leave you are requesting.")
    assert not holds_typed_value("notice", "The Wharf Street pay-and-display bays are limited to 2 hours.")
    assert not holds_typed_value("notice", "If it is older than 12 months, ask the manager to review it.")
    assert holds_typed_value("notice", "During probation either side may end it with one week's notice.")


def test_how_far_in_advance_to_ask_before_going_away_is_the_leave_notice(service):
    assert {"notice", "leave"} <= set(policy_words("How far in advance should I ask before going away for two "
                                                   "weeks?"))
    answer = service.answer("How far in advance should I ask before going away for a fortnight? I'm in Leeds.")
    assert "four weeks" in answer.answer, answer.answer
    assert "7 days" in service.answer("how far in advance can I book a parking space at the Leeds office?").answer


def test_a_labelled_case_holding_the_figure_leads_over_a_sentences_threshold(service):
    answer = service.answer("I'm flying to Toronto for a conference next month and the flight is about seven and a "
                            "half hours. Which class can I book?")
    assert answer.answer.startswith("Flights of 6 hours or more: premium economy"), answer.answer


def test_where_a_yes_no_questions_thing_is_had_must_be_spoken_of(service):
    # the Porto article's only discount is the car park's; no article speaks of a gym
    answer = service.answer("Does Fernhill give Porto staff a discount at a gym?")
    assert answer.abstained, answer.answer
    assert not service.answer("Is there a discount on a monthly pass at the Porto car park?").abstained  # guard


def test_a_heading_only_helps_a_row_holding_the_value_name_the_thing(service):
    # guard: a section heading read with each sentence must not make a value-less sentence 'name' the card and so
    # silence the row that gives its limit
    answer = service.answer("I'm in Leeds and do sensor installs on site with a field team work credit card. What's "
                            "the most I can spend on it in one go?")
    assert "£500" in answer.answer, answer.answer
