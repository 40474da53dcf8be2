"""What the thirty-second session's held-out questions taught the answerer: a thing carried into next year that the
articles never carry over, two things asked after one 'what's', a share of a thing said before ('all of it'), the
section whose heading asks the question, a statement checked with a tag, the price of doing a thing, the first of
numbered steps, a case the current policy leaves to the old one, the building of the office the conversation named,
a vehicle no article names, and everyday words for cabins, client meals, one's own phone, chat retention, signing in
and more. By the rules alone and on the sample corpus (real index and embedding model)."""

from __future__ import annotations

import pytest

from ragqa.service.carried import carried_elsewhere_only
from ragqa.service.condense import condense, depends_on_history
from ragqa.service.grounding import asked_as
from ragqa.service.models import Turn
from ragqa.service.question_types import (
    _what_the_pair,
    about_past,
    asks_old_version,
    has_value,
    question_parts,
    split_context,
)
from ragqa.service.unvalued import valued_things
from ragqa.service.vehicles import asked_vehicle

# --- by the rules alone ------------------------------------------------------------------------------------------

LEAVE_CARRIED = ["Carry-over: You may carry over up to 8 days of unused annual leave into the next leave year.",
                 "Development budget: Each employee has a personal learning budget of £600 per year."]


@pytest.mark.parametrize(("question", "elsewhere"), [
    ("Does unused learning budget roll over?", True),
    ("If I don't spend all of my training budget, can the leftover be added to next year's?", True),
    ("How many days of holiday can I carry over?", False),  # (leave is what the sentences carry)
    # ('allowed' is no allowance: the question is about leave)
    ("How many days am I allowed to roll over into next year?", False),
    ("How much is the learning budget?", False),  # (nothing carried)
    ("What paperwork should I bring on my first morning?", False),
])
def test_a_kind_of_thing_no_sentence_carries_over(question, elsewhere):
    assert carried_elsewhere_only(question, LEAVE_CARRIED) is elsewhere


def test_a_kind_carried_in_a_sentence_is_answered():
    sentences = [*LEAVE_CARRIED, "Unspent budget: Up to £200 of unspent budget carries over to the next year."]
    assert not carried_elsewhere_only("Does unused learning budget roll over?", sentences)


@pytest.mark.parametrize(("question", "parts"), [
    ("travel insurance - what's the policy no and the 24hr helpline number pls",
     ["travel insurance - What is the policy no?", "travel insurance - What is the 24hr helpline number?"]),
    ("What is the policy number and the helpline number?",
     ["What is the policy number?", "What is the helpline number?"]),
])
def test_two_things_after_one_what_are_two_parts(question, parts):
    assert question_parts(question) == parts


@pytest.mark.parametrize("question", [
    "What is the difference between the Leeds and the Porto rate?",
    "What's the rule and do I need approval?",  # (a clause, not a thing: split elsewhere or not at all)
])
def test_one_thing_or_a_clause_is_not_a_pair_of_things(question):
    assert _what_the_pair(question) == [question]
    assert question_parts("What is the difference between the Leeds and the Porto rate?") == [
        "What is the difference between the Leeds and the Porto rate?"]


def test_a_share_of_it_leans_on_the_thing_said_before():
    assert depends_on_history("If I don't spend all of it this year, does what's left carry over to next year?")
    # (people named before it are not what 'it' is)
    assert depends_on_history("If one of my engineers doesn't spend all of it this year, does the rest carry over?")
    assert not depends_on_history("If I don't spend all of the budget this year, does what's left carry over?")
    history = [Turn(role="user", content="What is the annual personal learning budget?"),
               Turn(role="assistant", content="Each employee has a personal learning budget of £600 per year.")]
    standalone, how = condense("If I do not spend all of it this year, may the rest be carried forward?", history)
    assert how == "rule" and "learning budget" in standalone


# --- on the sample corpus -----------------------------------------------------------------------------------------

BUDGET_HISTORY = [Turn(role="user", content="Is there any money I can use for training courses or books?"),
                  Turn(role="assistant", content="Yes. Everyone has a personal learning budget of £600 / €700 per "
                                                 "year; your manager approves the spend in PeopleHub.")]


def test_carrying_leave_over_is_still_answered(service):
    # (the asking words order a little too: without, the scene's 'If I don't use all my holiday' chose its own)
    answer = service.answer("If I don't use all my holiday, can I roll it over into next year?")
    assert "8 days" in answer.answer and answer.citations[0].doc_id == "hr/leave-carry-over-2026"


