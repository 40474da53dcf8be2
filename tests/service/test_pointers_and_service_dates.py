"""Follow-ups that point back with 'one' after a verb or at a thing the answer labelled in brackets, and a day of the
week that names no subject; a day of the month the asker states ('I started on the 20th') held by a rule's range
('If you start after the 15th of the month'); a time said by the one it follows ('the following month'); a card
'pickpocketed' is stolen, a pair 'not clicking' a match not working: read by the rules alone and answered on the
sample corpus (corpus/, real index and embedding model); a table the question names joins the retrieved passages."""

from __future__ import annotations

import pytest

from ragqa.policy_words import policy_words
from ragqa.sentences import split_sentences
from ragqa.service.compounds import asked_object
from ragqa.service.condense import condense, depends_on_history
from ragqa.service.llm.extractive import ExtractiveLLM, _named_subject
from ragqa.service.question_types import (
    about_past,
    asks_still,
    has_value,
    negated_terms,
    quota_activity,
    typed_value,
    without_letter,
    years_had_since,
)
from ragqa.service.ranges import DAY_OF_MONTH, Range, label_range, question_quantities
from ragqa.service.unvalued import valued_things
from tests.service.conftest import exchange, make_request, section

FIRST_PAY = section("## Pay in your first month\n\nOslo staff are paid on the 28th of each month. If you start after "
                    "the 12th of the month, your first salary comes with the following month's payroll.\n",
                    "Starting at Nordvik", "Pay in your first month")
CLAIMS_PAID = section("## When claims are paid\n\n| Contract | How you are paid | Cut-off |\n|---|---|---|\n"
                      "| Oslo contracts | Added to your monthly salary | Approved by the 20th of the month, paid that "
                      "month |\n", "Expense claims", "When claims are paid")


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


def test_an_amount_of_nothing_named_after_a_scene_asks_the_last_amount_in_that_scene():
    history = exchange("I'm at the Oslo office with two years' service. How much annual leave do I get?",
                       "You get 25 days of annual leave [1].")
    question = "I'm thinking about moving to the Bergen office next year. How much would I get there?"
    assert depends_on_history(question)
    standalone, how = condense(question, history)
    assert how == "rule" and standalone == ("I'm thinking about moving to the Bergen office next year. How much "
                                            "annual leave do I get?"), standalone
    # a scene that holds its own question does not lean back
    assert not depends_on_history("I lost my badge at the Bergen office. What should I do?")


def test_the_other_kind_of_the_last_questions_thing_is_asked_the_same_way():
    history = exchange("I'm on an Oslo contract. When is the holiday allowance (feriepenger) paid?",
                       "The holiday allowance is paid with the June payroll [1].")
    standalone, how = condense("And the Christmas one?", history)
    assert how == "rule" and standalone == "I'm on an Oslo contract. When is the Christmas allowance paid?", standalone
    # ('Christmas' is no place: 'Oslo' stays)
    assert "Oslo" in condense("What about the Christmas one?", history)[0]


def test_a_thing_the_answer_labelled_in_brackets_keeps_its_label():
    history = exchange("Can I use the VPN from Chile?",
                       "Yes, but first tell the help desk your dates in a HelpPoint ticket (Access → Abroad) [1].")
    standalone, how = condense("How far ahead do I have to raise that ticket?", history)
    assert how == "rule" and "HelpPoint ticket (Access → Abroad)" in standalone, standalone


@pytest.mark.parametrize(("label", "expected"), [
    ("If you start after the 15th of the month", Range(15 + 1e-9, float("inf"), DAY_OF_MONTH)),
    ("Claims approved by the 20th of the month", Range(float("-inf"), 20, DAY_OF_MONTH)),
    ("From the 3rd", Range(3, float("inf"), DAY_OF_MONTH)),
])
def test_a_day_of_the_month_bounds_a_range(label, expected):
    assert label_range(label) == expected


