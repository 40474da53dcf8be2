"""What the thirty-fourth session's held-out questions taught the answerer: a table that lists examples of each
class ('Examples: Customer contracts, tender bids') names the class of a thing a question asks about, so the rules
written for the class answer it; everyday words for a lifejacket, a sign-in prompt, checking in, the press, a front
desk, an internal number, a canteen, a bell that rings, an entry card, a holiday payment and when a building lets one
in; 'how frequently' asks a figure, 'an alternative' names no thing and a price is asked of the thing charged for;
'when do I need' is answered by a list's labelled cases, and a stage a leading clause says is over is ruled out; what
one would do with the days counted, in the policy's words; a thing of one's data fed into a tool the rules speak of;
a rate asked by a unit no article counts in; a later part's 'they', which is the first part's thing; two things a
statement of need names, each asked on its own; the floor a law sets is not what one gets; a step written for the
case an everyday wording tells ('In a medical emergency ...'); a follow-up's person told by a relative clause or a
statement, its 'he' (the previous question's person, never an address) and its 'same thing' in another place. By the
rules alone and on the sample corpus (real index and embedding model)."""

from __future__ import annotations

import pytest

from ragqa.policy_words import policy_words
from ragqa.sentences import split_sentences
from ragqa.service.compounds import asked_amount_of
from ragqa.service.condense import condense
from ragqa.service.models import Turn
from ragqa.service.question_types import counted_doing, negated_terms, question_parts
from ragqa.service.table_rows import classes_named_by_example

_CLASSES = """| Tier | Who may handle it | Examples |
|---|---|---|
| **Open** | Anyone | Brochures, press releases |
| **Sealed** | Named teams | Lease agreements, grant applications, salary reviews |
"""


# --- by the rules alone ------------------------------------------------------------------------------------------

def test_an_example_named_in_full_names_its_rows_class():
    spans = tuple(split_sentences(_CLASSES))
    found = classes_named_by_example("Can I leave our lease agreements on my desk overnight?", spans)
    assert found == [(frozenset({"leas", "agreement"}), frozenset({"seal"}))]  # (stemmed terms)


@pytest.mark.parametrize("question", [
    "Can I leave the agreements on my desk?",  # one word of a two-word example is no example named
    "Where do I keep brochures?",  # an example named in one word is too loose a match
    "Can I leave sealed lease agreements on my desk?",  # the question names the class itself: nothing to add
])
def test_no_class_is_read_into_a_loose_or_explicit_question(question):
    assert classes_named_by_example(question, tuple(split_sentences(_CLASSES))) == []


def test_a_table_without_an_examples_column_names_no_class():
    table = _CLASSES.replace("| Examples |", "| Retention |")
    assert classes_named_by_example("Can I leave our lease agreements on my desk?", tuple(split_sentences(table))) \
        == []


@pytest.mark.parametrize(("phrase", "meant"), [
    ("I must put on the floating vest", "lifejacket"),
    ("the app asked me to approve a log in", "push"),
    ("what do I need to do so someone knows I'm OK?", "check-in"),
    ("someone from a local newspaper wants a quote", "press"),
    ("a reporter rang me", "journalists"),
    ("the number for the front desk", "reception"),
    ("what's the internal phone number for IT?", "ext"),
    ("from what time in the morning I can go inside the building", "open"),
    ("is there a canteen in the building?", "café"),
    ("every Wednesday mid-morning a loud bell rings for a few seconds", "alarm"),
    ("in which month's pay does the extra holiday payment come through?", "allowance"),
    ("My phone just buzzed asking me to OK a login", "push"),
    ("I have arrived at the building this morning without my entry card", "badge"),
    ("I have arrived at the building this morning without my entry card", "forgot"),
    ("I forgot at home the card that opens the doors", "badge"),
])
def test_everyday_words_stand_for_the_policy_words(phrase, meant):
    assert meant in policy_words(phrase)


@pytest.mark.parametrize("phrase", [
    "what time should I get in on my first day",  # (when one is expected, not when the doors open)
    "When can I get in touch with IT?",
    "Can my probation get an extension?",  # (a longer time, no phone extension)
])
def test_everyday_words_that_mean_something_else(phrase):
    assert not {"open", "ext"} & set(policy_words(phrase))


