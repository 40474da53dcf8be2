"""What the thirty-fourth session's held-out questions taught the answerer: a table that lists examples of each
class ('Examples: Customer contracts, tender bids') names the class of a thing a question asks about, so the rules
written for the class answer it; everyday words for a lifejacket, a sign-in prompt, checking in, the press, a front
desk, an internal number and when a building lets one in; a thing of one's data fed into a tool the rules speak of;
a rate asked by a unit no article counts in; a relative clause that tells who a follow-up's person is. By the rules
alone and on the sample corpus (real index and embedding model)."""

from __future__ import annotations

import pytest

from ragqa.policy_words import policy_words
from ragqa.sentences import split_sentences
from ragqa.service.composition import build_components
from ragqa.service.condense import condense
from ragqa.service.models import Turn
from ragqa.service.table_rows import classes_named_by_example

_CLASSES = """| Tier | Who may handle it | Examples |
|---|---|---|
| **Open** | Anyone | Brochures, press releases |
| **Sealed** | Named teams | Lease agreements, grant applications, salary reviews |
"""


@pytest.fixture(scope="module")
def service(sample_index, embedder):
    return build_components(sample_index, embedder=embedder).answers


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


def test_a_follow_up_asking_for_a_person_told_by_a_relative_clause_asks_the_previous_question():
    history = [Turn(role="user", content="I've just joined the Leeds office. How much holiday do I get a year?"),
               Turn(role="assistant", content="Full-time staff on a UK contract get 25 days.")]
    for follow_up in ("And my colleague who started the same day but works out of the Porto office?",
                      "And my colleague Rita, who started in Porto the same month?"):
        assert condense(follow_up, history) == ("I've just joined the Porto office. How much holiday do I get a year?",
                                                "rule")


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
