"""Small readings that decide whether a question is answered: a nod before a follow-up ('Nice. How long does that go
on for?'), a pointer whose thing the previous question's scene named, a whose-case word ('the Bergen lot'), a figure
with thousands separators ('£5,000'), a role in a table cell ('Director and CFO'), and chat shorthand for
thousands ('5k') and the country ('the us'). Questions and texts written here, not the sample corpus's."""

from __future__ import annotations

import pytest

from ragqa.service.condense import condense, depends_on_history, follow_up_words, thing_asked_instead
from ragqa.service.grounding import missing_names, question_names
from ragqa.service.models import Turn
from ragqa.service.question_types import has_value
from ragqa.service.ranges import without_sums
from ragqa.service.shorthand import written_out
from tests.service.conftest import section


def _turns(question: str, answer: str) -> list[Turn]:
    return [Turn(role="user", content=question), Turn(role="assistant", content=answer)]


@pytest.mark.parametrize("question", ["Nice. How long does that go on for?", "cool, how long does that go on for?",
                                      "ok thanks! Who approves it?"])
def test_a_nod_before_a_follow_up_does_not_hide_its_pointer(question):
    assert depends_on_history(question)


def test_a_question_of_its_own_after_a_nod_still_stands_alone():
    assert not depends_on_history("Thanks. Is there parking at the Bergen office?")


def test_the_thing_a_pointer_asked_about_is_what_the_scene_named():
    history = _turns("My manager mentioned something called a mentor. What is that about?",
                     "A mentor is a senior colleague who meets you monthly [1].")
    standalone, method = condense("Great. How long does that go on for?", history)
    assert method == "rule" and "a mentor go on for" in standalone, standalone
    assert "My manager mentioned" not in standalone  # the thing, not the whole scene again


def test_the_lot_of_a_place_is_whose_case_it_is():
    history = _turns("How much parental leave do Oslo staff get?", "Oslo staff get 20 weeks [1].")
    assert condense("and for the Bergen lot?", history)[0] == "How much parental leave do Bergen staff get?"
    assert thing_asked_instead("and for the Bergen lot?") == "" and follow_up_words("and for the Bergen lot?") == set()
    assert thing_asked_instead("what about on a motorbike?") == "motorbike"  # another thing is still one


def test_a_figure_with_thousands_separators_is_one_name():
    assert question_names("Who approves a trip over £5,000?") == [("5000",)]
    assert missing_names([("5000",)], "Any trip costing more than £5,000 needs the CFO.") == 0
    assert missing_names([("5000",)], "Any trip costing more than £6,000 needs the CFO.") == 1


def test_a_role_in_a_table_cell_names_who():
    question = "Who approves a trip over £5,000?"
    assert has_value("person", "For Trips over £5,000, who approves: Director and CFO.", question)
    assert has_value("person", "Sign-off comes from the CISO.", question)
    assert not has_value("person", "For Trips over £5,000, request it 21 days before travel.", question)


@pytest.mark.parametrize(("typed", "read"), [
    ("what if the whole thing is over 5k?", "what if the whole thing is over 5,000?"),
    ("a £2.5k laptop", "a £2,500 laptop"),
    ("who signs off a trip to the us?", "who signs off a trip to the USA?"),
    ("can you tell us?", "can you tell us?"),  # the pronoun
    ("a 5km walk", "a 5km walk"),
])
def test_thousands_and_the_country_typed_in_chat_are_written_out(typed, read):
    assert written_out(typed, lambda words: {}) == read


def test_a_bare_amount_in_thousands_is_a_sum_not_a_name():
    assert without_sums("what if it is over 5,000 in total?") == "what if it is over in total?"


def test_a_budget_is_something_one_gets():
    from ragqa.service.grounding import _SAYS_GAIN
    assert _SAYS_GAIN.search("Each engineer has a personal conference budget of £900 a year.")
    assert not _SAYS_GAIN.search("Ask your manager before you book the conference.")


HOLIDAY = section("The office closes between Christmas and New Year: those closure days come on top of your 28 days "
                  "of holiday this year and are not taken from your allowance.\n\n", "Holidays", "Closure days")
CARRYING = section("You may carry over up to 6 days of unused holiday into the next leave year.\n\n"
                   "Confirm the days in the HR portal in December.\n", "Carrying holiday over", "How much", ref=2)