@pytest.mark.parametrize(("question", "facts", "source"), [
    # a scene about the year's end: the carry-over limit answers what is asked of it
    ("Some of my engineers have leave left that they won't get to use before Christmas. How many of those days may "
     "they move into next year?", ["8 days"], "hr/leave-carry-over-2026"),
    ("travel insurance - whats the policy no and the 24hr helpline number pls",
     ["FH-TRV-2026-0412", "+44 20 7946 0315"], "travel/travel-safety-and-insurance"),
    # a cabin is a class of travel; a meal with a customer's people is client entertainment
    ("I'm flying from Manchester to Boston (about 8 hours) for a trade show. What cabin can I book, and how early do "
     "I need to ask for approval?", ["premium economy", "21 days"], "travel/booking-travel"),
    ("I'm taking a couple of people from one of the councils we work with out for a meal after a site visit. Is "
     "there a cap on how much I can spend on each of them?", ["£60"], "finance/expense-claims-ledgerly"),
    # one's own mobile and what to put on it; a chat tool's one-to-one conversations and how long they are retained
    ("My new hire wants to see work chat and email on her own mobile. What does she have to put on it first?",
     ["Fernhill Work Profile"], "security/acceptable-use"),
    ("If I send one-to-one chats to a colleague on the work chat app, how long does the company hang on to them?",
     ["2 years"], "security/acceptable-use"),
])
def test_everyday_questions_get_the_asked_fact(service, question, facts, source):
    answer = service.answer(question)
    assert all(fact in answer.answer for fact in facts), answer.answer
    assert source in [c.doc_id for c in answer.citations]


@pytest.mark.parametrize(("text", "word"), [
    ("How long probation lasts", "how long"),
    ("## How to carry over", "how to"),
    ("How do I claim it?", "how to"),
    ("Who can have a card", "who"),
    ("What changed in 2026", ""),  # ('what' heads sections of every kind)
    ("However long it takes", ""),
])
def test_the_question_word_a_heading_asks_with(text, word):
    assert asked_as(text) == word


def test_the_section_whose_heading_asks_the_question_leads(service):
    # 'How long probation lasts' over 'A Leeds probation can be extended once, by up to 3 months'
    answer = service.answer("Just started in Leeds. How long is the trial period?")
    assert answer.answer.startswith("For Leeds and UK contracts, the probation period is 6 months"), answer.answer
    # (its verb is no word of its thing: 'How long does the buddy programme last?' is not about probation)
    answer = service.answer("How long does the buddy programme last for a new starter?")
    assert "probation" not in answer.answer, answer.answer


@pytest.mark.parametrize(("question", "scene", "asked"), [
    ("Porto folks get a meal allowance instead of a café, right? How much is it per day?",
     "Porto folks get a meal allowance instead of a café.", "How much is it per day?"),
    ("Porto staff get a meal allowance, right?", "", "Porto staff get a meal allowance, right?"),  # (the tag asks)
])
def test_a_statement_checked_with_a_tag_is_the_scene(question, scene, asked):
    assert split_context(question) == (scene, asked)


def test_them_is_whom_the_answer_said_to_call_at_the_start_of_its_sentence():
    history = [Turn(role="user", content="My flight home just got cancelled and it's 10pm, who do I ring?"),
               Turn(role="assistant", content="Call Skyroute's 24-hour emergency line on +44 113 496 0799.")]
    assert condense("What code do I give them?", history) == ("What code do I give Skyroute?", "rule")


@pytest.mark.parametrize(("question", "thing"), [
    ("How much will I be charged for charging my car there?", {"charg", "car"}),
    ("How much does it cost to charge my electric car at the Leeds office?", {"charg", "electr", "car"}),
    ("And how much I pay to charge my electric car there?", {"charg", "electr", "car"}),
    ("How much does it cost?", None),  # (nothing named: the scene's thing, when there is one)
])
def test_the_price_of_doing_a_thing_names_the_doing_and_its_object(question, thing):
    things = valued_things(question)
    assert (set(things[0]) if things else None) == thing


@pytest.mark.parametrize("question", [
    "I'm on a Leeds contract and woke up at 7am on Tuesday 3 March with a high temperature, so I can't come in. "
    "What's the first thing I need to do?",
    "I woke up at 7am today, Tuesday 3 March, with a high fever and can't make it into the Leeds office. What do I "
    "need to do first?",
])
def test_the_first_thing_to_do_is_the_first_of_the_numbered_steps(service, question):
    # ('first' also fits the sick pay row 'first 20 working days', which the Leeds contract named pulls up)
    answer = service.answer(question)
    assert answer.answer.startswith("Call your line manager"), answer.answer
    assert "09:30" in answer.answer


