"""What the thirty-sixth session's held-out questions taught the answerer: a chat nod ('nice one, and ...?') and a
'when I ...' condition continue the conversation; 'I've rung it' is the line the answer said to call; a long word
missing a letter ('portugese') is mended; a supplier 'dropping by' is a visitor and 'heads up' is notice; a
lead-in naming a thing values it in the rows it opens; another article's lesser figure does not join the one asked;
questions asked one after another are parts; the way the asker travels ('fly') rules out another way's rule ('Rail:
standard class'), and an exception ('only with CFO approval') comes after the rule unless the question names it; a
question about what a role gets is answered only by a sentence giving something, for that role. By the rules alone
and on the sample corpus (real index and embedding model)."""

from __future__ import annotations

import pytest

from ragqa.policy_words import policy_words
from ragqa.service.condense import condense, depends_on_history, standalone_parts
from ragqa.service.models import Turn
from ragqa.service.question_types import typed_value
from ragqa.service.spelling import mended_spelling
from ragqa.service.unvalued import valued_things
from ragqa.service.vehicles import other_mode, travel_modes

NOT_FOUND = "I could not find the answer to that in the articles."


def _turns(*pairs: tuple[str, str]) -> list[Turn]:
    return [Turn(role=role, content=content) for role, content in pairs]


# --- conversations --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("nod", ["nice one", "cheers", "good to know", "fair enough"])
def test_a_chat_nod_before_and_continues_the_question(nod):
    history = _turns(("user", "When do they test the fire alarm in the Leeds office?"),
                     ("assistant", "Every Wednesday at 10:00."))
    assert condense(f"{nod}, and over in Porto?", history) == (
        "When do they test the fire alarm in the Porto office?", "rule")


def test_a_when_clause_with_its_subject_is_a_condition_on_the_last_question():
    history = _turns(("user", "How many holiday days do I get in Leeds?"),
                     ("assistant", "25 days plus the UK bank holidays."))
    standalone, how = condense("And when I have been here more than five years?", history)
    assert how == "rule" and standalone.startswith("How many holiday days do I get in Leeds"), standalone
    # a real 'when' question is asked with its verb first
    assert not depends_on_history("When do I have to use my carried-over days in Porto?")


def test_the_line_called_is_the_one_the_answer_gave():
    history = _turns(("user", "I typed my passphrase into a page I now doubt. What now?"),
                     ("assistant", "Call the Security hotline on ext 7111 straight away."))
    assert depends_on_history("I've tried calling it three times and no one answers.")
    standalone, _ = condense("I've tried calling it three times and no one answers.", history)
    assert "the Security hotline" in standalone, standalone


def test_an_unanswered_hotline_falls_back_to_the_help_desk(service):
    history = _turns(("user", "I typed my passphrase into a page I now doubt. What now?"),
                     ("assistant", "Call the Security hotline on ext 7111 straight away."))
    answer = service.answer("Rang it a few times, nobody picks up. What now?", history=history)
    assert "4357" in answer.answer, answer.answer


def test_the_follow_up_after_a_nod_is_answered_for_the_new_place(service):
    history = _turns(("user", "When do they test the fire alarm in the Leeds office?"),
                     ("assistant", "Leeds tests it every Wednesday at 10:00."))
    answer = service.answer("cheers, and over in Porto?", history=history)
    assert "Thursdays at 11:00" in answer.answer, answer.answer


# --- words ------------------------------------------------------------------------------------------------------


def test_a_long_word_missing_a_letter_is_mended():
    used = {"portuguese": 5, "brother": 3}

    def counts(words):
        return {w: used.get(w, 0) for w in words}

    assert mended_spelling("probation on a portugese contract?", counts) == "probation on a portuguese contract?"
    # a name in the question is mended only to a country's word
    assert mended_spelling("Is a Portugese contract different?", counts) == "Is a Portuguese contract different?"
    # a letter left out is put back only in a long word: 'bother' (6 letters) is not mended to the used 'brother'
    assert mended_spelling("Can my bother come?", counts) == "Can my bother come?"


@pytest.mark.parametrize(("question", "meant"), [
    ("a supplier is dropping by the Porto office, how much heads up do I give?", {"visitor", "notice"}),
    ("a couple of people from the council are coming to meet my team", {"visitor"}),
    ("I invited two people from a firm we sell to for dinner", {"entertainment", "customer"}),
    ("the hotel throws in the morning meal; does that knock anything off?", {"breakfast", "reduce"}),
    ("what flotation equipment do I wear by the river?", {"lifejacket"}),
    ("I left my pass on the kitchen table at home", {"forgot"}),
    ("think I put my password into a dodgy looking login page", {"incident", "doubt"}),
    ("is there any way I can pay for a few more days off?", {"buy"}),
])
def test_everyday_words_for_the_articles_terms(question, meant):
    assert meant <= set(policy_words(question)), policy_words(question)