def test_the_sentence_in_the_policys_words_for_what_is_asked_is_put_first(settings_factory, embedder, monkeypatch):
    """'take them with me into next year' is carrying over: the sentence saying so is ordered ahead by
    ASKED_MEANT_ORDER; one sharing only the scene's words (holiday days, this year) is not, nor one without the
    figure a 'how many' asks."""
    from ragqa.service import grounding
    from ragqa.service.llm.extractive import ExtractiveLLM

    question = "If I don't use all my holiday days this year, how many of them can I take with me into next year?"
    valueless = section("Carrying days over is confirmed in the HR portal.\n", "Carry-over", "How", ref=3)

    def scores():
        scorer = ExtractiveLLM(settings_factory(), embedder).scorer
        return {c.span.readable[:12]: c.score for c in scorer.candidates(question, [HOLIDAY, CARRYING, valueless])}

    lifted = scores()
    monkeypatch.setattr(grounding, "ASKED_MEANT_ORDER", 0.0)
    plain = scores()
    assert lifted["You may carr"] - plain["You may carr"] == pytest.approx(0.04)
    assert lifted["The office c"] == pytest.approx(plain["The office c"])
    assert lifted["Carrying day"] == pytest.approx(plain["Carrying day"])


@pytest.mark.parametrize("question", [
    "My new starter wants to know how long her password has to be.",
    "How long must a PIN be?",
    "What is the minimum length of a passphrase?",
])
def test_how_long_something_written_must_be_is_a_length_not_a_time(question):
    from ragqa.service.question_types import question_kind
    kind = question_kind(question)
    assert has_value(kind, "Use a passphrase of at least 12 characters.", question)
    assert not has_value(kind, "New starters must set it up within 7 days of their first day.", question)


def test_how_long_something_lasts_is_still_a_time():
    from ragqa.service.question_types import question_kind
    question = "How long does my password last before it expires?"
    assert has_value(question_kind(question), "Passwords expire after 90 days.", question)


def test_what_to_tell_someone_is_the_answer_to_the_question_they_asked():
    from ragqa.service.question_types import question_kind, scene_and_question
    question = "My new hire is setting up her laptop and asked when the office opens. What should I tell her?"
    assert scene_and_question(question) == ("My new hire is setting up her laptop", "when the office opens.")
    assert question_kind(question) == "date"
    assert scene_and_question("What should I tell them?") == ("", "What should I tell them?")  # nothing relayed


def test_so_joins_a_question_onto_the_scene_before_it():
    from ragqa.service.question_types import scene_and_question
    assert scene_and_question("I need to pay a courier this afternoon, so what's the most I can spend?") == \
        ("I need to pay a courier this afternoon", "what's the most I can spend?")


def test_a_situation_that_drags_on_is_the_one_the_asker_told():
    history = _turns("I've come down with flu and can't work today. Do I need a sick note?",
                     "Not for the first 5 days [1].")
    standalone, _ = condense("And if this drags on for a few weeks, how long do I keep my full salary?", history)
    assert "come down with flu" in standalone and "sick note drags" not in standalone, standalone


def test_a_pointer_that_does_something_stands_for_the_thing_measured():
    history = _turns("max length for a desk booking in the app?", "8 hours per booking [1].")
    standalone, _ = condense("how long before it gets released if nobody turns up?", history)
    assert standalone.startswith("How long before a desk booking gets released"), standalone


def test_a_place_set_right_asks_the_last_question_there():
    history = _turns("The fire alarm is going off - where do we gather outside the Bergen office?",
                     "At the harbour car park [1].")
    question = "Sorry, I'm actually at the Oslo office this week, not Bergen - where am I meant to go there?"
    assert depends_on_history(question)
    assert condense(question, history)[0] == "The fire alarm is going off - where do we gather outside the Oslo " \
                                            "office?"
    assert not depends_on_history("Is it true that not Everyone gets a parking space?")  # no place set right


@pytest.mark.parametrize(("question", "ruled_out"), [
    ("And on a Bergen contract, normal role, not senior?", {"senior"}),
    ("I'm not in a senior role - how long is it for me?", {"senior"}),
    ("Is it for me, not them?", set()),
])
def test_a_kind_the_asker_says_they_are_not_is_ruled_out(question, ruled_out):
    from ragqa.service.question_types import negated_terms
    assert negated_terms(question) == ruled_out