def test_the_day_of_the_month_the_asker_states():
    assert (20.0, DAY_OF_MONTH) in question_quantities("I started on the 20th, when am I paid?")
    assert (3.0, DAY_OF_MONTH) in question_quantities("I start on 3 March.")
    assert all(unit != DAY_OF_MONTH for _, unit in question_quantities("Is the kitchen on the 2nd floor?"))


def test_a_time_said_by_the_one_it_follows_is_a_date():
    asked = "When will I get my first salary?"
    assert has_value("date", "Your first salary comes with the following month's payroll.", asked)
    assert has_value("date", "We reply the next working day.", asked)


def test_a_pickpocketed_card_is_a_stolen_one():
    assert "stolen" in policy_words("My card was pickpocketed on the metro.")


def test_a_housing_pried_open_has_been_tampered_with():
    assert "tampered" in policy_words("The sensor housing has been pried open.")


def test_a_card_that_fell_out_of_a_pocket_is_lost():
    assert "lost" in policy_words("I think my company card fell out of my pocket on the bus.")


def test_a_sign_in_approval_request_is_a_push_request():
    assert "push" in policy_words("My phone just showed a sign-in approval request that I didn't start.")


def test_still_in_the_scene_does_not_ask_whether_a_rule_still_holds():
    assert not asks_still("My laptop is due to be replaced, but it still works fine. Can I keep it for longer?")
    assert asks_still("Do guests still need a printed badge?")


def test_the_askers_case_is_not_what_a_quota_counts():
    assert quota_activity("how many days a week am I allowed to work from home if I'm based in Oslo?") == {"home"}
    assert quota_activity("How many days a year may I work abroad, given I'm part-time?") == {"abroad"}
    # what one is expected to do counts as much as what one may do; a name only says where
    assert quota_activity("How many days a week are we expected to come into the Oslo office?") == {"come", "offic"}


@pytest.mark.parametrize("said", ["my mentor and I aren't really clicking", "we just don't get along",
                                  "we're not gelling"])
def test_a_pair_not_getting_on_is_a_match_not_working(said):
    assert "match" in policy_words(said)


@pytest.mark.parametrize("question", [
    "I started on the 20th in Oslo, will I get paid at the end of this month?",
    "I'm starting on the 20th of the month. When will I get my first salary?",
])
def test_the_rule_whose_day_holds_the_start_date_answers(question, settings_factory, embedder):
    # ('the 20th' in the expenses row is the same figure, not the same subject)
    llm = ExtractiveLLM(settings_factory(), embedder)
    answer = llm.generate(make_request(question, [CLAIMS_PAID, FIRST_PAY], settings_factory()))
    assert answer.startswith("If you start after the 12th"), answer


WORKING_ALONE = section("## Working alone\n\nPart of the Nordvik field handbook. It applies to everyone who installs "
                        "or inspects sensors outside our offices.\n\nYou must not work alone in these situations:\n\n"
                        "- work at height above 2 metres, including ladders;\n- entering a confined space;\n"
                        "- night work.\n\nVisual inspections from the ground may be done alone.\n",
                        "Field safety: working alone", "Working alone")


def test_an_adverb_before_the_verb_is_no_thing_asked_about():
    assert asked_object("Can I just crack on by myself?", "My colleague is late.") == ""
    assert asked_object("Can I just bring my dog to the office?") == "dog"
    assert asked_object("Could I really take my laptop abroad?") == "laptop"


def test_right_on_the_bank_is_at_the_waters_edge_but_a_bank_holiday_is_not():
    assert "edge" in policy_words("I need to adjust a sensor right on the bank.")
    assert "edge" not in policy_words("Is the office open on the bank holiday?")


def test_a_capitalised_word_opening_a_phrase_is_no_name_for_it():
    spans = tuple(split_sentences("Part of the Nordvik handbook. It applies to everyone in the field."))
    assert _named_subject(spans, [0, 1]) == ""
    spans = tuple(split_sentences("Washington has put forward conditions. It demands that Oslo pay more."))
    assert _named_subject(spans, [0, 1]) == "Washington"