def test_what_the_asker_would_do_with_the_days_counted_after_a_few_words():
    assert counted_doing("How many of the leftover days am I allowed to take with me into next year?")[1] \
        == "take with me into next year"


@pytest.mark.parametrize(("question", "ruled_out"), [
    ("Once the company's full pay for the first days runs out, how much of his salary will he be getting?",
     {"full", "pay"}),
    ("After the full pay ends, what do I get in Leeds?", {"full", "pay"}),
    ("What happens when my probation ends?", set()),  # (what it asks of, said in no leading clause)
])
def test_a_stage_a_leading_clause_says_is_over_is_ruled_out(question, ruled_out):
    assert negated_terms(question) == ruled_out


def test_two_things_a_statement_of_need_names_are_asked_each_on_its_own():
    parts = question_parts("For a visa application, I need both the policy number of our travel insurance and the "
                           "phone number for emergency assistance abroad. Could you provide both?")
    assert parts == ["For a visa application. What is the policy number of our travel insurance?",
                     "For a visa application. What is the phone number for emergency assistance abroad?"]
    # (a need for one thing is one question)
    assert len(question_parts("I need the guest wifi password. Could you give it to me?")) == 1


def test_he_is_the_person_the_previous_question_spoke_of_not_an_address_in_the_answer():
    history = [Turn(role="user", content="Where can my new engineer in Leeds park his car?"),
               Turn(role="assistant", content="In the basement car park at 2 Wharf Street: 38 spaces.")]
    standalone, _ = condense("Does he have to pay anything if he charges his electric car on one of those?", history)
    assert "Wharf Street have" not in standalone and "Does he have to pay" in standalone
    history = [Turn(role="user", content="Who do I ask about the office?"),
               Turn(role="assistant", content="The office manager is Claire Whitaker [1].")]
    assert condense("How do I get hold of her?", history)[0] == "How do I get hold of Claire Whitaker?"


def test_a_follow_up_asking_for_a_person_told_by_a_relative_clause_asks_the_previous_question():
    history = [Turn(role="user", content="I've just joined the Leeds office. How much holiday do I get a year?"),
               Turn(role="assistant", content="Full-time staff on a UK contract get 25 days.")]
    for follow_up in ("And my colleague who started the same day but works out of the Porto office?",
                      "And my colleague Rita, who started in Porto the same month?"):
        assert condense(follow_up, history) == ("I've just joined the Porto office. How much holiday do I get a year?",
                                                "rule")


@pytest.mark.parametrize(("previous", "follow_up", "standalone"), [
    # (the previous question's doing, pointed at as the same, in the place the condition names)
    ("I must go from Leeds to Porto for a meeting. How early do I need to ask for the trip?",
     "and if I go to visit a customer in the USA, same thing?",
     "I must go from Leeds to USA for a meeting. How early do I need to ask for the trip?"),  # (its words, not ours)
    ("I would like to get into the Leeds office at 07:15 on Tuesday to prepare a demo. Will it be open?",
     "And if I want to do the same thing in the Porto office next week?",
     "I would like to get into the Porto office at 07:15 on Tuesday to prepare a demo. Will it be open?"),
    # (a person asked about, then where they work: the place the statement names)
    ("How much holiday does one of my full-timers in Leeds get each year?",
     "And what about Rita? She's been in our Porto office for a few years.",
     "She's been in our Porto office for a few years. How much holiday does one of my full-timers in Porto get each "
     "year?"),
])
def test_a_follow_up_moves_the_previous_question_to_the_place_it_names(previous, follow_up, standalone):
    history = [Turn(role="user", content=previous), Turn(role="assistant", content="(an answer)")]
    assert condense(follow_up, history) == (standalone, "rule")


# --- on the sample corpus ----------------------------------------------------------------------------------------

def test_the_disposal_rule_for_a_class_answers_a_thing_its_table_lists(service):
    answer = service.answer("can i just chuck old printed customer contracts in the recycling")
    assert not answer.abstained
    assert "confidential-waste consoles" in answer.answer
    assert answer.citations[0].doc_id == "security/data-classification"


def test_data_fed_into_a_tool_the_rules_name_is_asked_of_the_tool(service):
    answer = service.answer("Can I just chuck a customer's spreadsheet into ChatGPT to tidy it up? Deadline's in an "
                            "hour.")
    assert not answer.abstained and "public AI tool" in answer.answer
    assert service.answer("Can I bring my dog into the office?").abstained  # (a thing no rule speaks of, still)


