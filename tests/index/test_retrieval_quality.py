"""Retrieval quality on the sample corpus: the expected article is found for the evaluation questions."""

from __future__ import annotations

import json

from ragqa.service.composition import open_index
from tests.conftest import REPO


def _questions():
    with (REPO / "eval" / "questions.jsonl").open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def test_expected_source_in_top5_for_answerable_questions(sample_index, embedder):
    retriever = open_index(sample_index, embedder).retriever()
    answerable = [q for q in _questions() if q["answerable"]]
    misses = []
    for q in answerable:
        groups = frozenset(q["groups"]) if q.get("groups") else None
        found = {h.doc_id for h in retriever.search(q["question"], k=5, groups=groups)}
        if not found & set(q["expected_sources"]):
            misses.append((q["id"], q["question"], sorted(found)))
    recall = 1 - len(misses) / len(answerable)
    assert recall >= 0.95, f"recall@5 {recall:.2f}; misses: {misses}"


def test_restricted_questions_find_nothing_restricted_for_everyone(sample_index, embedder):
    retriever = open_index(sample_index, embedder).retriever()
    version = retriever.version
    restricted = {a.doc_id for a in version.articles() if not a.is_public}
    assert restricted, "the sample corpus should hold restricted articles"
    for q in _questions():
        if q["type"] == "restricted":
            hits = retriever.search(q["question"], k=10, groups=frozenset({"staff"}))
            assert not {h.doc_id for h in hits} & restricted
