"""A reference asked for is a code ('What account code do I give them?': 'FERN-4471'), and 'them' is whom the answer
said to call; 'the policy number they want' is a reference of its own, not the policy's figure. A late hour is
outside office hours and a cancelled flight a disrupted journey, so 'my flight got cancelled and it's 11pm' finds
the out-of-hours line. A login pop-up on a phone comes from the authenticator; approving one the asker did not start
is an incident listed under 'What counts as an incident', so its report, the case's own instruction ('deny them and
call the hotline') and the hotline lead, not the steps of another case ('If you have also lost your MFA device') nor
those of a section for doing what was never asked ('Setting up MFA ...'); a listed case that says nothing to do
(clicking a phishing link) keeps the steps for all cases. An older text mentioned before ', but' is not what is
asked ('..., but by when do I actually have to use them?'). 'Can I get a card straight away, or do I have to wait?'
asks one thing. 'How much paternity leave would I get?' asks the amount of a thing the articles name and never give;
an airport lounge, asked after a scene ('flight delayed 4 hrs, can i ...'), is a thing no article speaks of. By the
rules alone and on the sample corpus (real index and embedding model)."""

from __future__ import annotations

import pytest

from ragqa.policy_words import policy_words
from ragqa.sentences import content_terms
from ragqa.service.condense import asks_only_an_attribute, condense, standalone_parts
from ragqa.service.grounding import _other_doing
from ragqa.service.llm.extractive import _shares_plain_words
from ragqa.service.question_types import (
    about_past,
    holds_typed_value,
    negated_terms,
    question_kind,
    question_parts,
    typed_value,
)
from ragqa.service.shorthand import written_out
from ragqa.service.unvalued import valued_things
from tests.service.conftest import exchange

# --- by the rules alone ------------------------------------------------------------------------------------------

@pytest.mark.parametrize(("question", "value"), [
    ("what account code do i give them?", "code"),
    ("What's the policy number they want?", "code"),
    ("Do they need any kind of reference number from me when I call?", "code"),
    ("Which code word do approvers use?", ""),  # a spoken word, not a written code
    ("What is the phone number for the help desk?", "phone"),
])
def test_a_reference_asked_for_is_a_code(question, value):
    assert typed_value(question) == value


def test_a_code_is_capitals_and_digits_joined_by_hyphens():
    assert holds_typed_value("code", "Quote the Fernhill account code FERN-4471.")
    assert not holds_typed_value("code", "Quote the account code you were given.")
    assert not holds_typed_value("code", "Plug in the USB-C cable.")  # (no digit)


@pytest.mark.parametrize(("question", "meant"), [
    ("my flight got cancelled and it's 11pm, who do i call?", {"outside", "out-of-hours", "disrupted"}),
    ("My train was delayed in the middle of the night", {"out-of-hours", "disrupted"}),
    ("A login pop-up appeared on my phone", {"mfa", "authenticator"}),
    ("Do they need a reference number from me?", {"code"}),
])
def test_everyday_words_for_hours_disruption_sign_in_prompts_and_references(question, meant):
    assert meant <= set(policy_words(question))


def test_a_time_in_office_hours_is_not_out_of_hours():
    assert "out-of-hours" not in policy_words("my flight got cancelled at 2pm, who do i call?")


def test_either_or_of_yes_and_no_is_one_question_and_an_or_with_a_question_word_two():
    assert len(question_parts("Can I get a corporate card straight away, or do I have to wait while I'm still "
                              "new?")) == 1
    assert len(question_parts("What is the card limit, or who do I ask about it?")) == 2


def test_an_amount_of_a_thing_asked_without_its_unit_is_valued():
    assert valued_things("My partner is expecting a baby. How much paternity leave would I get?") == \
        [frozenset({"patern", "leav"})]


def test_a_heading_for_doing_what_the_question_never_says_is_not_meant():
    setting_up = "Setting up MFA with Fernhill Authenticator"
    assert _other_doing(setting_up, content_terms("I tapped approve on a sign-in I didn't start"))
    assert not _other_doing(setting_up, content_terms("How do I set up the authenticator?"))
    assert not _other_doing("Resetting a forgotten passphrase", content_terms("I forgot my password"))
    assert not _other_doing("Parking at the Leeds office", content_terms("Where can I leave my car?"))


def test_a_policy_number_asked_is_a_reference_of_its_own_not_the_policys_figure():
    assert asks_only_an_attribute("What's the rate for colleagues in Portugal?")
    assert not asks_only_an_attribute("What's the policy number they want?")


