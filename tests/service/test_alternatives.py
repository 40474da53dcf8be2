"""A 'no' comes with what to do instead, from its own paragraph (service/alternatives.py), on text of our own."""

from __future__ import annotations

import pytest

from ragqa.sentences import split_sentences
from ragqa.service.alternatives import alternative
from ragqa.service.llm.base import Passage
from ragqa.service.llm.extractive import ExtractiveLLM
from tests.service.conftest import make_request

PARKING = ("The depot has no staff canteen. There is no bicycle storage at the Quayside depot. The harbour "
           "authority lets staff leave bicycles in the covered racks at the ferry terminal, two minutes' walk away, "
           "with a free permit from the gatehouse.\n\nDeliveries arrive through the south gate.")
TRANSLATION = ("Machine translation helps with letters from overseas suppliers. Send documents marked "
               "Confidential to the Lingua translation service, which keeps them inside our network. Never upload "
               "supplier contracts to a free online translation site. You check every translation before it is "
               "sent.")


def _index_of(spans, opening: str) -> int:
    return next(i for i, s in enumerate(spans) if s.readable.startswith(opening))


def test_an_absence_gets_the_next_sentence_of_its_paragraph():
    spans = tuple(split_sentences(PARKING))
    found = alternative(spans, _index_of(spans, "There is no bicycle"), PARKING)
    assert found == _index_of(spans, "The harbour authority")


def test_a_ban_gets_the_nearest_directive_of_its_paragraph_on_the_same_thing():
    spans = tuple(split_sentences(TRANSLATION))
    found = alternative(spans, _index_of(spans, "Never upload"), TRANSLATION)
    assert found == _index_of(spans, "Send documents")  # not 'You check every translation' (no directive)


@pytest.mark.parametrize(("text", "opening"), [
    ("There is no staff canteen. Lockers are on the first floor.", "There is no staff"),  # not about the 'no'
    (PARKING, "The harbour authority"),  # no 'no' at all
    ("There is no guest Wi-Fi in the lab.\n\nGuests use the Wi-Fi in the cafe.", "There is no guest"),  # next paragraph
])
def test_nothing_is_added_without_a_no_or_beyond_its_paragraph(text, opening):
    spans = tuple(split_sentences(text))
    assert alternative(spans, _index_of(spans, opening), text) is None


@pytest.fixture
def extractive(settings_factory, embedder):
    return ExtractiveLLM(settings_factory(), embedder)


def test_the_answer_to_a_forbidden_thing_says_what_to_use_instead(extractive, settings_factory):
    passage = Passage(ref=1, doc_id="it/translation", chunk_id="it/translation#0", title="Translation tools",
                      text=TRANSLATION)
    text = extractive.generate(make_request("Can I put a supplier contract into a free online translation site?",
                                            [passage], settings_factory()))
    assert text.startswith("Never upload supplier contracts"), text
    assert "Lingua translation service" in text, text


def test_the_answer_to_where_something_is_not_says_where_it_is(extractive, settings_factory):
    passage = Passage(ref=1, doc_id="facilities/quayside", chunk_id="facilities/quayside#0", title="Quayside depot",
                      text=PARKING)
    # the 'no' answers and leads; where to go instead follows it
    text = extractive.generate(make_request("Is there bicycle storage at the Quayside depot?", [passage],
                                            settings_factory()))
    assert text.startswith("There is no bicycle storage"), text
    assert "ferry terminal" in text, text
