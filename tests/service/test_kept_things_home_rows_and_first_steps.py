"""Held-out rounds AO and AQ's lessons, as general rules: the question a statement relays, what an action must
leave alone, a domestic row for people based elsewhere, a row told by the question's own words, where everyone waits
outside, a modifier in other policy words, the first step when the first thing is asked, the number to ring, a
'they' of its own and everyday wordings (real embedding model; the sample corpus's real index)."""

from __future__ import annotations

import pytest

from ragqa.places import covering_label, place_of
from ragqa.policy_words import policy_words, same_meaning
from ragqa.sentences import content_terms
from ragqa.service.composition import build_components
from ragqa.service.compounds import other_kind, question_compounds
from ragqa.service.condense import depends_on_history
from ragqa.service.grounding import _origins
from ragqa.service.llm.extractive import _leaning_parts
from ragqa.service.models import Turn
from ragqa.service.question_types import question_parts, relayed_in


# --- reading the question -------------------------------------------------------------------------------------
def test_a_statement_relays_the_question_a_bare_one_follows():
    assert relayed_in("My new hire wants to know how much the firm pays into her pension.") == \
        "how much the firm pays into her pension."
    assert relayed_in("Someone in finance is asking whether the old rates still apply.") == \
        "whether the old rates still apply."
    assert relayed_in("I'm based in Lyon and new here.") == ""


def test_a_domestic_row_is_for_people_based_in_its_country():
    labels = ["UK domestic", "Portugal domestic", "Other European countries", "Rest of the world"]
    lisbon, leeds, porto = place_of(("lisbon",)), place_of(("leed",)), place_of(("porto",))
    assert covering_label(lisbon, labels, (leeds,)) == "Other European countries"
    assert covering_label(lisbon, labels, (porto,)) == "Portugal domestic"
    assert covering_label(lisbon, labels) == "Portugal domestic"  # where the asker is based unsaid: the country's row


def test_where_everyone_waits_outside_is_the_assembly_point():
    assert "assembly" in policy_words("when the alarm goes, where is the spot we all wait outside?")
    assert "assembly" not in policy_words("where can I wait for my taxi?")


def test_a_modifier_said_in_its_policy_word_names_the_same_kind():
    assert same_meaning("training", "learning")
    assert not same_meaning("learning", "budget")
    sentence = "Each employee has a personal learning budget of £600 per year for courses and books."
    terms = content_terms(sentence)
    assert not other_kind([("training", "budget")], sentence, terms, sentence)
    assert other_kind([("travel", "budget")], sentence, terms, sentence)  # (an article that never says 'travel')


# --- answers on the sample corpus (real index) -------------------------------------------------------------
@pytest.fixture(scope="module")
def service(sample_index, embedder):
    return build_components(sample_index, embedder=embedder).answers


def test_a_relayed_question_about_a_thing_no_article_names_abstains(service):
    """(A guard: this wording abstained before too; test_a_statement_relays_the_question_a_bare_one_follows checks
    the reading itself.)"""
    answer = service.answer("A colleague of mine wants to know how much the firm pays into her pension every month. "
                            "What is the employer contribution?")
    assert answer.abstained, answer.answer


# (question, the fact the answer holds, a figure of the wrong row it must not give)
HOLDS = [
    # a later part whose 'they' does something to a thing of its own is asked of that thing, not the first part's
    ("In the Leeds office, which day is the weekly fire alarm test? And what time on Friday do they empty the "
     "fridges?", "Friday at 15:00", None),
    # what an action must leave alone is no thing asked of
    ("My own phone got stolen on the tram. Can IT remove just the work stuff without erasing my wedding videos?",
     "selective wipe", None),
    # a domestic row is not the rate for a visitor from another country
    ("I'm based in Leeds and going to Lisbon for two nights. What daily allowance do I get for meals?", "€70", "€48"),
    # where everyone waits outside is the assembly point
    ("When the fire alarm rings in Porto and we all leave the building, where is the place we wait outside?",
     "Praça de Carlos Alberto", None),
]
# (question, how the answer opens)
LEADS = [
    # 'Who do I ring?': of the sentences naming whom, the one with the number to dial leads
    ("My work laptop got nicked from my car. Who do I ring?", "Report a lost or stolen device"),
    # a row the question tells by its cells beats the general row
    ("which wifi should my own phone join in the office", "For Fernhill-BYOD"),
    # the first step answers what to do first
    ("I'm two weeks into the job and woke up with a fever, so I can't come in today. What's the first thing I need "
     "to do?", "Call your line manager"),
]


