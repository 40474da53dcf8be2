"""BM25 keyword index over chunks (bm25s builds and stores it), permission masks applied inside the search.

bm25s precomputes every (term, document) BM25 contribution ("impact") as a CSC matrix: one column of document
rows per term. A query sums its terms' columns into a score per row and takes the top k among the rows that
matched, which is exact and costs O(postings) plus one pass over a float array of the index size (about 1 ms
at 100k chunks). bm25s's own `retrieve` partitions all N scores instead, which numpy does slowly when most
are zero (9 ms of its 9.8 ms at 100k chunks).
"""

from __future__ import annotations

import json
import logging
from functools import cache
from pathlib import Path

import bm25s
import numpy as np

# bm25s logs a warning for every query with no known word; a question of new words is ordinary here.
logging.getLogger("bm25s").setLevel(logging.ERROR)

_META = "size.json"


@cache
def _stemmer():
    import Stemmer  # PyStemmer: Snowball English, as used by the published BM25 baselines

    return Stemmer.Stemmer("english")


def tokenize(texts: list[str], *, return_ids: bool):
    return bm25s.tokenize(
        texts, stopwords="en", stemmer=_stemmer(), return_ids=return_ids, show_progress=False
    )


class KeywordIndex:
    """A BM25 index whose document ids are the chunk rows of an index version."""

    def __init__(self, bm25: bm25s.BM25, size: int):
        self._bm25 = bm25
        self.size = size

    @classmethod
    def build(cls, texts: list[str]) -> KeywordIndex:
        bm25 = bm25s.BM25()
        if texts:
            bm25.index(tokenize(texts, return_ids=True), show_progress=False)
        return cls(bm25, len(texts))

    def save(self, directory: Path) -> None:
        directory.mkdir(parents=True, exist_ok=True)
        if self.size:
            self._bm25.save(str(directory), show_progress=False)  # numpy arrays + JSON, no pickle
        (directory / _META).write_text(json.dumps({"size": self.size}))

    @classmethod
    def load(cls, directory: Path) -> KeywordIndex:
        size = json.loads((directory / _META).read_text())["size"]
        bm25 = bm25s.BM25.load(str(directory), mmap=False, allow_pickle=False) if size else bm25s.BM25()
        return cls(bm25, size)

    def search(self, query: str, k: int, allowed: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
        """Top-k rows and scores, best first; rows outside `allowed` (a bool mask) are never candidates."""
        if not self.size or k <= 0:
            return _empty()
        term_ids = self._bm25.get_tokens_ids(tokenize([query], return_ids=False)[0])
        if not term_ids:
            return _empty()
        scores = self._scores(term_ids)
        if allowed is not None:
            np.multiply(scores, allowed, out=scores)  # rows the reader may not see score zero: never candidates
        floor = self._kth_score_floor(scores, term_ids, k)
        rows = np.flatnonzero(scores >= floor) if floor > 0 else np.flatnonzero(scores)
        return top_k(rows, scores[rows], k)

    def _kth_score_floor(self, scores: np.ndarray, term_ids: list[int], k: int) -> float:
        """A score the k-th best row is sure to reach: the k-th best among the rarest term's rows (0: unknown).

        Any k rows' scores bound the k-th best from below, and the rows of the rarest query term are usually
        the best, so the floor leaves few candidates to rank instead of every row that holds a common term.
        """
        indptr, indices = self._bm25.scores["indptr"], self._bm25.scores["indices"]
        lengths = [int(indptr[t + 1] - indptr[t]) for t in term_ids]
        rarest = term_ids[int(np.argmin(lengths))]
        sample = scores[indices[int(indptr[rarest]):int(indptr[rarest + 1])]]
        sample = sample[sample > 0]
        if len(sample) < k:
            return 0.0
        return float(np.partition(sample, len(sample) - k)[len(sample) - k])

    def _scores(self, term_ids: list[int]) -> np.ndarray:
        """The BM25 score of every row: the sum of the query terms' impacts (a repeated term counts again)."""
        matrix = self._bm25.scores
        data, indices, indptr = matrix["data"], matrix["indices"], matrix["indptr"]
        scores = np.zeros(self.size, dtype=np.float32)
        for term in term_ids:
            start, end = int(indptr[term]), int(indptr[term + 1])
            scores[indices[start:end]] += data[start:end]  # rows are unique within one term's column
        return scores


def top_k(rows: np.ndarray, scores: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    """The k best (row, score) pairs, best first; equal scores in row order (deterministic)."""
    if len(rows) > k:
        keep = np.argpartition(-scores, k - 1)[:k]
        rows, scores = rows[keep], scores[keep]
    order = np.lexsort((rows, -scores))
    return rows[order].astype(np.int64), scores[order].astype(np.float32)


def _empty() -> tuple[np.ndarray, np.ndarray]:
    return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float32)