def test_them_is_whom_the_answer_said_to_call():
    standalone, method = condense("what account code do i give them?", exchange(
        "my flight got cancelled and it's 11pm, who do i call?",
        "Outside desk hours, call Skyroute's 24-hour emergency line on +44 113 496 0799 [1]."))
    assert (standalone, method) == ("What account code do i give Skyroute?", "rule")


# --- on the sample corpus ----------------------------------------------------------------------------------------

@pytest.mark.parametrize("question", [
    "i accidentally approved an mfa push i didn't start. what now?",
    "A login pop-up appeared on my phone and I tapped yes, but I wasn't signing in to anything. What should I do?",
    "My phone just asked me to approve a sign-in I didn't start, and I think I tapped approve by mistake. What "
    "should I do now?",
    "My phone just got a sign-in approval request from the authenticator app but I wasn't logging in to anything. "
    "What should I do?",
])
def test_approving_a_sign_in_one_did_not_start_is_reported_on_the_hotline(service, question):
    answer = service.answer(question).answer
    assert answer.startswith("Report an incident within 1 hour") and "ext 7111" in answer, answer
    assert "lost your MFA device" not in answer and "Install Fernhill Authenticator" not in answer, answer
    assert "deny them and call the hotline" in answer, answer


def test_a_listed_case_that_says_nothing_to_do_keeps_the_steps_for_all_cases(service):
    answer = service.answer("I clicked a link in a phishing email. What should I do?").answer
    assert answer.startswith("Report an incident within 1 hour") and "ext 7111" in answer, answer
    assert "disconnect it from the network" in answer, answer


def test_a_flight_cancelled_late_at_night_finds_the_out_of_hours_line_and_code(service):
    answer = service.answer("My flight home has just been cancelled and it's 11pm. Who do I call to get "
                            "rebooked?").answer
    assert "+44 113 496 0799" in answer and "FERN-4471" in answer, answer


def test_the_code_to_give_whom_the_answer_said_to_call(service):
    answer = service.answer("Do they need any kind of reference number from me when I call?", history=exchange(
        "My flight home has just been cancelled and it's 10pm. Who do I call to rebook?",
        "Outside Skyroute's desk hours, call Skyroute Travel's 24-hour emergency line on +44 113 496 0799 [1].")).answer
    assert answer.startswith("Quote the Fernhill account code FERN-4471"), answer


def test_waiting_for_a_card_while_new_is_answered_by_the_probation_rule(service):
    answer = service.answer("Can I get a corporate card straight away, or do I have to wait while I'm still "
                            "new?").answer
    assert "completed their probation" in answer and "Tell Finance straight away" not in answer, answer


@pytest.mark.parametrize("question", [
    "My partner is expecting a baby later this year. How much paternity leave would I get?",
    "flight delayed 4 hrs, can i expense airport lounge access?",
    # a bill asked to be paid back, which no article pays
    "I work from home three days a week over my own broadband. Can I claim part of my internet bill back from "
    "Fernhill, and if so how much?",
    "Another thing: can I get part of my home internet bill paid back if I mostly work from home?",
])
def test_what_the_articles_name_without_its_amount_or_never_name_is_not_answered(service, question):
    assert service.answer(question).abstained


def test_an_older_text_the_asker_mentions_before_but_is_not_what_they_ask():
    assert not about_past("There's an older carry-over policy saved on our team drive, but by when do I actually "
                          "have to use the carried days?")
    assert about_past("I know it changed, but what was the old rate?")


# --- owned things, lengths, places set apart, counted things, driving -----------------------------------------

def test_the_shortest_password_asks_a_length():
    # (a password's, in characters: not the lockout's minutes)
    assert typed_value("What's the shortest password I'm allowed to use for my work account these days?") \
        == "characters"
    assert typed_value("How long does the safety briefing video have to be?") == "length"


def test_places_set_apart_are_ruled_out_and_a_region_outside_is_not():
    # (and the word 'outside' itself: 'Europe outside the UK' is in Europe, not the row 'Outside Europe')
    assert negated_terms("What is the overnight rate for Europe outside the UK and Portugal?") == \
        {"uk", "portug", "outsid"}
    assert negated_terms("Any country except Portugal?") == {"portug"}
    assert negated_terms("What is the hotel cap outside Europe?") == set()  # the row 'Outside Europe' is asked


def test_them_after_a_counting_part_is_the_things_counted_though_the_scene_names_someone():
    parts = standalone_parts("Someone on my Porto team won't manage to use all her holiday this year. How many days "
                             "can she take into next year, and by when does she have to use them?")
    assert parts[1].endswith("use the days she take into next year?"), parts