@pytest.mark.parametrize(("sentence", "dated"), [
    ("You may carry over up to 5 days of unused annual leave.", False),  # ('may' the verb is no month)
    ("Decide on a separate market for junior staff, maybe.", False),  # (nor a word that starts like one)
    ("Carried-over days must be taken by 31 March of the new leave year.", True),
    ("Submit it by 31 may.", True),
])
def test_a_month_is_named_by_its_name_only(sentence, dated):
    assert has_value("date", sentence, "By what date do I have to use them?") is dated


@pytest.mark.parametrize(("question", "old"), [
    ("Under the old rules, before the carry-over policy was changed this year, by what date did my team have to use "
     "up the holiday they'd carried over?", True),
    ("Under the old rules that still apply to those days, by when does she have to use them?", True),
    ("Is the old rate still valid now?", False),  # (asks how things are now)
    # (the version asked under, in a phrase before what is asked)
    ("Under the previous rule, how many unused days could you take over?", True),
])
def test_a_clause_naming_the_old_version_does_not_ask_about_now(question, old):
    assert asks_old_version(question) is old
    assert about_past(question) is old


@pytest.mark.parametrize("question", [
    # the current policy says days carried from 2025 into 2026 follow the old rules
    "I'm on a Leeds contract and I rolled 4 unused holiday days over from 2025 into 2026. By what date do I have to "
    "use them?",
    "Under the old rules, before the carry-over policy was changed this year, by what date did my team have to use up "
    "the holiday they'd carried into the new year?",
])
def test_a_case_the_current_policy_leaves_to_the_old_one_is_answered_from_it(service, question):
    answer = service.answer(question)
    assert "31 March" in answer.answer.split("[1]")[0] and "30 June" not in answer.answer, answer.answer
    assert answer.citations[0].doc_id == "hr/leave-carry-over-2024"


def test_a_case_the_current_policy_keeps_is_answered_from_it(service):
    answer = service.answer("How many days can I carry over from 2026 into 2027?")
    assert "8 days" in answer.answer and answer.citations[0].doc_id == "hr/leave-carry-over-2026"


def test_sending_a_message_that_i_am_fine_is_checking_in(service):
    history = [Turn(role="user", content="Tomorrow I check an air sensor on a lamp post, only from the ground. Can I "
                                         "go without a colleague?"),
               Turn(role="assistant", content="Yes. Ground-level air-quality sensor checks may be done alone, "
                                              "following the lone-working procedure.")]
    answer = service.answer("Ok. When I am there, how often I need to send a message that I am fine?", history=history)
    assert "every 2 hours" in answer.answer, answer.answer


def test_the_same_arrangement_for_another_place_is_the_previous_question_there():
    history = [Turn(role="user", content="What does it cost to replace a lost staff badge at the Leeds office?"),
               Turn(role="assistant", content="In Leeds the first replacement is free; further ones cost £10.")]
    assert condense("Does the same arrangement apply to colleagues based in Porto?", history) == (
        "What does it cost to replace a lost staff badge at the Porto office?", "rule")


def test_a_push_i_never_started_is_an_attack_and_the_hotline_is_given(service):
    # ('ok logins': a sign-in prompt to approve; 'I never did': not started by the asker) and an answer that says
    # to call the hotline gives its number, whatever kind of question it answers
    answer = service.answer("my phone keeps pinging me to ok logins i never did??")
    assert "Treat unexpected push requests as an attack" in answer.answer, answer.answer
    assert "ext 7111" in answer.answer


def test_the_building_is_in_the_place_whose_office_the_conversation_named():
    history = [Turn(role="user", content="I'm a Leeds engineer visiting the Porto office from 23 to 27 March. Will my "
                                         "blue badge work there?"),
               Turn(role="assistant", content="Yes, Leeds badges work in Porto; check in at reception on day one.")]
    assert condense("On the Thursday I'd like to stay late. How late can I stay in the building?", history) == (
        "On the Thursday I'd like to stay late. How late can I stay in the building in Porto?", "rule")
    # (no office named before: the question stands as asked)
    unrelated = [Turn(role="user", content="How many days of leave do I get?"), Turn(role="assistant", content="25.")]
    assert condense("What time does the office open?", unrelated) == ("What time does the office open?", "unchanged")


@pytest.mark.parametrize(("question", "asked"), [
    ("Is there a per-mile rate I can claim for using my bicycle on business, like the car mileage rate?", {"bicycle"}),
    ("Some days I ride my bike instead of driving. Can I claim mileage for it?", {"bicycle"}),
    ("What mileage can I claim for my own car?", {"car"}),
    ("Is there anywhere to park my bike?", set()),  # (no rate asked)
])
def test_the_vehicle_a_rate_is_asked_for(question, asked):
    assert asked_vehicle(question) == asked


