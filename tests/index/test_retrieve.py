"""Hybrid retrieval: both methods scored, score and RRF fusion, and permission filters applied inside both searches."""

from __future__ import annotations

import pytest

from ragqa.index.ingest import upsert_articles
from ragqa.index.retrieve import rrf_fuse
from ragqa.service.composition import open_index
from ragqa.types import Article


def test_rrf_rewards_agreement():
    import numpy as np

    fused = rrf_fuse([(np.array([1, 2, 3]), 1.0), (np.array([3, 1, 9]), 1.0)], k=60)
    assert max(fused, key=fused.get) == 1 and fused[3] > fused[2] and fused[9] < fused[2]


@pytest.fixture
def acl_index(settings_factory, embedder):
    """Many restricted articles that match the query strongly, one public article that matches weakly."""
    settings = settings_factory()
    secret = [
        Article(doc_id=f"exec/bonus-{i}", title="Executive bonus pool", source="api", acl=("managers",),
                text=f"The executive bonus pool for region {i} is 4.{i} million euros, paid in March.",
                sha256=f"s{i}")
        for i in range(12)
    ]
    public = Article(doc_id="handbook/pay-dates", title="Pay dates", source="api", acl=("everyone",),
                     text="Salaries and any bonus are paid on the 25th of each month.", sha256="p")
    hr_only = Article(doc_id="hr/cases", title="HR cases", source="api", acl=("hr",),
                      text="Bonus disputes are handled by the HR case team within ten days.", sha256="h")
    upsert_articles([*secret, public, hr_only], settings=settings, embedder=embedder)
    return open_index(settings, embedder).retriever()


@pytest.mark.parametrize("mode", ["dense", "keyword", "hybrid"])
def test_filter_applies_inside_each_search(acl_index, mode):
    # Unfiltered, the restricted articles fill the top 3; a post-filter would leave nothing.
    top = acl_index.search("executive bonus pool", k=3, mode=mode)
    assert all(h.doc_id.startswith("exec/") for h in top)
    hits = acl_index.search("executive bonus pool", k=3, groups=frozenset({"staff"}), mode=mode)
    assert hits and {h.doc_id for h in hits} <= {"handbook/pay-dates"}
    hr = acl_index.search("bonus disputes", k=5, groups=frozenset({"hr"}), mode=mode)
    assert "hr/cases" in {h.doc_id for h in hr}
    assert not any(h.doc_id.startswith("exec/") for h in hr)


def test_hybrid_hits_carry_both_scores(acl_index):
    hits = acl_index.search("when are salaries paid", k=3)
    best = hits[0]
    assert best.doc_id == "handbook/pay-dates"
    assert best.dense_score is not None and best.keyword_score is not None
    assert best.dense_rank == 1 or best.keyword_rank == 1
    assert [h.score for h in hits] == sorted((h.score for h in hits), reverse=True)


def test_empty_groups_see_public_articles_only(acl_index):
    hits = acl_index.search("bonus", k=20, groups=frozenset())
    assert {h.doc_id for h in hits} == {"handbook/pay-dates"}


def test_bm25_beside_the_embedding_or_after_the_dense_search_gives_the_same_hits(acl_index):
    """Where BM25 runs (depends on spare CPUs: index/embedding.py spare_cpu) changes timing, never results."""
    results = {}
    for overlap in (True, False):
        acl_index._overlap_embedding = overlap
        for groups in (None, frozenset({"managers"}), frozenset()):
            hits = acl_index.search("When is the bonus paid?", k=5, groups=groups)
            results.setdefault(groups, []).append(
                [(h.chunk_id, h.row, round(h.score, 9), h.dense_rank, h.keyword_rank) for h in hits])
    for groups, (beside_embedding, in_turn) in results.items():
        assert beside_embedding == in_turn and beside_embedding, groups


def test_opening_an_index_leaves_the_process_alone_and_serving_tunes_it(settings_factory, embedder):
    import sys

    import faiss

    from ragqa.index.retrieve import SERVING_SWITCH_INTERVAL_S
    from ragqa.service.composition import tune_for_serving

    # Process-wide settings: undo what earlier tests set, so only the calls below can set them.
    before = sys.getswitchinterval()
    sys.setswitchinterval(0.005)
    faiss.omp_set_num_threads(2)
    try:
        open_index(settings_factory(), embedder)  # a CLI search or an eval: no process-wide change
        assert faiss.omp_get_max_threads() == 2 and sys.getswitchinterval() == pytest.approx(0.005)
        tune_for_serving()  # what `ragqa serve` does when the server starts
        assert faiss.omp_get_max_threads() == 1
        assert sys.getswitchinterval() == pytest.approx(SERVING_SWITCH_INTERVAL_S)
    finally:
        sys.setswitchinterval(before)


def test_both_fusions_rank_the_answer_first(acl_index):
    from ragqa.index.retrieve import Retriever

    def variant(fusion):
        settings = acl_index.settings.model_copy(update={"fusion": fusion})
        return Retriever(acl_index.version, acl_index.embedder, settings)

    for fusion in ("rrf", "scores"):
        hits = variant(fusion).search("when are salaries paid", k=3)
        assert hits[0].doc_id == "handbook/pay-dates"
        assert [h.score for h in hits] == sorted((h.score for h in hits), reverse=True)
    # A restricted caller: score fusion standardises over the rows that caller may read, and sees no other row.
    hits = variant("scores").search("bonus disputes", k=5, groups=frozenset({"hr"}))
    assert hits[0].doc_id == "hr/cases" and not any(h.doc_id.startswith("exec/") for h in hits)