def test_the_case_a_list_of_situations_names_is_the_askers(settings_factory, embedder):
    # ('in these situations:' makes each item a case; the ladder is the asker's)
    llm = ExtractiveLLM(settings_factory(), embedder)
    answer = llm.generate(make_request("I need to replace a sensor at the top of a tall ladder and my colleague has "
                                       "gone home sick. Can I just carry on by myself?", [WORKING_ALONE],
                                       settings_factory()))
    assert answer.startswith("You must not work alone") and "work at height" in answer, answer
    assert "Part applies" not in answer


CARD_LIMITS = section("## Limits\n\n| Card type | Monthly limit |\n|---|---|\n| Standard | NOK 30,000 |\n"
                      "| Budget holder | NOK 100,000 |\n\nTemporary increases (for example to pay a conference "
                      "deposit) can be requested in StaffDesk with your director's approval; they last for one "
                      "month.\n",
                      "Company cards", "Limits")


@pytest.mark.parametrize("question", [
    # a pointer in statement order ('how much that allowance is per day', as a request leaves it)
    "I'm moving to the Bergen office and staff get a meal allowance there. How much that allowance is per day?",
    # the question the scene relays, asked as 'Do you know?'
    "One of my Bergen people asked how much the meal allowance they get with their salary is worth per day. Do you "
    "know?",
])
def test_the_allowance_whose_amount_is_asked(question):
    assert valued_things(question)[0] == {"meal", "allow"}


def test_how_high_a_spending_limit_goes_asks_a_sum():
    asked = "How high can a temporary limit increase on my company card go?"
    assert typed_value(asked) == "money"
    assert valued_things(asked)[0] == {"temporari", "limit", "increas"}
    assert typed_value("How high can the ladder be?") == ""  # a height, not a sum


def test_a_limit_increase_whose_size_no_text_gives_is_not_found(settings_factory, embedder):
    # (the Standard card's limit is another limit's sum; the increase is spoken of under 'Limits', with no sum)
    llm = ExtractiveLLM(settings_factory(), embedder)
    answer = llm.generate(make_request("How high can a temporary limit increase on my company card go if I need to "
                                       "pay a big conference deposit?", [CARD_LIMITS], settings_factory()))
    assert answer == "", answer


MEALS = section("## Meals and entertainment\n\n- Meals while travelling overnight are covered by the daily allowance.\n"
                "- Client or partner entertainment: up to NOK 700 per head, including drinks.\n"
                "- Team celebrations need prior approval from your director.\n", "Expense claims",
                "Meals and entertainment")


@pytest.mark.parametrize(("question", "answered"), [
    # the case the label names is the asker's, in their words or the policy's
    ("How much can I spend per head when I take a customer out to dinner?", True),
    ("What's the limit per head for client entertainment?", True),
    # ... or another's: the team's party is no client entertainment
    ("I'm planning our team's Christmas party. What's the per-head budget we're allowed to spend?", False),
])
def test_a_figure_for_a_case_the_question_never_names_does_not_answer(question, answered, settings_factory,
                                                                       embedder):
    llm = ExtractiveLLM(settings_factory(), embedder)
    answer = llm.generate(make_request(question, [MEALS], settings_factory()))
    assert ("NOK 700" in answer) == answered, answer


def test_roles_the_asker_says_they_are_not_in_are_ruled_out():
    assert {"senior", "technic"} <= negated_terms("She's on a normal contract (it's not one of the senior or highly "
                                                   "technical roles). How long is her probation?")


def test_thanks_for_ones_time_closes_a_letter():
    assert without_letter("Hello, could you tell me who the DPO is? Thanks very much for your time.") == \
        "Hello, could you tell me who the DPO is?"
    assert without_letter("Who is the DPO? Thank you so much in advance for your help.") == "Who is the DPO?"