@pytest.mark.parametrize(("question", "fact", "wrong"), HOLDS)
def test_the_answer_holds_the_fact_of_the_case_asked(service, question, fact, wrong):
    answer = service.answer(question).answer
    assert fact in answer and (wrong is None or wrong not in answer), answer


@pytest.mark.parametrize(("question", "opening"), LEADS)
def test_the_answer_leads_with_the_row_or_step_asked(service, question, opening):
    answer = service.answer(question).answer
    assert answer.startswith(opening), answer


# --- round AQ: everyday wordings, whom to ring, a 'they' of its own -------------------------------------------
@pytest.mark.parametrize(("wording", "meant"), [
    ("how often were we forced to change our password?", "expire"),  # a password one must change expires
    ("after I go out of the building, where I should wait?", "assembly"),  # 'I should' before its verb
    ("is it ok to copy a chunk of our code into one of those free AI websites?", "paste"),
    ("is it ok to copy a chunk of our code into one of those free AI websites?", "ai"),
    ("how many wrong goes does he get before it blocks him?", "locked"),
    ("if I don't use all my holidays, how many days can I keep and use next year?", "carry"),
])
def test_everyday_wordings_read_in_policy_words(wording, meant):
    assert meant in policy_words(wording)


@pytest.mark.parametrize("wording", [
    "I've been stuck on a bug all morning",  # a bug in code is no illness
    "I'm fixing a bug in the firmware",
])
def test_a_bug_in_code_is_no_sickness(wording):
    assert "sickness" not in policy_words(wording)
    assert "sickness" in policy_words("I think I've caught a bug, can't come in")


def test_a_they_doing_something_to_its_own_thing_points_back_to_nothing():
    question = "Which day is the weekly alarm test? And what time do they empty the fridges?"
    assert _leaning_parts(question, question_parts(question)) == frozenset()
    follow_on = "Does the company pay for a gym, and how do I claim it?"
    assert _leaning_parts(follow_on, question_parts(follow_on)) == frozenset({1})


def test_a_trip_written_without_from_still_starts_where_it_is_said():
    assert _origins("flying Leeds to Lisbon for a work trip - what's the per diem?") == ["Leeds"]
    assert _origins("I'm off to Lisbon next week") == []


def test_a_relayed_question_of_two_parts_is_asked_in_parts():
    parts = question_parts("My new hire in Lyon wants to know what hours the office is open on weekdays, and when "
                           "there's someone at reception.")
    assert len(parts) == 2 and parts[1].endswith("When there's someone at reception?"), parts
    assert all(part.startswith("My new hire in Lyon.") for part in parts), parts
    assert question_parts("Someone in finance wants to know what the hotel cap was.") == \
        ["Someone in finance wants to know what the hotel cap was."]


def test_a_trip_still_to_come_is_no_kind_of_business():
    pairs = question_compounds("For a forthcoming business trip to Lisbon, could you tell me the maximum nightly "
                               "hotel rate?")
    assert not any("forthcoming" in pair for pair in pairs) and ("hotel", "rate") in pairs, pairs


def test_a_thing_said_by_its_owner_alone_leans_on_the_conversation():
    assert depends_on_history("I'm in the Lyon office next month, so when do they do theirs?")
    assert depends_on_history("And hers?")
    assert not depends_on_history("When is the weekly fire alarm test in the Lyon office?")


def test_their_own_of_what_was_asked_is_answered_for_the_new_place(service):
    history = [Turn(role="user", content="When is the fire alarm tested in Leeds?"),
               Turn(role="assistant", content="In Leeds the alarm is tested on Wednesdays at 10:00 [1].")]
    answer = service.answer("I'm working from the Porto office next month, so when do they do theirs?",
                            history=history)
    assert "Thursdays at 11:00" in answer.answer, answer.answer
