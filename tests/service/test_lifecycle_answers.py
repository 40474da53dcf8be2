"""Lifecycle in answers: current before superseded, citations carry status/updated/superseded_by, the generative
prompt carries the labels and the standalone question, and streamed markers use the final numbering."""

from __future__ import annotations

import random
import re

import pytest

from ragqa.service.grounding import renumber_citations
from ragqa.service.models import Turn
from ragqa.service.stream_refs import StreamRenumberer
from tests.conftest import index_articles, service_factory

RATES_2024 = """---
title: Daily allowance rates 2024
updated: 2024-02-01
status: superseded
superseded_by: travel/allowance-2026
---
# Daily allowance rates 2024

The daily meal allowance for trips to the USA is 75 dollars. Hotels in the USA are capped at 180 dollars a night.
"""
RATES_2026 = """---
title: Daily allowance rates 2026
updated: 2026-01-20
---
# Daily allowance rates 2026

The daily meal allowance for trips to the USA is 90 dollars. Hotels in the USA are capped at 210 dollars a night.
"""
EXPIRED = """---
title: Winter car park permits
valid_until: 2020-03-31
---
# Winter car park permits

Winter car park permits for the Leeds office cost 40 pounds and are issued by facilities at reception.
"""

MARK = re.compile(r"\[[\d, ]+\]")


@pytest.fixture(scope="module")
def make_service(tmp_path_factory, embedder):
    articles = {"travel/allowance-2024.md": RATES_2024, "travel/allowance-2026.md": RATES_2026,
                "facilities/winter-permits.md": EXPIRED}
    return service_factory(index_articles(tmp_path_factory, embedder, articles), embedder)


def test_the_current_article_answers_and_citations_carry_the_lifecycle(make_service):
    answer = make_service().answer("What is the daily meal allowance for the USA?")
    assert not answer.abstained and "90 dollars" in answer.answer and "75 dollars" not in answer.answer
    first = answer.citations[0]
    assert (first.doc_id, first.status, first.updated, first.superseded_by) == (
        "travel/allowance-2026", "current", "2026-01-20", None)


def test_a_superseded_citation_says_so_and_names_its_replacement(make_service):
    service = make_service()
    hits = service.search("meal allowance USA 2024 rates", k=5)
    old = next(h for h in hits if h.doc_id == "travel/allowance-2024")
    from ragqa.service.answer import to_citation

    citation = to_citation(1, old, service.lifecycle(service.index.retriever(), old))
    assert (citation.status, citation.updated, citation.superseded_by) == (
        "superseded", "2024-02-01", "travel/allowance-2026")


def test_an_article_past_its_valid_until_date_is_superseded_at_query_time(make_service):
    service = make_service()
    hit = next(h for h in service.search("winter car park permit price", k=3) if h.doc_id.endswith("winter-permits"))
    assert service.lifecycle(service.index.retriever(), hit).status == "superseded"
    answer = service.answer("How much does a winter car park permit cost?")
    if not answer.abstained:  # nothing current answers: the superseded article may, and is labelled
        assert all(c.status == "superseded" for c in answer.citations if c.doc_id.endswith("winter-permits"))
        assert "superseded" in answer.answer.lower()


def test_the_generative_prompt_carries_the_standalone_question_and_lifecycle_labels(make_service, llm_server):
    # `echo` replies with the prompt: its condense reply is too long to be a question, so the rule's stands.
    service = make_service(llm="openai", openai_base_url=f"{llm_server.url}/v1", openai_model="echo",
                           llm_timeout_s=5.0, llm_max_retries=0)
    history = [Turn(role="user", content="What is the daily meal allowance for the USA?"),
               Turn(role="assistant", content="It is 90 dollars [1].")]
    before = len(llm_server.requests)
    answer = service.answer("And the hotel cap?", history=history)
    sent = llm_server.requests[-1]["body"]["messages"][-1]["content"]
    assert len(llm_server.requests) > before
    assert answer.standalone_question != "And the hotel cap?" and "USA" in answer.standalone_question
    assert sent.rstrip().endswith(f"Question: {answer.standalone_question}")
    assert 'status="current, updated 2026-01-20"' in sent
    assert 'status="superseded, replaced by travel/allowance-2026"' in sent
    rules = " ".join(sent.lower().split())
    assert "prefer current articles" in rules and "lead with the fact asked" in rules
    # Passages of one article sit together in the prompt.
    order = re.findall(r'<passage ref="\d+" title="([^"]+)"', sent)
    assert order == sorted(order, key=order.index)  # no title reappears after another one
    assert all(order[i] == order[i - 1] or order[i] not in order[:i] for i in range(1, len(order)))
    # Current articles come before superseded ones.
    assert sent.index('status="current') < sent.index('status="superseded')