@pytest.mark.parametrize(("question", "read"), [
    ("who should she phone?", "who should she call?"),
    ("Do I phone the hotline first?", "Do I call the hotline first?"),
    ("I lost my phone on the train", "I lost my phone on the train"),  # the device
    ("can you give me the phone number?", "can you give me the phone number?"),
])
def test_phone_as_a_verb_is_read_as_calling(question, read):
    from ragqa.service.grounding import _PHONE_AS_VERB
    assert _PHONE_AS_VERB.sub(lambda m: f"{m.group('before')} call", question) == read


def test_an_amount_asked_for_someone_elsewhere_swaps_the_place_the_last_question_asked_of():
    history = _turns("My brother and I both work here, me in Oslo and him in Bergen. How many days' holiday do Oslo "
                     "people get a year?", "Oslo staff get 25 days [1].")
    standalone, _ = condense("Typical. He works out of the Bergen office. How many does he get?", history)
    assert standalone.endswith("How many days' holiday do Bergen people get a year?"), standalone


def test_logged_in_is_read_as_signed_in_not_as_logs():
    from ragqa.service.grounding import signed_in
    read = signed_in("How long does it keep me logged in? Will I stay logged on? I log on at 8.")
    assert read == "How long does it keep me signed in? Will I stay signed on? I log on at 8."


def test_a_vague_thing_is_no_kind():
    from ragqa.service.compounds import question_compounds
    assert question_compounds("How long does the VPN thing keep me signed in?") == []


def test_the_thing_whose_name_was_asked_is_what_it_points_at():
    history = _turns("What's that remote access thing called that I need for the file shares?", "It's Linkup [1].")
    standalone, _ = condense("ok and how long does it stay signed in for?", history)
    assert "the remote access thing stay signed in" in standalone, standalone


@pytest.mark.parametrize(("question", "thing"), [
    ("But can I bring my dog into the office?", "dog"),  # a leading 'but' opens no phrase
    ("So can I bring my cat to work?", "cat"),
])
def test_the_thing_a_yes_no_question_asks_about_after_a_conjunction(question, thing):
    from ragqa.service.compounds import asked_object
    assert asked_object(question) == thing


def test_a_scheme_to_help_someone_buy_a_thing_is_a_scheme_for_that_thing():
    from ragqa.service.compounds import purpose_kind
    assert purpose_kind("Does the firm have a scheme to help her buy a bike?") == ("bike", "scheme")


def test_a_place_a_perk_is_had_at_may_be_followed_by_where_it_is():
    from ragqa.service.grounding import _INTRODUCED_PLACE
    assert _INTRODUCED_PLACE.findall("Do staff get a discount at a gym near the Oslo office?") == ["gym"]
    assert _INTRODUCED_PLACE.findall("Do staff get a discount at a gym?") == ["gym"]


def test_a_perk_at_a_place_no_article_speaks_of_is_not_answered(sample_index, embedder):
    from ragqa.service.composition import build_components
    answers = build_components(sample_index, embedder=embedder).answers
    for question in ("does the company give us a discount at a gym near the Porto office?",
                     "Do employees get a discount at a gym near the office?"):
        answer = answers.answer(question)  # (the car park's discount is at a car park, not a gym)
        assert answer.abstained, answer.answer


def test_what_the_company_contributes_to_is_the_thing_asked_about():
    from ragqa.service.compounds import asked_object
    assert asked_object("What percentage of salary does Acme contribute to the pension?") == "pension"
    assert asked_object("How much does Acme contribute towards my gym membership?") == "membership"


def test_a_pointer_to_what_the_answer_said_one_is_given_is_that_thing():
    history = _turns("I've lost my phone and my password. How do I get back in?",
                     "Call the help desk. They'll check your badge on a video call and issue a one-time code so you "
                     "can set up a new device [1].")
    standalone, _ = condense("How long do I have to use that before it stops working?", history)
    assert standalone == "How long do I have to use the one-time code before it stops working?", standalone


def test_std_is_standard():
    assert written_out("std laptop for a new hire?", lambda words: {}) == "standard laptop for a new hire?"


def test_they_who_do_something_to_it_are_whoever_runs_it():
    history = _turns("What's the network my guests should join?", "Guests join the Visitors network [1].")
    standalone, _ = condense("How often do they change that?", history)
    assert standalone == "How often do they change the network my guests should join?", standalone
