"""Citation checking: unknown refs dropped, renumbering, sentence support, invented figures."""

from __future__ import annotations

import pytest

from ragqa.service.grounding import (
    SentenceScorer,
    attach_markers,
    check_answer,
    missing_names,
    people_named,
    question_names,
    renumber_citations,
)
from ragqa.service.llm.base import Passage

PASSAGES = [
    Passage(1, "Sessions last 12 hours; after that Fernhill Connect asks you to approve MFA again.", "VPN", "it/vpn",
            "it/vpn#0"),
    Passage(2, "Full-time staff receive 25 days of annual leave per year, plus bank holidays.", "Leave",
            "hr/leave", "hr/leave#0"),
    Passage(3, "The Porto office opens at 08:00 and closes at 19:30.", "Porto office", "fac/porto", "fac/porto#0"),
]


@pytest.fixture(scope="module")
def scorer(embedder):
    return SentenceScorer(embedder)


def test_markers_after_the_full_stop_belong_to_the_sentence_before():
    assert attach_markers("One fact. [2] Another.[1][3] End.") == "One fact [2]. Another [1][3]. End."


def test_unknown_refs_are_dropped_and_the_rest_renumbered_by_first_appearance():
    text, order = renumber_citations("Porto opens at 08:00 [3]. Leave is 25 days [2, 9]. Pools [9]. VPN [3][2].",
                                     {1, 2, 3})
    assert order == [3, 2]
    assert text == "Porto opens at 08:00 [1]. Leave is 25 days [2]. Pools. VPN [1][2]."


def test_years_in_brackets_are_not_citations():
    assert renumber_citations("Rates changed [2024] [1].", {1}) == ("Rates changed [2024] [1].", [1])


def test_a_supported_answer_is_grounded_and_cites_renumbered_passages(scorer):
    checked = check_answer("Full-time staff get 25 days of annual leave [2]. VPN sessions last 12 hours [1].",
                           PASSAGES, scorer)
    assert checked.text == "Full-time staff get 25 days of annual leave [1]. VPN sessions last 12 hours [2]."
    assert checked.cited_refs == [2, 1]
    assert [s.refs for s in checked.sentences] == [[1], [2]]
    assert checked.grounded and checked.score == 1.0


def test_a_citation_to_a_passage_not_given_is_removed_and_its_sentence_unsupported(scorer):
    checked = check_answer("Staff get 25 days of leave [2]. The office has a rooftop pool [9].", PASSAGES, scorer)
    assert "[9]" not in checked.text and checked.cited_refs == [2]
    pool = checked.sentences[1]
    assert pool.refs == [] and not pool.supported
    assert not checked.grounded and checked.score == 0.5


def test_a_sentence_citing_the_wrong_passage_is_unsupported(scorer):
    checked = check_answer("Full-time staff receive 25 days of annual leave [3].", PASSAGES, scorer)
    assert not checked.sentences[0].supported


def test_an_invented_figure_is_unsupported_even_with_the_right_citation(scorer):
    checked = check_answer("Full-time staff receive 30 days of annual leave per year [2].", PASSAGES, scorer)
    assert not checked.sentences[0].supported


def test_a_paraphrase_of_the_cited_passage_is_supported(scorer):
    checked = check_answer("The Porto office is open from 08:00 until 19:30 [3].", PASSAGES, scorer)
    assert checked.sentences[0].supported


def test_an_uncited_sentence_is_unsupported(scorer):
    checked = check_answer("Staff receive 25 days of annual leave.", PASSAGES, scorer)
    assert checked.cited_refs == [] and not checked.grounded


@pytest.mark.parametrize(("name", "text", "missing"), [
    (("korea",), "Korean forces", 0),  # an inflection of the name
    (("japan",), "the Japanese government", 0),
    (("singapor",), "Sign in with single sign-on.", 1),  # 'singl' shares four letters, not the name
    (("singapor",), "Trips to Singapore need approval.", 0),
])
def test_a_name_is_mentioned_by_itself_or_a_close_inflection_only(name, text, missing):
    assert missing_names([name], text) == missing


def test_question_names_find_names_acronyms_and_figures_but_not_the_first_word():
    assert question_names("How many U.S. troops are stationed in Germany?") == [("us",), ("germani",)]
    assert question_names("Which VPN does the Porto office use in 2026?") == [("vpn",), ("porto",), ("2026",)]
    assert question_names("I broke my phone. What now?") == []


def test_a_passage_cited_only_by_a_withheld_sentence_is_not_cited(scorer):
    def screen(sentence: str) -> str | None:
        return "sign in outside" if "sign in" in sentence else None

    checked = check_answer("Staff get 25 days of leave [2]. To confirm, sign in at the Porto portal [3].",
                           PASSAGES, scorer, screen=screen)
    assert checked.cited_refs == [2] and checked.text == "Staff get 25 days of leave [1]."
    assert [s.flagged for s in checked.sentences] == [False, True] and checked.sentences[0].refs == [1]


@pytest.mark.parametrize(("question", "people"), [
    ('From Catarina, who sits with the Porto data team: "Rafael says it is nothing."', {("catarina",), ("rafael",)}),
    ("Forwarded from Owen in the Leeds field team", {("owen",)}),
    ("And Filipa's new hire who's starting in Porto?", {("filipa",)}),
    ("Mark is very nervous about the visit", {("mark",)}),
    ("Who is Daniel Okafor?", set()),  # asked about, not named in passing
    ("From Porto, how do I dial Leeds?", set()),  # places are no people
])
def test_people_named_in_passing(question, people):
    assert people_named(question) == people
