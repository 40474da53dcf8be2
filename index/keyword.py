"""BM25 keyword index over chunks (bm25s builds and stores it), permission masks applied inside the search.

bm25s precomputes every (term, document) BM25 contribution ("impact") as a CSC matrix: one column of document
rows per term. A query sums its terms' columns into a score per row and takes the top k among the rows that
matched, which is exact and costs O(postings) plus one pass over a float array of the index size. bm25s's
own `retrieve` partitions all N scores instead, which numpy does slowly when most are zero (BENCHMARKS.md).

A caller's scores never depend on rows that caller cannot read: BM25's statistics (rows, document frequency,
average length) are those of the rows the caller may read. The stored impacts use the statistics of all rows
and serve callers who may read every row; for anyone else a query term's impacts are recomputed from its
stored term frequencies with the statistics of their rows (the same arithmetic, so a caller gets bit-for-bit
the scores of an index that held only the rows they may read).
"""

from __future__ import annotations

import json
import logging
import math
import threading
from collections import OrderedDict
from functools import cache
from itertools import chain
from pathlib import Path

import bm25s
import numpy as np

from ragqa.words import stemmer

# bm25s logs a warning for every query with no known word; a question of new words is ordinary here.
logging.getLogger("bm25s").setLevel(logging.ERROR)

_META = "size.json"
# Each row's token ids (CSR: the ids of all rows, and where each row starts) in this index's vocabulary, so
# that the next version tokenizes only the texts that changed (bm25s keeps only the score matrix).
_ROW_TOKENS, _ROW_STARTS = "row_tokens.npy", "row_starts.npy"
# Per posting (aligned with the impacts), its term frequency; per row, its length in tokens.
_TF, _DOC_LEN = "tf.npy", "doc_len.npy"
K1, B = 1.5, 0.75  # bm25s's defaults: its "lucene" method (Robertson's term part, Lucene's idf)
log = logging.getLogger(__name__)


def tokenize(texts: list[str], *, return_ids: bool):
    return bm25s.tokenize(
        texts, stopwords="en", stemmer=stemmer(), return_ids=return_ids, show_progress=False
    )


@cache
def _tokenizer_id() -> str:
    """Stored tokens are reused only while the tokenizer that made them is the one installed."""
    from importlib.metadata import version

    return f"bm25s {bm25s.__version__}, PyStemmer {version('PyStemmer')} english, stopwords en"