def test_driving_ones_own_car_to_sites_is_mileage():
    assert "mileage" in policy_words("her colleague drives his own car to client sites")


def test_a_work_account_is_the_askers_own_account(service):
    answer = service.answer("What's the shortest password I'm allowed to use for my work account these days?").answer
    assert "14 characters" in answer.split("[2]")[0] and not answer.startswith("Service accounts"), answer


def test_a_region_outside_two_named_places_is_the_other_row(service):
    answer = service.answer("What is the overnight per diem for Europe outside the UK and Portugal?").answer
    assert answer.startswith("For Other European countries") and "€70" in answer, answer  # (not 'UK: ...')
    answer = service.answer("My per diem for a two-night trip to Madrid came out lower than I expected, and the hotel "
                            "included breakfast. What is the overnight rate for Europe outside the UK and Portugal, "
                            "and how much comes off for breakfast?").answer
    assert "€70" in answer and "20%" in answer and "€48" not in answer, answer


@pytest.mark.parametrize(("question", "thing"), [
    ("A couple of people in my team work from home most days. Does Fernhill pay anything towards their home "
     "broadband or a working-from-home allowance?", {"home", "broadband"}),
    ("Which hotel is Fernhill's preferred one near the Porto office? I want to book it for tonight.",
     {"hotel", "prefer"}),
])
def test_the_first_of_several_things_paid_for_and_a_preferred_one_named_as_its_kind(service, question, thing):
    assert valued_things(question)[0] == frozenset(thing)
    assert service.answer(question).abstained  # the articles name them and give neither a payment nor a name


def test_a_supplier_coming_to_meet_a_team_is_a_visitor():
    assert "visitor" in policy_words("the same supplier is coming with me to meet the Porto team")
    assert "visitor" not in policy_words("the supplier is coming with the parts next week")


def test_prod_is_written_out_as_production():
    assert written_out("when does it go out to prod?", lambda words: {}) == "when does it go out to production?"


def test_registering_a_supplier_met_in_porto_is_answered_by_the_porto_rule(service):
    answer = service.answer("Thanks. The week after, the same supplier is coming with me to meet the Porto team. "
                            "What's the rule for registering them there?", history=exchange(
                                "I'm hosting a supplier at the Leeds office on Thursday. By when do I need to "
                                "register them?", "Register them in Perch by 17:00 on the working day before the "
                                "visit [1].")).answer
    assert answer.startswith("Register visitors in Perch at least 24 hours before they arrive"), answer


@pytest.mark.parametrize(("question", "thing"), [
    ("Hi! My partner is due in the summer. How many weeks of paternity leave am I entitled to?", {"patern", "leav"}),
    ("How long is maternity leave at Fernhill, and how much of it is on full pay?", {"matern", "leav"}),
])
def test_the_leave_whose_length_or_count_is_asked_is_valued(question, thing):
    assert valued_things(question)[0] == frozenset(thing)


def test_a_listed_case_leads_only_where_the_question_tells_it_beyond_the_names_they_share():
    case = "You approved an MFA request in Fernhill Authenticator that you did not start."
    assert _shares_plain_words(case, "i accidentally approved an mfa push i didn't start. what now?")
    assert _shares_plain_words(case, "A login pop-up appeared on my phone and I tapped yes. What should I do?")
    assert not _shares_plain_words(case, "I lost my phone with the authenticator app. How do I get back in?")


def test_a_lost_authenticator_phone_is_not_answered_as_an_approved_request(service):
    answer = service.answer("I lost my phone with the authenticator app. How do I get back into my account?").answer
    assert "You approved an MFA request" not in answer, answer


# --- where staff are based, thefts, late disruptions, whose number, booking ahead, a test it is not -------------

def test_the_people_of_a_place_are_based_there_and_their_destination_decides_the_row(service):
    answer = service.answer("One of my Leeds engineers is flying to a conference in Toronto in April 2026 and "
                            "staying over. What overnight per diem can they claim?").answer
    assert answer.startswith("For USA and Canada") and "$90" in answer, answer


@pytest.mark.parametrize(("question", "meant", "not_meant"), [
    ("Someone broke into my car last night and took my work laptop.", {"stolen"}, {"broken"}),
    ("my connecting flight has just been cancelled", {"disrupted"}, set()),
    ("How many days in advance can I reserve a workspace?", {"ahead", "book", "desk"}, set()),
])
def test_thefts_disruptions_and_booking_ahead_in_everyday_words(question, meant, not_meant):
    words = set(policy_words(question))
    assert meant <= words and not not_meant & words, words


