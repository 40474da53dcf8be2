"""The BM25 search path against bm25s's own retrieve on real text: same scores, masks applied inside."""

from __future__ import annotations

import numpy as np
import pytest

from ragqa.index.keyword import KeywordIndex, tokenize
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


def _reference(texts: list[str], query: str, k: int, mask: np.ndarray | None):
    """bm25s's own index and retrieve over the rows `mask` allows only: what a reader who may see just those
    rows must get (scores from their rows' statistics alone), rows numbered as in the full index."""
    import bm25s

    rows_of = np.arange(len(texts)) if mask is None else np.flatnonzero(mask)
    bm25 = bm25s.BM25()
    bm25.index(tokenize([texts[r] for r in rows_of], return_ids=False), show_progress=False)
    tokens = [t for t in tokenize([query], return_ids=False)[0] if t in bm25.vocab_dict]
    if not tokens:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float32)
    rows, scores = bm25.retrieve([tokens], k=min(k, len(rows_of)), show_progress=False)
    keep = scores[0] > 0
    return rows_of[rows[0][keep]], scores[0][keep]


@pytest.mark.parametrize("restricted", [False, True])
def test_search_matches_bm25s_retrieve(corpus_texts, tmp_path, restricted):
    built = KeywordIndex.build(corpus_texts)
    built.save(tmp_path / "kw")
    index = KeywordIndex.load(tmp_path / "kw")  # what a server opens
    mask = np.random.default_rng(3).random(index.size) < 0.4 if restricted else None
    for query in QUERIES:
        rows, scores = index.search(query, 20, mask)
        ref_rows, ref_scores = _reference(corpus_texts, query, 20, mask)
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


def _postings(index: KeywordIndex) -> dict[str, tuple[list[int], list[float]]]:
    """term -> (rows, impacts): the whole index, independent of how its terms happen to be numbered."""
    matrix = index._bm25.scores
    data, indices, indptr = matrix["data"], matrix["indices"], matrix["indptr"]
    out = {}
    for term, i in index._bm25.vocab_dict.items():
        if i + 1 < len(indptr):
            order = np.argsort(indices[indptr[i]:indptr[i + 1]])
            out[term] = (indices[indptr[i]:indptr[i + 1]][order].tolist(), data[indptr[i]:indptr[i + 1]][order])
    return out


def _assert_same_index(got: KeywordIndex, want: KeywordIndex) -> None:
    assert got.size == want.size
    a, b = _postings(got), _postings(want)
    assert set(a) == set(b)
    for term, (rows, impacts) in b.items():
        assert a[term][0] == rows, term
        np.testing.assert_allclose(a[term][1], impacts, rtol=1e-6)


def test_an_update_copies_unchanged_rows_tokens_and_equals_a_full_build(corpus_texts, tmp_path):
    old = corpus_texts[:120]
    KeywordIndex.build(old).save(tmp_path / "parent")
    # The next version: rows removed, rows moved, a changed row and new rows (with words the parent never had).
    new = [*old[10:60], "Quokkas photobomb the zeppelin hangar every Thursday.", *old[:5], old[70] + " Revised.",
           *old[80:120], "Another brand-new passage about annual leave and xylophones."]
    where = {text: row for row, text in enumerate(old)}
    parent_rows = np.array([where.get(text, -1) for text in new], dtype=np.int64)
    assert (parent_rows < 0).sum() == 3

    calls = []
    import ragqa.index.keyword as keyword

    real = keyword.tokenize
    keyword.tokenize = lambda texts, **kw: calls.append(len(texts)) or real(texts, **kw)
    try:
        updated = KeywordIndex.build(new, parent=tmp_path / "parent", parent_rows=parent_rows)
    finally:
        keyword.tokenize = real
    assert calls == [3], "only the texts the parent lacks are tokenized"
    full = KeywordIndex.build(new)
    _assert_same_index(updated, full)
    assert "quokka" in updated._bm25.vocab_dict
    assert not set(updated._bm25.vocab_dict) - set(full._bm25.vocab_dict), "terms no row holds are dropped"

    # Saved and loaded, it searches like the full build; and it serves as the next version's parent in turn.
    updated.save(tmp_path / "child")
    loaded = KeywordIndex.load(tmp_path / "child")
    for query in [*QUERIES, "quokka zeppelin", "xylophones"]:
        for got, want in zip(loaded.search(query, 10), full.search(query, 10), strict=True):
            np.testing.assert_allclose(got, want, rtol=1e-6)
    again = KeywordIndex.build(new[::-1], parent=tmp_path / "child", parent_rows=np.arange(len(new))[::-1].copy())
    _assert_same_index(again, KeywordIndex.build(new[::-1]))


def test_a_parent_without_stored_tokens_is_tokenized_again(corpus_texts, tmp_path):
    import json

    texts = corpus_texts[:40]
    KeywordIndex.build(texts).save(tmp_path / "parent")
    meta = tmp_path / "parent" / "size.json"
    meta.write_text(json.dumps({"size": 40}))  # as written before tokens were stored
    rebuilt = KeywordIndex.build(texts, parent=tmp_path / "parent", parent_rows=np.arange(40))
    _assert_same_index(rebuilt, KeywordIndex.build(texts))
    meta.write_text(json.dumps({"size": 40, "row_tokens": "another tokenizer"}))
    _assert_same_index(KeywordIndex.build(texts, parent=tmp_path / "parent", parent_rows=np.arange(40)),
                       KeywordIndex.build(texts))


def test_a_readers_scores_ignore_rows_they_cannot_read(corpus_texts):
    """Finding 4: a reader's BM25 scores must not reveal whether unreadable rows hold a word (df, N, avgdl)."""
    public = corpus_texts[:80]
    secret = [f"Quarterly annual leave bonus for executives number {i}: leave leave leave." for i in range(15)]
    mixed = [*public[:30], *secret[:7], *public[30:], *secret[7:]]  # restricted rows interleaved
    readable = np.array([text not in secret for text in mixed])
    alone, both = KeywordIndex.build(public), KeywordIndex.build(mixed)
    for query in ["annual leave", "leave bonus executives", "expense claim mileage Porto", "quarterly"]:
        rows_a, scores_a = alone.search(query, 50)
        rows_b, scores_b = both.search(query, 50, readable)
        got = {mixed[r]: s for r, s in zip(rows_b.tolist(), scores_b.tolist(), strict=True)}
        want = {public[r]: s for r, s in zip(rows_a.tolist(), scores_a.tolist(), strict=True)}
        assert got == want, f"{query!r}: scores depend on rows the reader cannot see"  # exactly equal
    # A reader of every row (an insider) gets scores that do count the restricted rows.
    _, insider = both.search("annual leave", 50, np.ones(len(mixed), dtype=bool))
    _, outsider = both.search("annual leave", 50, readable)
    assert not np.array_equal(np.sort(insider)[-5:], np.sort(outsider)[-5:])