@pytest.mark.parametrize(("question", "fact", "source"), [
    ("My phone app suddenly ask me to approve a log in, but I was not trying to log in anywhere. What I should do?",
     "7111", "security/reporting-incidents"),
    ("Tomorrow I go to check a sensor close to the river. From which distance to the water I must put on the "
     "floating vest?", "3 metres", "engineering/field-work-safety"),
    ("I'm organising a customer visit to the Porto office. What's the internal phone number for the front desk "
     "there, and what time in the evening does the building get locked up?", "ext 3000", "facilities/porto-office"),
    ("I would prefer not to install any work application on my personal mobile phone in order to log in. Is there "
     "an alternative I could use instead?", "FIDO2", "it/password-and-mfa"),  # (an alternative is no thing asked)
    ("Under the password rules that applied before the 2026 revision, how frequently were staff obliged to change "
     "their passwords?", "Every 90 days", "it/password-and-mfa"),  # ('how frequently' asks a figure, as 'how often')
    ("I expect to have some annual leave remaining at the end of this year. What is the maximum number of days I am "
     "permitted to transfer into the following year?", "8 days", "hr/leave-carry-over-2026"),
    ("I'm based in Leeds and I doubt I'll manage to use all my holiday before the end of the year. How many of the "
     "leftover days am I allowed to take with me into next year?", "8 days", "hr/leave-carry-over-2026"),
    ("Miguel in my Porto team has been signed off sick for a couple of weeks. Once the company's full pay for the "
     "first days runs out, how much of his salary will he be getting?", "90%", "hr/sickness-absence"),
    ("I have arrived at the Leeds building this morning without my entry card. How may I get into the building for "
     "the day?", "temporary day badge", "facilities/leeds-office"),
    ("A colleague's just collapsed in the kitchen at the Porto office, what do I do?", "112",
     "facilities/fire-safety-and-first-aid"),  # (the step written for the case the everyday words tell)
    ("How many holiday days I get in one year in Porto?", "23 working days", "hr/annual-leave-porto"),  # (not the
    # minimum the law sets)
    ("On Friday I'm going out on my own to look at an air-quality sensor on a lamp post, at ground level. Once I'm on "
     "site, what do I need to do so someone knows I'm OK?", "#field-checkin", "engineering/field-work-safety"),
])
def test_everyday_wordings_reach_their_rule(service, question, fact, source):
    answer = service.answer(question)
    assert fact in answer.answer
    assert source in [c.doc_id for c in answer.citations]


def test_a_rate_by_a_unit_no_article_counts_in_is_not_found(service):
    assert service.answer("How much will it cost me per kWh to charge my car at the Leeds office?").abstained
    answer = service.answer("What is the mileage rate per mile for my own car in the UK?")  # (a unit they use)
    assert not answer.abstained and "45p" in answer.answer


def test_a_later_part_saying_they_is_about_the_first_parts_thing(service):
    # (the company pays into no pension the articles speak of: how much 'they put in' is no other budget's amount)
    answer = service.answer("I'm in my first month and sorting out my finances. Does the company pay into a pension "
                            "for us, and how much do they put in?")
    assert answer.abstained


@pytest.mark.parametrize(("question", "thing"), [
    ("How much does the canteen charge for a sandwich in Porto?", "sandwich"),
    ("How much does a sandwich cost in the canteen?", "sandwich"),
    ("How much does a replacement badge cost?", "badge"),
    ("How much does it cost?", ""),
])
def test_the_thing_a_price_is_asked_of(question, thing):
    assert asked_amount_of(question) == thing


def test_a_price_of_a_thing_no_article_sells_is_not_found_though_the_place_is_known(service):
    # (a café is what the articles call a canteen; what it charges for a sandwich they never say)
    assert service.answer("How much does the canteen charge for a sandwich in Leeds?").abstained


def test_a_question_asking_from_when_a_rule_applies_is_answered_by_its_labelled_cases(service):
    # ('Beyond 3 days: a certificate' is the case asked, not one the asker left unstated: the sick pay row is no answer)
    answer = service.answer("I'm off sick, when do I need a doctor's note? I'm at the Porto office.")
    assert "3 consecutive days" in answer.answer or "Beyond 3 days" in answer.answer
    assert "Full pay" not in answer.answer.split(".")[0]
