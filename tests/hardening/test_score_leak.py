"""Finding 4: a caller's scores (keyword, dense, fused) never depend on articles that caller cannot read.

Two real indexes: the public articles alone, and the same public articles plus restricted ones full of the
query's words. A caller with no group must get exactly the same hits and keyword scores from both.
"""

from __future__ import annotations

import pytest

from ragqa.index.ingest import upsert_articles
from ragqa.service.composition import open_index
from ragqa.types import Article

PUBLIC = [
    Article(doc_id="handbook/pay-dates", title="Pay dates", source="api", acl=("everyone",),
            text="Salaries and any bonus are paid on the 25th of each month.", sha256="p1"),
    Article(doc_id="handbook/leave", title="Annual leave", source="api", acl=(),
            text="Staff have 25 days of annual leave; a bonus day is granted after five years.", sha256="p2"),
    Article(doc_id="handbook/expenses", title="Expenses", source="api", acl=(),
            text="Expense claims for travel are paid with the next salary run.", sha256="p3"),
]
SECRET = [
    Article(doc_id=f"exec/bonus-{i}", title="Executive bonus pool", source="api", acl=("managers",),
            text=f"The executive bonus pool for region {i} is 4.{i} million euros; the bonus is paid in March.",
            sha256=f"s{i}")
    for i in range(8)
]
QUERIES = ["bonus", "when is the bonus paid", "executive bonus pool", "annual leave days"]


@pytest.fixture(scope="module")
def two_indexes(tmp_path_factory, embedder):
    from ragqa.settings import Settings

    made = []
    for name, articles in (("public", PUBLIC), ("mixed", [*SECRET[:4], *PUBLIC, *SECRET[4:]])):
        root = tmp_path_factory.mktemp(name)
        settings = Settings(index_dir=root / "index", data_dir=root / "data")
        upsert_articles(articles, settings=settings, embedder=embedder)
        made.append(open_index(settings, embedder).retriever())
    return made


def _by_chunk(hits):
    return {h.chunk.chunk_id: h for h in hits}


@pytest.mark.parametrize("mode", ["keyword", "dense", "hybrid"])
def test_outsider_scores_are_those_of_an_index_without_the_restricted_articles(two_indexes, mode):
    public_only, mixed = two_indexes
    for query in QUERIES:
        want = public_only.search(query, k=10, groups=frozenset(), mode=mode)
        got = mixed.search(query, k=10, groups=frozenset(), mode=mode)
        assert [h.chunk.chunk_id for h in got] == [h.chunk.chunk_id for h in want], query
        for g, w in zip(got, want, strict=True):
            assert g.keyword_score == w.keyword_score and g.keyword_rank == w.keyword_rank, query  # exactly
            assert g.dense_rank == w.dense_rank, query  # fusion ranks only over visible rows
            if mode == "hybrid":  # score fusion of equal ranks and scores: the same fused score, within rounding
                assert g.score == pytest.approx(w.score, abs=1e-5), query
            if g.dense_score is not None:  # vectors come from separate embedding batches: equal within rounding
                assert g.dense_score == pytest.approx(w.dense_score, abs=1e-5)


def test_insider_scores_do_count_the_restricted_articles(two_indexes):
    public_only, mixed = two_indexes
    want = _by_chunk(public_only.search("bonus", k=10, groups=frozenset(), mode="keyword"))
    got = _by_chunk(mixed.search("bonus", k=20, groups=frozenset({"managers"}), mode="keyword"))
    assert any(h.doc_id.startswith("exec/") for h in got.values())
    shared = set(want) & set(got)
    assert shared and all(got[c].keyword_score < want[c].keyword_score for c in shared)  # "bonus" is commoner
    # Unrestricted (CLI, admin) is the all-rows view: the same as the managers, who read every article here.
    everyone = _by_chunk(mixed.search("bonus", k=20, groups=None, mode="keyword"))
    assert {c: h.keyword_score for c, h in everyone.items()} == {c: h.keyword_score for c, h in got.items()}
