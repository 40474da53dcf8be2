"""A long quoted sentence loses only the trailing clauses that add nothing asked (service/clause_trim.py)."""

from __future__ import annotations

from ragqa.service.clause_trim import trimmed_to_question
from ragqa.service.question_types import has_value, question_kind


def _trim(sentence: str, question: str) -> str:
    return trimmed_to_question(sentence, question, question_kind(question))


LONG = ("At the regional summit in Valdora the minister left on the second morning, skipping talks with the mayors "
        "of Orlen and Brisk; a brief exchange with the trade envoy showed how far apart the two sides still stood.")


def test_a_tail_after_a_semicolon_that_adds_nothing_asked_goes():
    assert _trim(LONG, "Which mayors did the minister skip at the Valdora summit?") == LONG.split(";")[0] + "."


def test_a_tail_that_speaks_to_the_question_stays():
    assert _trim(LONG, "What did the exchange with the trade envoy show?") == LONG


def test_short_sentences_are_quoted_whole():
    # its head would answer and its tail adds nothing asked, but at 16 words it is quoted whole
    short = "Mira signed the new office lease with the landlord on 4 May; the deposit went through later."
    assert _trim(short, "When did Mira sign the office lease?") == short


def test_a_tail_holding_a_figure_or_a_quotation_stays():
    figure = ("The cooperative signed a lease on the old mill beside the canal at the edge of the market town last "
              "spring, which gives members a workshop floor of 400 square metres for their looms and presses.")
    assert _trim(figure, "Where did the cooperative lease its workshop?") == figure
    quoted = ("The visiting delegation offered warm assurances about the partnership and its future plans, albeit "
              "in language that unsettled some of the hosts—speaking of a “shared frontier” and a duty to hold it.")
    assert _trim(quoted, "What wording did the delegation use that unsettled its hosts?") == quoted


def test_a_tail_that_limits_the_head_stays():
    limited = ("The guild charges members a levy of around twelve crowns a season on every stall they rent in the "
               "covered market hall, but that levy does not apply to stalls run by registered apprentices at all.")
    assert _trim(limited, "How big is the guild's stall levy?") == limited


def test_no_cut_inside_an_open_quotation_or_bracket():
    bracketed = ("Register for the autumn lecture in Harlow on 4 October (“Rivers, Bridges and the Towns Between, "
                 "a History”, with a welcome from the society's president) featuring speakers from three museums.")
    assert _trim(bracketed, "When is the autumn lecture in Harlow?") == bracketed


def test_what_stays_must_still_answer():
    # the head names no person: the tail, which does, cannot go even though it adds no asked word
    sentence = ("The delegation flew back to the capital on Thursday after two days of talks about port fees and "
                "river tolls that ended without any statement, with Finance Director Ilse Marrow leading it home.")
    assert _trim(sentence, "Who was in charge of the delegation on the way back from the port fee talks?") == sentence


def test_a_name_after_the_is_a_body_or_country_not_who():
    question = "Who represented Norland at the river talks?"
    assert not has_value("person", "The talks were held when Norland and the Southern League met at the river.",
                         question)
    assert has_value("person", "Norland sent its envoy, Tomas Vell, to the river talks.", question)
    # a possessive of a name the question already gives is no new name
    assert not has_value("person", "The talks were about Norland's exports and tolls on the river.", question)



def test_a_tail_after_a_closing_quotation_goes_and_the_quotation_stays_closed():
    sentence = ("Book a seat for the society's lecture in Harlow on 4 October: “Rivers, Bridges and the Towns "
                "Between,” with welcome remarks by the society's president and featuring speakers from three county "
                "museums.")
    assert _trim(sentence, "When is the society's lecture in Harlow?") == \
        "Book a seat for the society's lecture in Harlow on 4 October: “Rivers, Bridges and the Towns Between”."