def test_an_overnight_meal_allowance_on_a_trip_is_the_per_diem(service):
    answer = service.answer("Finance bounced an old claim of mine from a London trip in October 2025. What was the "
                            "overnight meal allowance for UK trips back then?")
    assert "£45" in answer.answer and answer.citations[0].doc_id == "travel/per-diem-rates-2024", answer.answer


TRAINING_HISTORY = [Turn(role="user", content="How much can each person in my team spend on training and courses each "
                                              "year?"),
                    Turn(role="assistant", content="Each employee has a personal learning budget of £600 / €700 per "
                                                   "year.")]


@pytest.mark.parametrize(("question", "history"), [
    # a budget carried over where only leave ever is
    ("Does unused learning budget roll over?", []),
    ("If I don't spend all of it this year, does what's left carry over to next year?", BUDGET_HISTORY),
    ("If someone doesn't spend all of it by the end of the year, does the leftover carry over into next year?",
     TRAINING_HISTORY),
    # a thing the articles name without its amount ('... is there?', '..., right? How much is it per day?', and
    # 'because' ending a thing of the scene: 'our salary because there's no canteen' is no thing)
    ("How much paternity leave is there?", []),
    ("Porto folks get a meal allowance in their pay instead of a café, right? How much is it per day?", []),
    ("I've just joined the Porto team and was told we get money for lunch in our salary because there's no canteen. "
     "How much is it per day?", []),
    # the price of charging a car (not the mileage rate for one's own car, nor the count of chargers)
    ("I've booked one of the EV charger spaces in the Leeds car park for Friday. How much will I be charged for "
     "charging my car there?", []),
    ("How much do I pay to charge my electric car in the Leeds office?", []),
    ("In the Leeds garage I want to charge my electric car. Is it free or how much it cost me?", []),
    # the amount of a scene's thing no article names (not sick pay's 'Fernhill tops it up to 90% of base salary')
    ("If I start paying 5% of my salary into the company pension from April, how much does Fernhill add on top?", []),
    ("I'm on a Leeds contract and pay 5% of my salary into the workplace pension. How much does Fernhill put in on "
     "top?", []),
    # a rate for a vehicle no article names (not the car's mileage)
    ("Some days I ride my bike instead of driving out to a customer site near Wakefield. Is there a per-mile rate I "
     "can claim for using my bicycle on business, like the car mileage rate?", []),
])
def test_what_the_articles_do_not_say_is_not_answered(service, question, history):
    answer = service.answer(question, history=history)
    assert answer.abstained, answer.answer


@pytest.mark.parametrize(("question", "facts", "source"), [
    # staying connected is a session; confirming one's identity again is approving MFA again
    ("When I am working remotely, how long can I remain connected to the company's internal systems before I am "
     "asked to confirm my identity on my phone again?", ["12 hours"], "it/vpn-and-remote-access"),
    # a small gadget to prove it's me is a security key
    ("I'd rather not put any work apps on my own mobile. Is there some small gadget I can use instead to prove it's "
     "me when I log in?", ["FIDO2"], "it/password-and-mfa"),
    # a floaty vest is a lifejacket; a role with 'nothing senior or specialist' is not the senior row
    ("I'm swapping a battery on one of the river sensors and it's only a couple of steps from the bank. Do I honestly "
     "need to put the floaty vest on for a five-minute job?", ["150N lifejacket"], "engineering/field-work-safety"),
    ("I've just started in the Porto office as a customer success coordinator - nothing senior or specialist. My "
     "manager keeps mentioning a trial period. How long does that last for me?", ["90 days"],
     "onboarding/probation-and-reviews"),
    # shut out after mistyping too many times is a locked account
    ("Sara on my team mistyped her login too many times and now she's shut out. How long before she can have another "
     "go?", ["15 minutes"], "it/password-and-mfa"),
    # a daily allowance for meals each night is the per diem, whose table joins though only its heading says so
    ("I shall be travelling to Toronto next month to visit a customer and will be staying for three nights. What "
     "daily allowance for meals and incidentals may I claim for each night?", ["$90"], "travel/per-diem-rates-2026"),
    # the car's own mileage is still answered
    ("What mileage can I claim for my own car?", ["45p per mile"], "finance/expense-claims-ledgerly"),
])
def test_more_everyday_words(service, question, facts, source):
    answer = service.answer(question)
    assert all(fact in answer.answer for fact in facts), answer.answer
    assert source in [c.doc_id for c in answer.citations]