@pytest.mark.parametrize("seed", range(5))
def test_stream_renumbering_matches_the_final_renumbering_at_any_split(seed):
    text = ("The rate is 90 dollars [3]. Hotels are capped [1, 3]. A made-up line [9]. See [passage 2] and "
            "[ref 3]. Years such as [2024] are not markers. [2][1] close it.")
    valid = {1, 2, 3}
    rng = random.Random(seed)
    cuts = sorted(rng.sample(range(1, len(text)), 25))
    pieces = [text[a:b] for a, b in zip([0, *cuts], [*cuts, len(text)], strict=True)]
    numbering = StreamRenumberer(valid)
    streamed = "".join(numbering.feed(p) for p in pieces) + numbering.flush()
    final, order = renumber_citations(text, valid)
    assert MARK.findall(streamed) == MARK.findall(final)
    assert order == [3, 1, 2]


def test_streamed_deltas_use_the_final_answer_numbers(make_service):
    service = make_service()
    for question in ("What is the daily meal allowance for the USA?", "How much is the hotel cap in the USA?"):
        events = list(service.stream(question))
        streamed = "".join(e.text for e in events if e.kind == "delta")
        final = events[-1].answer
        assert MARK.findall(streamed) == MARK.findall(final.answer)
        assert sorted({int(n) for m in MARK.findall(streamed) for n in re.findall(r"\d+", m)}) == [
            c.ref for c in final.citations]


HOME_2025 = """---
title: Home working allowance
status: superseded
superseded_by: hr/home-working-2026
updated: 2025-01-10
---
# Home working allowance

Staff who work from home at least two days a week receive a home working allowance of 20 pounds a month, paid
with salary. Equipment for a home desk is reimbursed up to 150 pounds once.
"""
HOME_2026 = """---
title: Home working allowance
updated: 2026-01-15
effective: 2026-02-01
---
# Home working allowance

From 1 February 2026, staff who work from home at least two days a week receive a home working allowance of 26
pounds a month, paid with salary. Equipment for a home desk is reimbursed up to 250 pounds once every four years.

| Group | Allowance |
|---|---|
| Most staff | 26 pounds a month |
| Staff on fully remote contracts | 40 pounds a month, plus a chair |
"""


@pytest.fixture(scope="module")
def home_working(tmp_path_factory, embedder):
    articles = {"hr/home-working-2025.md": HOME_2025, "hr/home-working-2026.md": HOME_2026}
    return service_factory(index_articles(tmp_path_factory, embedder, articles), embedder)()


def test_a_question_about_a_past_year_is_answered_by_the_text_in_force_then(home_working):
    """Both versions share their title and never name the year asked; the current one holds only from 2026."""
    answer = home_working.answer("What was the home working allowance in 2025?")
    assert "20 pounds" in answer.answer.split("[1]")[0], answer.answer
    assert "26 pounds" not in answer.answer, answer.answer  # no current figure beside the replaced one
    now = home_working.answer("How much is the home working allowance?")
    assert "26 pounds" in now.answer.split("[1]")[0] and "20 pounds" not in now.answer, now.answer



def test_a_replaced_articles_passage_brings_the_same_section_of_its_replacement(make_service):
    """Retrieval may find the 2024 rates alone; the current rates come with them, so they can answer first."""
    service = make_service()
    retriever = service.index.retriever()
    old = [h for h in service.search("meal allowance USA 2024 rates", k=5) if h.doc_id == "travel/allowance-2024"]
    added = service._replacements(retriever, old, None)
    assert [h.doc_id for h in added] == ["travel/allowance-2026"]
    assert service._replacements(retriever, added, None) == []  # a current passage brings nothing


def test_a_replacement_the_asker_may_not_read_is_not_brought(tmp_path_factory, embedder):
    articles = {"travel/allowance-2024.md": RATES_2024,
                "travel/allowance-2026.md": RATES_2026.replace("updated: 2026-01-20", "updated: 2026-01-20\n"
                                                               "audience: [finance]")}
    service = service_factory(index_articles(tmp_path_factory, embedder, articles), embedder)()
    retriever = service.index.retriever()
    old = [h for h in service.search("meal allowance USA 2024 rates", k=5, groups=frozenset({"staff"}))
           if h.doc_id == "travel/allowance-2024"]
    assert old and service._replacements(retriever, old, frozenset({"staff"})) == []
    assert [h.doc_id for h in service._replacements(retriever, old, frozenset({"finance"}))] == [
        "travel/allowance-2026"]