def test_a_partner_meeting_beside_a_meal_is_no_entertainment():
    said = policy_words("three nights for a partner meeting, and the hotel throws in the morning meal")
    assert "entertainment" not in said, said


def test_the_asked_value_types():
    assert typed_value("How much heads up do I need to give?") == "notice"
    assert typed_value("What class am I allowed to book?") == "class"
    assert typed_value("And how much I pay if I lose my card?") == "money"


def test_an_amount_of_the_scenes_money_is_of_the_scenes_thing():
    things = valued_things("We get money for food with our salary in Porto. How much is this money for each day?")
    assert frozenset({"meal", "allow"}) in things, things


def test_the_ways_of_travelling_a_text_names():
    assert travel_modes("I need to fly out to Porto next week") == {"air"}
    assert travel_modes("I can't get at the shared drives from the hotel") == frozenset()  # no road
    assert other_mode(frozenset({"air"}), "Rail: standard class.")
    assert not other_mode(frozenset({"air", "rail"}), "Rail: standard class.")
    assert not other_mode(frozenset({"air"}), "Business class: only with CFO approval.")


# --- answers ----------------------------------------------------------------------------------------------------


def test_questions_asked_one_after_another_are_parts():
    parts = standalone_parts("At the Leeds office, where do we wait when the fire alarm goes? "
                             "And which day do they test the alarm?")
    assert len(parts) == 2 and parts[1].startswith("At the Leeds office."), parts
    # a statement asked as a question, then the question itself, is one question
    assert len(standalone_parts("Need to pay £650 in one go - will that bounce? What's the most I can put "
                                "through at once?")) == 1


def test_two_questions_in_one_message_are_both_answered(service):
    answer = service.answer("At the Leeds office, where must we go to wait when the fire alarm rings? And which day "
                            "do they test the alarm each week?")
    assert "Canal Basin" in answer.answer and "Wednesdays at 10:00" in answer.answer, answer.answer


def test_a_visitor_dropping_by_is_answered_for_that_office_only(service):
    answer = service.answer("someone from a supplier is dropping by the porto office, how much heads up do i need "
                            "to give")
    assert "24 hours" in answer.answer and "two weeks" not in answer.answer, answer.answer


def test_a_lead_in_naming_the_thing_values_it_in_its_rows(service):
    answer = service.answer("One of my engineers is staying over in London for a workshop. What's the most we can "
                            "spend on his hotel room per night?")
    assert "£180" in answer.answer, answer.answer


def test_another_articles_lesser_figure_does_not_join_the_one_asked(service):
    answer = service.answer("I'm taking some people from a company we sell to out for dinner in Leeds. How much "
                            "can I spend for each guest?")
    assert "£60" in answer.answer and "buddy" not in answer.answer.lower(), answer.answer


def test_a_flight_is_answered_with_the_flights_class(service):
    answer = service.answer("Need to fly out to Porto from Manchester for a customer in a few weeks. What class "
                            "am I allowed to book?")
    assert answer.answer.startswith("Flights under 6 hours: economy"), answer.answer


def test_a_portuguese_senior_technical_probation_typed_loosely(service):
    answer = service.answer("how long is probation for a senior techy role on a portugese contract")
    assert "180 days" in answer.answer, answer.answer


def test_what_a_role_gets_needs_a_sentence_giving_it(service):
    answer = service.answer("I'm thinking of becoming a first aider. Do first aiders get anything for doing it, "
                            "like extra leave or money?")
    assert answer.abstained, answer.answer
    answer = service.answer("The colleagues in orange vests who tell everyone where to go when the alarm rings: if "
                            "I volunteer for that, do I get something extra?")
    assert "extra day of annual leave" in answer.answer, answer.answer


def test_an_allowance_named_without_its_amount_is_not_guessed(service):
    answer = service.answer("In Porto there's no café and we get money for food with the salary. How much is this "
                            "money for each day?")
    assert answer.answer == NOT_FOUND, answer.answer


@pytest.mark.parametrize(("question", "fact"), [
    ("think I put my password into a dodgy looking login page from an email, what do I do", "ext 7111"),
    ("Three nights in Lisbon next month and the hotel throws in the morning meal. Does that knock anything off "
     "the daily food money I can claim?", "20%"),
    ("Next month I'm helping fit a water-level monitor near a river. What flotation equipment must I wear?",
     "150N lifejacket"),
    ("I left my pass on the kitchen table at home and I'm outside 2 Wharf Street. How do I get in today?",
     "temporary day badge"),
])
def test_everyday_wordings_reach_the_fact(service, question, fact):
    answer = service.answer(question)
    assert fact in answer.answer, answer.answer


