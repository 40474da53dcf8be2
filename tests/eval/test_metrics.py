"""Metrics on hand-made rankings and records, checked against values worked out by hand."""

from __future__ import annotations

import math

import numpy as np
import pytest

from ragqa.eval.metrics import (
    METRICS,
    abstention_scores,
    by_type,
    citation_scores,
    dedupe,
    key_facts_found,
    percentile,
    retrieval_scores,
    summarise,
)


def test_one_relevant_document_at_rank_two():
    scores = retrieval_scores({"q": {"a": 1}}, {"q": ["x", "a", "b"]})["q"]
    assert scores["ndcg@10"] == pytest.approx(1 / math.log2(3))
    assert scores["mrr@10"] == pytest.approx(0.5)
    assert scores["recall@1"] == 0.0
    assert scores["recall@5"] == 1.0


def test_two_relevant_documents_and_graded_relevance():
    two = retrieval_scores({"q": {"a": 1, "b": 1}}, {"q": ["a", "x", "b"]})["q"]
    assert two["ndcg@10"] == pytest.approx((1 + 1 / math.log2(4)) / (1 + 1 / math.log2(3)))
    assert two["recall@1"] == pytest.approx(0.5)
    graded = retrieval_scores({"q": {"a": 2, "b": 1}}, {"q": ["b", "a"]})["q"]
    # trec_eval's nDCG takes the grade itself as the gain (linear, not 2^grade - 1).
    assert graded["ndcg@10"] == pytest.approx((1 + 2 / math.log2(3)) / (2 + 1 / math.log2(3)))


def test_beyond_rank_ten_counts_only_for_deeper_recall():
    ranking = [f"d{i}" for i in range(10)] + ["a"]
    scores = retrieval_scores({"q": {"a": 1}}, {"q": ranking}, depth=100)["q"]
    assert scores["ndcg@10"] == 0.0 and scores["mrr@10"] == 0.0 and scores["recall@10"] == 0.0
    assert scores["recall@100"] == 1.0


def test_unretrieved_and_irrelevant_queries():
    scores = retrieval_scores({"q1": {"a": 1}, "q2": {"a": 0}}, {"q1": []})
    assert scores == {"q1": {"ndcg@10": 0.0, "mrr@10": 0.0, "recall@1": 0.0, "recall@5": 0.0, "recall@10": 0.0}}


def test_dedupe_keeps_best_rank_of_each_document():
    assert dedupe(["a", "b", "a", "c", "b"]) == ["a", "b", "c"]


def test_citation_precision_and_recall():
    assert citation_scores(["a", "a", "x"], ["a", "b"]) == (pytest.approx(2 / 3), 0.5)
    assert citation_scores([], ["a"]) == (None, 0.0)


def test_key_facts_ignore_case_markers_and_typography():
    answer = "Leeds is open 07:00\u201320:00 [1]. Passphrases need 14 Characters [2][3]."
    assert key_facts_found(answer, ["07:00-20:00", "14 characters", "MFA"]) == [True, True, False]
    assert key_facts_found("costs \u00a3180\u00a0per night", ["£180 per night"]) == [True]
    # a count's unit may be qualified; another number or another unit is not the fact
    assert key_facts_found("You get 23 working days [1].", ["23 days", "3 days", "23 weeks"]) == [True, False, False]
    assert key_facts_found("You get 123 calendar days.", ["23 days"]) == [False]


def test_percentile_matches_numpy():
    values = [12.0, 3.0, 50.0, 7.0, 9.0, 100.0, 1.0]
    for p in (0, 50, 95, 100):
        assert percentile(values, p) == pytest.approx(np.percentile(values, p))
    assert percentile([], 50) is None


def test_abstention_precision_and_recall():
    records = [
        {"answerable": False, "abstained": True},
        {"answerable": False, "abstained": False},
        {"answerable": True, "abstained": True},
        {"answerable": True, "abstained": False},
    ]
    assert abstention_scores(records) == (0.5, 0.5)
    assert abstention_scores([{"answerable": True, "abstained": False}]) == (None, None)


def _record(**values):
    base = {"type": "single", "answerable": True, "abstained": False, "expected_sources": ["a"], "key_facts": ["x"],
            "latency_ms": 10.0, "grounding_score": 1.0, "sentences": []}
    return base | values


def test_summarise_hand_made_records():
    supported = {"supported": True, "precise": 1}
    records = [
        _record(retrieval={"ndcg@10": 1.0, "mrr@10": 1.0, "recall@5": 1.0}, citation_precision=1.0,
                citation_recall=1.0, key_facts_found=[True], correct=True, latency_ms=10.0,
                sentences=[{"refs": [1], "offline": supported, "judge": None}]),
        _record(retrieval={"ndcg@10": 0.5, "mrr@10": 0.5, "recall@5": 1.0}, citation_precision=0.5,
                citation_recall=1.0, key_facts_found=[False], correct=False, latency_ms=30.0,
                sentences=[{"refs": [1, 2], "offline": {"supported": True, "precise": 1}, "judge": None},
                           {"refs": [], "offline": {"supported": False, "precise": 0}, "judge": None}]),
        _record(retrieval={"ndcg@10": 0.0, "mrr@10": 0.0, "recall@5": 0.0}, abstained=True, citation_recall=0.0,
                key_facts_found=[False], correct=False, latency_ms=20.0),
        _record(type="unanswerable", answerable=False, abstained=True, expected_sources=[], key_facts=[],
                correct=True, latency_ms=40.0),
    ]
    m = summarise(records)
    assert m["ndcg@10"] == pytest.approx(0.5)
    assert m["citation_precision"] == pytest.approx(0.75)  # answered answerable questions only
    assert m["citation_recall"] == pytest.approx(2 / 3)  # abstaining on an answerable question scores 0
    assert m["support_rate"] == pytest.approx(2 / 3)
    assert m["support_precision"] == pytest.approx(2 / 3)  # 3 citations, 2 precise
    assert m["key_fact_recall"] == pytest.approx(1 / 3)
    assert m["answer_correct"] == pytest.approx(1 / 3)
    assert (m["abstention_precision"], m["abstention_recall"]) == (0.5, 1.0)
    assert m["latency_p50_ms"] == pytest.approx(25.0)
    assert "judge_support_rate" not in m  # no judge configured: not reported as zero
    assert set(m) <= set(METRICS)
    assert by_type(records)["unanswerable"] == {"questions": 1, "abstention_recall": 1.0}


def test_errors_are_failures_not_latencies():
    records = [_record(error="LLMError: down", retrieval={"ndcg@10": 0.0}), _record(latency_ms=5.0,
               retrieval={"ndcg@10": 1.0})]
    m = summarise(records)
    assert m["latency_p50_ms"] == 5.0 and m["ndcg@10"] == 0.5


def test_readme_explains_every_metric():
    from pathlib import Path

    readme = (Path(__file__).resolve().parents[2] / "eval" / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Metrics", 1)[1].split("###", 1)[0]
    assert [name for name in METRICS if f"`{name}`" not in section] == []
