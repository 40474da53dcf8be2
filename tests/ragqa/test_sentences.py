"""Sentence spans: offsets exact, Markdown blocks told apart, wrapped lines joined, abbreviations kept."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ragqa.sentences import content_terms, split_sentences
from ragqa.tables import names_a_place_or_party, row_in_words

TEXT = """## How much leave you get

Full-time staff receive **25 days** per year. The U.S. office follows
the same rule, says Dr. Kang. She added: "it is fair."

- Buy up to 5 extra days in [PeopleHub](https://x.example/hr).
  Bought days expire in December.
| Service | Leave |
|---|---|
| 5 years or more | 27 days |

![A photo](https://x.example/p.jpg)
Pushback from Asian Allies
Is this a question?
"""


def spans():
    return [(s.kind, s.readable) for s in split_sentences(TEXT)]


def test_offsets_point_at_the_span_text():
    for span in split_sentences(TEXT):
        assert TEXT[span.start:span.end] == span.text


def test_block_kinds_and_readable_text():
    assert spans() == [
        ("heading", "How much leave you get"),
        ("sentence", "Full-time staff receive 25 days per year."),
        ("sentence", "The U.S. office follows the same rule, says Dr. Kang."),
        ("sentence", 'She added: "it is fair."'),
        ("item", "Buy up to 5 extra days in PeopleHub."),
        ("item", "Bought days expire in December."),
        ("heading", "Service | Leave"),
        ("row", "Where the service is 5 years or more, the leave is 27 days."),
        ("media", "![A photo](https://x.example/p.jpg)"),
        ("heading", "Pushback from Asian Allies"),
        ("sentence", "Is this a question?"),
    ]


def test_content_terms_stem_and_keep_figures():
    assert content_terms("How many U.S. troops are stationed there? 50,000") == {"us", "troop", "station", "50000"}


@settings(max_examples=60, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("ab .?!\n#-|*[]()1\"")), max_size=120))
def test_any_text_splits_into_exact_non_overlapping_spans(text):
    last_end = 0
    for span in split_sentences(text):
        assert text[span.start:span.end] == span.text and span.text.strip()
        assert span.start >= last_end
        last_end = span.end


def test_inflections_the_stemmer_keeps_apart_still_match():
    from ragqa.words import matched_terms

    question = content_terms("Who underwrites our travel insurance?")
    assert "underwrit" in matched_terms(question, content_terms("The policy is underwritten by Calder Mutual."))
    assert matched_terms(question, content_terms("Cats sleep all day.")) == set()
    assert matched_terms({"car"}, {"career"}) == set()  # short stems never match by prefix


def test_acronyms_match_the_words_they_stand_for_both_ways():
    from ragqa.words import acronym_terms

    assert {"pull", "request"} <= acronym_terms("How big can a pull request be?", "Keep PRs small: 400 lines.")
    assert "mfa" in acronym_terms("How do I set up MFA?", "Set up multi-factor authentication in the app.")
    assert acronym_terms("How big can a pull request be?", "Keep changes small.") == set()


def test_a_text_cut_from_the_middle_of_a_table_reads_its_rows_with_the_tables_header():
    from ragqa.sentences import table_header_before

    article = ("## Day 1\n\n| Time | Leeds | Porto |\n|---|---|---|\n| 09:30 | Reception | Front desk |\n"
               "| 12:00 | Lunch with your buddy | Lunch with your buddy |\n| 13:30 | IT setup | IT setup |\n")
    start = article.index("| 12:00")
    header = table_header_before(article, start)
    assert header == "| Time | Leeds | Porto |"
    rows = split_sentences(article[start:], table_header=header)
    assert [s.kind for s in rows] == ["row", "row"]
    assert rows[0].readable.startswith("Where the time is 12:00, Leeds and Porto are Lunch with your buddy")
    # without it the first row poses as the header: what a cut passage read like before
    assert split_sentences(article[start:])[0].kind == "heading"
    # HTML tables load without a rule line; a text starting at a table's first line or in prose has no header
    assert table_header_before(article.replace("|---|---|---|\n", ""), start - 14) == "| Time | Leeds | Porto |"
    assert table_header_before(article, article.index("| Time")) == ""
    assert table_header_before(article, article.index("Day 1")) == ""


@pytest.mark.parametrize(("header", "cells", "read"), [
    (["Type of leave", "Total length", "At full pay"], ["Maternity leave", "52 weeks", "First 26 weeks"],
     "For Maternity leave, the total length is 52 weeks; at full pay: First 26 weeks."),  # not 'the at full pay is'
    (["Country", "Per night"], ["Norway", "NOK 900"], "For Norway, per night: NOK 900."),
    (["Contract", "Probation period"], ["Porto contracts", "90 days"],
     "For Porto contracts, the probation period is 90 days."),
    (["Situation", "First call", "Then tell"], ["Lost badge", "Reception", "Your manager"],
     "For Lost badge, first call: Reception; then tell: Your manager."),  # what to do, not 'the first call is'
])
def test_a_row_reads_as_a_sentence_whatever_its_headers_start_with(header, cells, read):
    assert row_in_words(header, cells) == read


@pytest.mark.parametrize(("header", "place"), [
    ("Leeds (2 Wharf Street)", True), ("Aberdeen", True), ("UK", True), ("New York", True),
    ("Training needed", False), ("At full pay", False), ("Total length", False), ("Now (2026 standard)", False),
])
def test_a_column_for_a_place_is_told_from_one_about_the_row(header, place):
    assert names_a_place_or_party(header) is place