def test_their_number_is_that_of_whom_the_answer_named(service):
    history = exchange("who do we book flights through?", "All business travel is booked through Skyroute Travel, "
                       "using the Skyroute portal with your Fernhill account [1].")
    assert condense("whats their out of hours emergency number?", history)[0] == \
        "Whats Skyroute Travel's out of hours emergency number?"
    answer = service.answer("whats their out of hours emergency number?", history=history).answer
    assert "+44 113 496 0799" in answer.split("[1]")[0], answer


def test_a_desk_reserved_in_advance_is_booked_days_ahead(service):
    answer = service.answer("How many days in advance can I reserve a workspace in the Porto office?").answer
    assert "7 days ahead" in answer.split("[1]")[0], answer


def test_an_alarm_that_is_not_the_usual_test_is_answered_by_the_assembly_point(service):
    question = ("The fire alarm is going off at the Leeds office and it isn't the usual weekly test time. Where are "
                "we supposed to gather outside?")
    assert {"week", "test"} <= negated_terms(question)
    assert negated_terms("It is not a fire drill, is it?") == {"fire", "drill"}  # (the phrase, up to its comma)
    answer = service.answer(question).answer
    assert "Canal Basin car park" in answer.split("[1]")[0], answer


def test_they_are_the_people_the_previous_question_named_not_whom_the_answer_said_to_use():
    standalone, _ = condense("What if they give a colleague a lift to the site as well?", exchange(
        "One of my Leeds engineers needs to drive their own car out to a river site. What can they claim?",
        "They claim mileage through Ledgerly: 45p per mile [1]."))
    assert "Ledgerly give" not in standalone, standalone


# --- bills paid back, steps asked 'exactly', chatbots like another, where a thing is put ------------------------

def test_what_exactly_should_i_do_first_asks_for_the_steps(service):
    assert question_kind("What exactly should I do first?") == "steps"
    answer = service.answer("I think my corporate card has been stolen. What exactly should I do first, and who do "
                            "I tell?").answer
    assert answer.startswith("Freeze the card immediately"), answer


def test_where_a_thing_is_put_is_asked_not_the_scenes_thing(service):
    answer = service.answer("I have a big export of raw readings from a council's river sensors and want to "
                            "summarise it quickly. Am I allowed to paste it into ChatGPT or a similar public "
                            "chatbot?").answer
    assert "Public AI chatbots may be used only with information classed as Public" in answer, answer


def test_wading_in_after_a_costly_sensor_is_entering_the_water_to_recover_it(service):
    assert {"enter", "water", "recover", "expensive"} <= set(policy_words(
        "Can I wade in and get it back? It cost a lot."))
    answer = service.answer("One of our river sensors just slipped off the weir into the water. Can I wade in and "
                            "get it back? It cost a lot.").answer
    assert answer.startswith("Never enter the water to recover equipment"), answer


def test_anyone_to_ring_at_this_hour_asks_a_number():
    assert typed_value("Is there anyone there I can ring at this hour?") == "phone"


@pytest.mark.parametrize(("question", "asked_before", "answered_before", "fact"), [
    # the policy number, with the follow-up's scene after its question
    ("What's the policy number they want? I'm in A&E in Madrid and the hospital is asking for it.",
     "I've hurt my ankle badly on a work trip in Spain. Who should I ring for help?",
     "Call the Calder Mutual 24-hour assistance line on +44 20 7946 0315 and quote the policy number [1].",
     "FH-TRV-2026-0412"),
    # a colleague in Porto driving his own car: the Portuguese mileage
    ("And her colleague in Porto who also drives his own car to client sites, what rate does he get?",
     "One of my Leeds staff uses her own car to visit sites. How much can she claim per mile?",
     "In the UK she can claim 45p per mile for the first 10,000 business miles [1].", "€0.40 per km"),
    # anyone to ring late at night: the out-of-hours line's number
    ("It's 11pm and my connecting flight has just been cancelled. Is there anyone there I can ring at this hour?",
     "What's the phone number for the Skyroute Fernhill desk?",
     "The Skyroute Fernhill desk is on +44 113 496 0720, Monday to Friday 08:00-18:00 UK time [1].",
     "+44 113 496 0799"),
])
def test_a_follow_up_is_led_by_its_own_fact(service, question, asked_before, answered_before, fact):
    answer = service.answer(question, history=exchange(asked_before, answered_before)).answer
    assert fact in answer.split("[1]")[0], answer