class KeywordIndex:
    """A BM25 index whose document ids are the chunk rows of an index version."""

    _VIEWS = 64  # row masks whose statistics are kept (the store caches one mask per group set)

    def __init__(self, bm25: bm25s.BM25, size: int, row_tokens: tuple[np.ndarray, np.ndarray] | None = None,
                 tf: np.ndarray | None = None, doc_len: np.ndarray | None = None):
        self._bm25 = bm25
        self.size = size
        self._row_tokens = row_tokens  # (ids, starts): kept from a build, saved for the next one
        self._tf = tf if tf is not None else np.zeros(0, dtype=np.uint16)
        self._doc_len = doc_len if doc_len is not None else np.zeros(0, dtype=np.int32)
        self._views: OrderedDict[int, tuple[np.ndarray, int, float]] = OrderedDict()
        self._views_lock = threading.Lock()

    @classmethod
    def build(cls, texts: list[str], *, parent: Path | None = None,
              parent_rows: np.ndarray | None = None) -> KeywordIndex:
        """Index `texts` (row i = texts[i]).

        parent, parent_rows: a previous index's folder and, for each text, the row there that holds this very
        text (-1: none). Those rows' tokens are read from it instead of tokenizing the text again; the index is
        the same as a full build's (BM25 statistics are recomputed over all rows).
        """
        if not texts:
            return cls(bm25s.BM25(), 0)
        reused = _reuse_tokens(texts, parent, parent_rows) if parent is not None and parent_rows is not None else None
        if reused is None:
            tokens = tokenize(texts, return_ids=True)
            ids, vocab = tokens.ids, tokens.vocab
            lengths = np.fromiter(map(len, ids), dtype=np.int64, count=len(ids))
            flat = np.fromiter(chain.from_iterable(ids), dtype=np.int32, count=int(lengths.sum()))
            row_tokens = (flat, np.concatenate([[0], np.cumsum(lengths)]))
        else:
            row_tokens, vocab = reused
        return cls._from_tokens(*row_tokens, vocab)

    @classmethod
    def _from_tokens(cls, flat: np.ndarray, starts: np.ndarray, vocab: dict[str, int]) -> KeywordIndex:
        """The postings (term-major CSC: rows ascending within a term) with their term frequencies and impacts."""
        size = len(starts) - 1
        terms = {t: i for t, i in vocab.items() if t}  # "" is bm25s's empty-query token: no column
        doc_len = np.diff(starts).astype(np.int32)
        rows = np.repeat(np.arange(size, dtype=np.int64), doc_len)
        keys, counts = np.unique(flat.astype(np.int64) * size + rows, return_counts=True)
        term_of, indices = np.divmod(keys, size)
        indptr = np.concatenate([[0], np.cumsum(np.bincount(term_of, minlength=len(terms)))]).astype(np.int64)
        tf = np.minimum(counts, np.iinfo(np.uint16).max).astype(np.uint16)
        df = np.diff(indptr)
        idf = np.array([_idf(int(d), size) for d in df], dtype=np.float32)
        data = _impacts(tf, doc_len[indices], np.repeat(idf, df), _avgdl(int(doc_len.sum()), size))
        bm25 = bm25s.BM25(k1=K1, b=B, method="lucene")
        bm25.scores = {"data": data, "indices": indices.astype(np.int32), "indptr": indptr, "num_docs": size}
        bm25.vocab_dict = {**terms, "": len(terms)}
        bm25.unique_token_ids_set = set(bm25.vocab_dict.values())
        bm25.nonoccurrence_array = None  # only BM25L and BM25+ use one
        return cls(bm25, size, (flat, starts), tf, doc_len)

    def save(self, directory: Path) -> None:
        directory.mkdir(parents=True, exist_ok=True)
        meta: dict = {"size": self.size}
        if self.size:
            self._bm25.save(str(directory), show_progress=False)  # numpy arrays + JSON, no pickle
            np.save(directory / _TF, self._tf, allow_pickle=False)
            np.save(directory / _DOC_LEN, self._doc_len, allow_pickle=False)
            meta["view_stats"] = True
            if self._row_tokens is not None:
                flat, starts = self._row_tokens
                np.save(directory / _ROW_TOKENS, flat.astype(np.int32, copy=False), allow_pickle=False)
                np.save(directory / _ROW_STARTS, starts.astype(np.int64, copy=False), allow_pickle=False)
                meta["row_tokens"] = _tokenizer_id()
        (directory / _META).write_text(json.dumps(meta))

    @classmethod
    def load(cls, directory: Path) -> KeywordIndex:
        meta = json.loads((directory / _META).read_text())
        size = meta["size"]
        if not size:
            return cls(bm25s.BM25(), 0)
        if not meta.get("view_stats"):
            # Written before per-reader statistics: rebuild the postings from the stored tokens.
            if "row_tokens" not in meta:
                raise ValueError(f"{directory} predates per-reader BM25 statistics and holds no tokens to rebuild "
                                 "them from: ingest into a new --index directory")
            vocab = json.loads((directory / "vocab.index.json").read_text())
            flat = np.load(directory / _ROW_TOKENS, allow_pickle=False)
            starts = np.load(directory / _ROW_STARTS, allow_pickle=False)
            return cls._from_tokens(flat, starts, vocab)
        bm25 = bm25s.BM25.load(str(directory), mmap=False, allow_pickle=False)
        tf = np.load(directory / _TF, allow_pickle=False)
        doc_len = np.load(directory / _DOC_LEN, allow_pickle=False)
        if len(tf) != len(bm25.scores["data"]) or len(doc_len) != size:
            raise ValueError(f"{directory}: term frequencies and postings differ in length")
        return cls(bm25, size, None, tf, doc_len)

    def search(self, query: str, k: int, allowed: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
        """Top-k rows and scores, best first; rows outside `allowed` (a bool mask) are never candidates and
        count in no statistic."""
        rows, scores, _ = self.search_scored(query, k, allowed)
        return rows, scores

    def search_scored(self, query: str, k: int, allowed: np.ndarray | None = None
                      ) -> tuple[np.ndarray, np.ndarray, np.ndarray | None]:
        """As search, plus every row's score (None: no query term is known, every row scores 0), so that score
        fusion can read the BM25 score of rows found by the other method."""
        if not self.size or k <= 0:
            return (*_empty(), None)
        term_ids = self._bm25.get_tokens_ids(tokenize([query], return_ids=False)[0])
        if not term_ids:
            return (*_empty(), None)
        view = None if allowed is None else self._view(allowed)
        scores = self._scores(term_ids) if view is None else self._view_scores(term_ids, *view)
        floor = self._kth_score_floor(scores, term_ids, k)
        rows = np.flatnonzero(scores >= floor) if floor > 0 else np.flatnonzero(scores)
        return (*top_k(rows, scores[rows], k), scores)

    def row_counts(self, words: list[str], allowed: np.ndarray | None = None) -> dict[str, int]:
        """How many rows (within `allowed`) hold each word, as the index reads it (stemmed); 0 for one none holds."""
        counts = dict.fromkeys(words, 0)
        if not self.size:
            return counts
        vocab, indptr, indices = self._bm25.vocab_dict, self._bm25.scores["indptr"], self._bm25.scores["indices"]
        stemmed = stemmer()
        for word in words:
            term = vocab.get(stemmed.stemWord(word.lower())) if word.strip() else None
            if term is None:
                continue
            rows = indices[int(indptr[term]):int(indptr[term + 1])]
            counts[word] = int(len(rows) if allowed is None else np.count_nonzero(allowed[rows]))
        return counts

    def _view(self, allowed: np.ndarray) -> tuple[np.ndarray, int, float] | None:
        """(mask, rows, average length) of the rows `allowed` holds; None when it holds every row."""
        with self._views_lock:
            hit = self._views.get(id(allowed))
            if hit is not None and hit[0] is allowed:  # the cache holds the array, so its id is not reused
                self._views.move_to_end(id(allowed))
                return None if hit[1] == self.size else hit
        n = int(np.count_nonzero(allowed))
        view = (allowed, n, _avgdl(int(self._doc_len[allowed].sum(dtype=np.int64)), n))
        with self._views_lock:
            self._views[id(allowed)] = view
            while len(self._views) > self._VIEWS:
                self._views.popitem(last=False)
        return None if n == self.size else view

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

    def _view_scores(self, term_ids: list[int], allowed: np.ndarray, n: int, avgdl: float) -> np.ndarray:
        """As _scores, over the allowed rows only, with their statistics (rows outside score zero)."""
        matrix = self._bm25.scores
        indices, indptr = matrix["indices"], matrix["indptr"]
        scores = np.zeros(self.size, dtype=np.float32)
        for term in term_ids:
            start, end = int(indptr[term]), int(indptr[term + 1])
            column = indices[start:end]
            visible = allowed[column]
            df = int(np.count_nonzero(visible))
            if df:
                # The whole column, hidden rows zeroed: a random mask makes compressing it first slower.
                impacts = _impacts(self._tf[start:end], self._doc_len[column], np.float32(_idf(df, n)), avgdl)
                scores[column] += np.multiply(impacts, visible, out=impacts)
        return scores


def _idf(df: int, n: int) -> float:
    """Lucene's idf (as bm25s computes it), always by this one scalar function so that views agree bit for bit."""
    return math.log(1 + (n - df + 0.5) / (df + 0.5))


def _avgdl(total: int, n: int) -> float:
    return total / n if n else 1.0


def _impacts(tf: np.ndarray, doc_len: np.ndarray, idf, avgdl: float) -> np.ndarray:
    """BM25 impacts in float32; elementwise only, so the same inputs give the same bits in any batch."""
    tf = tf.astype(np.float32)
    norm = np.float32(K1) * (np.float32(1 - B) + np.float32(B) * (doc_len.astype(np.float32) / np.float32(avgdl)))
    return (idf * (tf / (norm + tf))).astype(np.float32, copy=False)


def _reuse_tokens(texts: list[str], parent: Path, parent_rows: np.ndarray):
    """((ids, starts), vocab) of `texts`, copying the rows found in `parent` and tokenizing only the others.

    None when the parent has no usable stored tokens (an older version, another tokenizer): tokenize all.
    """
    try:
        meta = json.loads((parent / _META).read_text())
        if meta.get("row_tokens") != _tokenizer_id():
            return None
        old_vocab = json.loads((parent / "vocab.index.json").read_text())
        old_flat = np.load(parent / _ROW_TOKENS, allow_pickle=False)
        old_starts = np.load(parent / _ROW_STARTS, allow_pickle=False)
    except (OSError, ValueError) as exc:
        log.info("keyword tokens of %s not reusable (%s): tokenizing every text", parent, exc)
        return None
    parent_rows = np.asarray(parent_rows, dtype=np.int64)
    if not (parent_rows >= 0).any():
        return None
    if len(parent_rows) != len(texts) or len(old_starts) != meta["size"] + 1 or (
            len(parent_rows) and parent_rows.max() >= meta["size"]):
        return None
    # Terms are numbered as in the parent, then the new texts' new terms after them.
    terms = {term: i for term, i in old_vocab.items() if term}  # "" is bm25s's empty-query token, re-added
    if old_flat.size and old_flat.max() >= len(terms):
        return None
    fresh = np.flatnonzero(parent_rows < 0)
    new = tokenize([texts[i] for i in fresh], return_ids=True) if len(fresh) else None
    lengths = old_starts[1:][np.maximum(parent_rows, 0)] - old_starts[:-1][np.maximum(parent_rows, 0)]
    if new is not None:
        to_merged = np.empty(len(new.vocab), dtype=np.int64)
        for term, i in new.vocab.items():
            to_merged[i] = terms.setdefault(term, len(terms))
        lengths[fresh] = [len(row) for row in new.ids]
    starts = np.concatenate([[0], np.cumsum(lengths)]).astype(np.int64)
    flat = np.empty(int(starts[-1]), dtype=np.int64)
    kept = np.flatnonzero(parent_rows >= 0)
    if len(kept):  # every copied row's tokens in one gather: source positions of each target position
        src_starts = old_starts[parent_rows[kept]]
        n = lengths[kept]
        offsets = np.arange(int(n.sum())) - np.repeat(np.cumsum(n) - n, n)
        flat[np.repeat(starts[kept], n) + offsets] = old_flat[np.repeat(src_starts, n) + offsets]
    if new is not None:
        for row, ids in zip(fresh, new.ids, strict=True):
            flat[starts[row]:starts[row + 1]] = to_merged[np.asarray(ids, dtype=np.int64)]
    # Keep only the terms some row still holds, numbered 0..V-1 (what bm25s expects; vocabularies stay small).
    used = np.unique(flat)
    renumber = np.full(len(terms), -1, dtype=np.int64)
    renumber[used] = np.arange(len(used))
    vocab = {term: int(renumber[i]) for term, i in terms.items() if renumber[i] >= 0}
    return (renumber[flat].astype(np.int32), starts), vocab


def top_k(rows: np.ndarray, scores: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    """The k best (row, score) pairs, best first; equal scores in row order (deterministic)."""
    if len(rows) > k:
        keep = np.argpartition(-scores, k - 1)[:k]
        rows, scores = rows[keep], scores[keep]
    order = np.lexsort((rows, -scores))
    return rows[order].astype(np.int64), scores[order].astype(np.float32)


def _empty() -> tuple[np.ndarray, np.ndarray]:
    return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float32)