@pytest.mark.parametrize(("question", "years", "past"), [
    ("My IPAF card is from 2021. How often does that need renewing?", {"2021"}, False),
    ("I joined Nordvik in 2019. How many days of leave do I get?", {"2019"}, False),
    ("What was the daily allowance in 2024?", set(), True),  # a year asked about
])
def test_a_year_since_which_the_asker_has_had_something_is_no_question_about_the_past(question, years, past):
    assert years_had_since(question) == years
    assert about_past(question) == past


AI_TOOLS = section("## AI tools\n\nPublic AI chatbots may be used only with information classed as Public. Never paste "
                   "customer data or source code into a public AI tool. Use Nordvik Helper, the approved AI assistant, "
                   "for anything else.\n", "Acceptable use", "AI tools")
CLASSES = section("## Confidential\n\nRaw readings from customer sensors are Confidential.\n",
                  "Data classification", "Confidential")


def test_what_to_do_instead_goes_with_the_answers_first_no_whether_or_not_it_leads(settings_factory, embedder):
    llm = ExtractiveLLM(settings_factory(), embedder)
    answer = llm.generate(make_request("Can I paste a customer's raw sensor readings into ChatGPT to help me write a "
                                       "summary?", [CLASSES, AI_TOOLS], settings_factory()))
    assert "Never paste" in answer and "Nordvik Helper" in answer, answer


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


def test_a_pickpocketed_card_is_frozen_first(service):
    answer = service.answer("My corporate card has just been pickpocketed on the metro. What do I do right now?")
    assert answer.answer.startswith("Freeze the card"), answer.answer


def test_a_buddy_pair_not_clicking_is_told_whom_to_contact(service):
    answer = service.answer("my buddy and I aren't really clicking tbh. who can I talk to about getting a different "
                            "one without it being awkward?")
    assert "Sophie Lang" in answer.answer, answer.answer


def test_a_quota_of_days_for_a_doing_no_article_counts_is_not_found(service):
    # (a part-timer's '3 days a week' counts days of work, not of working from home)
    answer = service.answer("how many days a week am I allowed to work from home if I'm based in Leeds?")
    assert answer.abstained, answer.answer


def test_a_table_the_question_names_joins_the_passages_a_long_scene_retrieved(service):
    # (the scene's words draw the ranking to other sections of the rates article; the table's heading and header
    # row, 'Per diem rates ... Overnight rate (per night)', name what is asked)
    answer = service.answer("I'm checking a colleague's expense claim for a two-night trip to Bristol in March 2026. "
                            "How much per diem can they claim per night for a UK trip?")
    assert "£55" in answer.answer.split("[1]")[0], answer.answer


def test_a_renewal_asked_of_a_card_held_since_a_past_year_is_answered_now(service):
    answer = service.answer("Doing lamp post installs with the cherry picker this season and my IPAF card is from "
                            "2021. How often does that need renewing?")
    assert "Every 5 years" in answer.answer, answer.answer


def test_an_approval_request_tapped_by_mistake_is_reported_as_an_incident(service):
    answer = service.answer("My phone just showed a sign-in approval request that I didn't start, and I think I may "
                            "have tapped approve by mistake. What should I do?")
    assert answer.answer.startswith("Report an incident") and "Install" not in answer.answer, answer.answer


def test_the_christmas_one_after_the_holiday_allowance_asks_when_the_christmas_allowance_is_paid(service):
    history = exchange("I'm on a Porto contract and just back from leave. When is the holiday allowance (subsídio de "
                       "férias) paid?", "It is paid with the June payroll [1].")
    answer = service.answer("And the Christmas one?", history=history)
    assert "November" in answer.answer and "June" not in answer.answer, answer.answer


def test_a_by_when_part_is_answered_by_the_rule_with_the_date_not_the_note_that_it_moved(service):
    # ('moved the deadline for using carried days later in the year' says 'use' but gives no date)
    answer = service.answer("How many unused holiday days am I allowed to carry into next year, and by when do I have "
                            "to use them? I'm in the Porto office.")
    assert "8 days" in answer.answer and "30 April" in answer.answer, answer.answer