def test_another_role_taken_instead_is_asked_the_same_question():
    history = _turns(("user", "Sam on my team wants to become a fire warden. What does he get for it?"),
                     ("assistant", "Wardens receive an extra day of annual leave each year."))
    standalone, _ = condense("OK. And if Ana signs up as a first aider instead, does she get anything for that?",
                             history)
    assert standalone == "Sam on my team wants to become a first aider. What does he get for it?", standalone


@pytest.mark.parametrize("question", [
    # a thing named without its amount, in the clause that names it ('then Statutory Sick Pay; ... 90%')
    "My half pay is about to end and I'll be on Statutory Sick Pay. I need to plan, so how much is Statutory Sick "
    "Pay per week?",
    # a loan named without its limit
    "I'd like an annual season ticket into Leeds for £3,000. What's the most Fernhill will lend me?",
    # a thing described that no article names
    "Coming to Porto for training in March. What's the weather usually like then?",
])
def test_what_the_articles_do_not_say_is_not_answered(service, question):
    assert service.answer(question).answer == NOT_FOUND


def test_a_role_taken_instead_gets_no_other_roles_reward(service):
    history = _turns(("user", "Sam on my team wants to become a fire warden. What does he get for it?"),
                     ("assistant", "Wardens receive an extra day of annual leave each year."))
    answer = service.answer("Nice. And if Ana volunteers as a first aider instead, does she get anything extra for "
                            "that?", history=history)
    assert answer.answer == NOT_FOUND, answer.answer


def test_a_reason_before_the_question_leaves_the_thing_asked():
    assert valued_things("I need to budget, so how much is Statutory Sick Pay per week?") == [
        frozenset({"statutori", "sick", "pay"})]


# --- the thirty-sixth session's second read round (AK) -------------------------------------------------------------


def test_a_question_typed_without_its_mark_still_lends_its_thing():
    history = _turns(("user", "how many unused hol days can i roll into next yr"),
                     ("assistant", "You can carry over up to 8 days."))
    standalone, _ = condense("By when do I have to use them? I'm Porto based.", history)
    assert "use the unused hol days" in standalone, standalone


@pytest.mark.parametrize(("question", "previous"), [
    ("What happens if I don't get round to it in time?", "How long have I got to set up the phone app?"),
    ("what number do I ring?", "If I fall ill on a work trip abroad, am I covered?"),
])
def test_follow_ups_that_name_nothing_lean_on_the_conversation(question, previous):
    assert depends_on_history(question)
    standalone, how = condense(question, _turns(("user", previous), ("assistant", "Yes.")))
    assert how == "rule" and standalone != question, standalone


def test_a_new_hire_named_with_her_place_asks_the_last_question_there():
    history = _turns(("user", "One of my engineers in Leeds has lost his staff badge. Does he have to pay for a new "
                              "one?"), ("assistant", "The first replacement is free."))
    standalone, _ = condense("What if it's Carla, my new hire in Porto, who loses hers?", history)
    assert standalone == "One of my engineers in Porto has lost his staff badge. Does he have to pay for a new one?"


@pytest.mark.parametrize(("question", "fact"), [
    ("I have forgotten my password and I have also lost the phone my authentication app was on. What should I do "
     "to get back into my account?", "Temporary Access Pass"),
    ("Mark in my Leeds team will be off ill for a fortnight. From which day does he need a doctor's note?",
     "8th calendar day"),
    ("I've got old printed papers with a customer contract on them. Where do I throw them?", "confidential-waste"),
    ("I'm a budget holder in Leeds, how much can I put on the company card per month?", "£10,000"),
    ("Off to Lisbon for work next month and I'll stay at my cousin's rather than a hotel. Do I get anything for "
     "that?", "£25 / €28"),
    ("In the Porto office, at what time is the street door locked in the evening? And if I lose my card for the "
     "doors, how much do I pay for a new one?", "19:30"),
])
def test_the_second_rounds_wordings_reach_the_fact(service, question, fact):
    answer = service.answer(question)
    assert fact in answer.answer, answer.answer


def test_the_case_that_needs_the_note_answers_from_which_day(service):
    answer = service.answer("Mark in my Leeds team will be off ill for a fortnight. From which day does he need a "
                            "doctor's note, and how long does he stay on full pay?")
    assert "8th calendar day" in answer.answer and "20 working days" in answer.answer, answer.answer
    assert "no doctor's note" not in answer.answer, answer.answer  # (the case before it, which needs none)


@pytest.mark.parametrize("question", [
    "I want a monthly pass at the car park Fernhill has a deal with near the Porto office. How many euros a month "
    "will it cost me after the discount?",
])
def test_a_price_not_given_is_not_answered_with_a_share(service, question):
    assert service.answer(question).answer == NOT_FOUND


def test_how_many_euros_asks_a_sum():
    assert typed_value("How many euros a month will it cost me?") == "price"
