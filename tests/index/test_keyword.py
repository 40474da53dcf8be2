"""The BM25 search path against bm25s's own retrieve on real text: same scores, masks applied inside."""

from __future__ import annotations

import numpy as np
import pytest

from index.keyword import KeywordIndex, tokenize
from tests.conftest import CORPUS


@pytest.fixture(scope="module")
def corpus_texts() -> list[str]:
    texts = []
    for path in sorted(CORPUS.rglob("*")):
        if path.suffix in (".md", ".html"):
            body = path.read_text(encoding="utf-8")
            texts.extend(part for part in body.split("\n\n") if len(part.split()) >= 5)
    assert len(texts) > 200
    return texts


QUERIES = ["how many days of annual leave", "passphrase length multi-factor", "expense claim mileage Porto",
           "security incident report phone", "the of and"]  # the last: stopwords only


def _reference(index: KeywordIndex, query: str, k: int, mask: np.ndarray | None):
    """bm25s's own retrieve over all N scores (what the search replaced)."""
    bm25 = index._bm25
    tokens = [t for t in tokenize([query], return_ids=False)[0] if t in bm25.vocab_dict]
    if not tokens:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float32)
    weights = None if mask is None else mask.astype(np.float32)
    rows, scores = bm25.retrieve([tokens], k=min(k, index.size), show_progress=False, weight_mask=weights)
    keep = scores[0] > 0
    return rows[0][keep], scores[0][keep]


@pytest.mark.parametrize("restricted", [False, True])
def test_search_matches_bm25s_retrieve(corpus_texts, tmp_path, restricted):
    built = KeywordIndex.build(corpus_texts)
    built.save(tmp_path / "kw")
    index = KeywordIndex.load(tmp_path / "kw")  # what a server opens
    mask = np.random.default_rng(3).random(index.size) < 0.4 if restricted else None
    for query in QUERIES:
        rows, scores = index.search(query, 20, mask)
        ref_rows, ref_scores = _reference(index, query, 20, mask)
        np.testing.assert_allclose(scores, ref_scores, rtol=1e-5)  # same ranking, best first
        assert list(scores) == sorted(scores, reverse=True)
        tied = {float(s) for s in scores if list(np.round(scores, 5)).count(round(float(s), 5)) > 1}
        assert [r for r, s in zip(rows, scores, strict=True) if float(s) not in tied] == \
            [r for r, s in zip(ref_rows, ref_scores, strict=True) if float(s) not in tied]
        if mask is not None:
            assert mask[rows].all()  # nothing outside the reader's rows, however well it scores
    assert len(index.search("annual leave", 5)[0]) == 5


def test_search_edge_cases(corpus_texts):
    index = KeywordIndex.build(corpus_texts[:50])
    assert len(index.search("zzzqqq unknownword", 10)[0]) == 0
    assert len(index.search("annual leave", 0)[0]) == 0
    none_allowed = np.zeros(index.size, dtype=bool)
    assert len(index.search("annual leave", 10, none_allowed)[0]) == 0
    empty = KeywordIndex.build([])
    assert len(empty.search("annual leave", 10)[0]) == 0
