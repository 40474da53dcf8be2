"""Hybrid retrieval: dense (FAISS) and keyword (BM25), permission-filtered inside both, fused by their scores
(index/fusion.py) or by RRF, the fused top then reranked by MaxSim over stored token signs
(index/late_interaction.py)."""

from __future__ import annotations

import sys
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import TYPE_CHECKING

import numpy as np

from ragqa.index.embedding import spare_cpu
from ragqa.index.fusion import FusionWeights, score_fuse, standardise
from ragqa.types import Chunk, Hit
from ragqa.words import content_terms

if TYPE_CHECKING:
    from ragqa.index.embedding import Embedder
    from ragqa.index.reader import IndexVersion
    from ragqa.settings import Settings

# Shared by all retrievers: BM25 overlaps the query embedding where a CPU is spare (torch and onnx release the GIL).
_POOL = ThreadPoolExecutor(max_workers=4, thread_name_prefix="ragqa-retrieve")


# How often a thread holding the GIL hands it over (CPython's default: 5 ms): a thread back from FAISS or the model
# would otherwise wait that long for one running Python (BENCHMARKS.md, "Figures behind design choices").
SERVING_SWITCH_INTERVAL_S = 0.0005


def tune_serving_process() -> None:
    """Process-wide settings for a process that serves queries; called where a server (or a latency bench) starts."""
    from ragqa.index.dense import serve_single_threaded

    serve_single_threaded()  # one OpenMP thread for FAISS (see index/dense.py)
    if sys.getswitchinterval() > SERVING_SWITCH_INTERVAL_S:
        sys.setswitchinterval(SERVING_SWITCH_INTERVAL_S)


def _section_terms(chunk: Chunk) -> set[str]:
    """The words of a chunk's own section heading (the article title left out)."""
    return content_terms(chunk.headings[-1]) if len(chunk.headings) > 1 else set()


def rrf_fuse(rankings: list[tuple[np.ndarray, float]], k: int) -> dict[int, float]:
    """Reciprocal-rank fusion: score(row) = sum of weight / (k + rank), ranks from 1."""
    fused: dict[int, float] = {}
    for rows, weight in rankings:
        for rank, row in enumerate(rows.tolist(), start=1):
            fused[row] = fused.get(row, 0.0) + weight / (k + rank)
    return fused


class Retriever:
    """Searches one index version; a request keeps one Retriever and so sees one consistent version."""

    def __init__(self, version: IndexVersion, embedder: Embedder, settings: Settings):
        self.version = version
        self.embedder = embedder
        self.settings = settings
        self._overlap_embedding = spare_cpu(embedder)
        self._fusion_weights = FusionWeights(settings.fusion_dense_weight, settings.fusion_keyword_weight,
                                             settings.fusion_sentence_weight)

    @property
    def version_id(self) -> str:
        return self.version.version_id

    def search(self, query: str, *, k: int, groups: frozenset[str] | None = None, mode: str | None = None,
               fusion: str | None = None, rerank: str | None = None) -> list[Hit]:
        """Top-k passages for `query` that `groups` may read (None: unrestricted), best first. mode, fusion and
        rerank default to the settings' (the answer pipeline asks for its own: settings.answer_fusion)."""
        mode = mode or self.settings.retrieval_mode
        fusion = fusion or self.settings.fusion
        reranks = (mode == "hybrid" and (rerank or self.settings.rerank) == "maxsim" and self.version.has_token_signs
                   and callable(getattr(self.embedder, "embed_query_with_tokens", None)))
        allowed = self.version.allowed_rows(groups)
        depth = max(self.settings.candidates, k)
        dense_rows = dense_scores = kw_rows = kw_scores = np.zeros(0)
        query_vec = query_tokens = kw_all = None
        if mode == "dense":
            dense_rows, dense_scores = self.version.dense_search(self.embedder.embed_query(query), depth, allowed)
        elif mode == "keyword":
            kw_rows, kw_scores = self.version.keyword_search(query, depth, allowed)
        elif self._overlap_embedding:  # a CPU is free beside the model's threads: BM25 runs while it embeds
            future = _POOL.submit(self._embed, query, reranks)
            kw_rows, kw_scores, kw_all = self.version.keyword_search_scored(query, depth, allowed)
            query_vec, query_tokens = future.result()
            dense_rows, dense_scores = self.version.dense_search(query_vec, depth, allowed)
        else:
            # The model uses every core: one step after the other, in this thread. Both searches scan memory, so
            # the hand-over to another thread costs what overlap gains (BENCHMARKS.md, retrieval latency).
            query_vec, query_tokens = self._embed(query, reranks)
            dense_rows, dense_scores = self.version.dense_search(query_vec, depth, allowed)
            kw_rows, kw_scores, kw_all = self.version.keyword_search_scored(query, depth, allowed)
        if mode == "hybrid" and fusion == "scores":
            fused = self._score_fuse(query_vec, dense_rows, kw_rows, kw_all)
        elif mode == "hybrid":
            fused = rrf_fuse(
                [(dense_rows, self.settings.dense_weight), (kw_rows, self.settings.keyword_weight)],
                self.settings.rrf_k,
            )
        else:
            rows, scores = (dense_rows, dense_scores) if mode == "dense" else (kw_rows, kw_scores)
            fused = dict(zip(rows.tolist(), scores.tolist(), strict=True))
        ranked = sorted(fused.items(), key=lambda item: (-item[1], item[0]))
        if reranks and ranked:
            ranked = self._rerank(ranked, query_tokens)
        return self._hits(ranked[:k], dense_rows, dense_scores, kw_rows, kw_scores)

    def counterparts(self, hits: list[Hit], doc_id: str, groups: frozenset[str] | None = None) -> list[Hit]:
        """For each of `hits`, the chunk of article `doc_id` nearest to it, that `groups` may read: a replaced
        article's passage finds the same section of its replacement ('Per diem rates' of 2024 -> 2026)."""
        allowed = self.version.allowed_rows(groups)
        theirs = [r for r in self.version.rows_of(doc_id) if allowed is None or allowed[r]]
        if not hits or not theirs:
            return []
        rows = [h.row for h in hits]
        # The same section by its heading's words ('Per diem rates' / 'Per diem rates from 1 February 2026'), then
        # by meaning: a table's chunk reads more like another table than like its own section.
        sections = [_section_terms(h.chunk) for h in hits]
        their_sections = [_section_terms(c) for c in self.version.chunks(theirs)]
        closeness = self.version.vectors(rows) @ self.version.vectors(theirs).T
        closeness += np.array([[len(a & b) / (len(a | b) or 1) for b in their_sections] for a in sections])
        best = list(dict.fromkeys(theirs[int(i)] for i in closeness.argmax(axis=1)))
        none = np.zeros(0)
        return self._hits([(row, 0.0) for row in best], none, none, none, none)

    def word_counts(self, words: list[str], groups: frozenset[str] | None = None) -> dict[str, int]:
        """How many chunks that `groups` may read use each word (stemmed as the keyword index reads it)."""
        return self.version.keyword_row_counts(words, self.version.allowed_rows(groups))

    def article_hits(self, doc_id: str, groups: frozenset[str] | None, keep: Callable[[Chunk], bool]) -> list[Hit]:
        """The chunks of article `doc_id` that `groups` may read and `keep` accepts, as hits (unranked)."""
        allowed = self.version.allowed_rows(groups)
        rows = [r for r in self.version.rows_of(doc_id) if allowed is None or allowed[r]]
        kept = [row for row, chunk in zip(rows, self.version.chunks(rows), strict=True) if keep(chunk)]
        none = np.zeros(0)
        return self._hits([(row, 0.0) for row in kept], none, none, none, none)

    def _embed(self, query: str, with_tokens: bool) -> tuple[np.ndarray, np.ndarray | None]:
        if with_tokens:
            return self.embedder.embed_query_with_tokens(query)
        return self.embedder.embed_query(query), None

    def _rerank(self, ranked: list[tuple[int, float]], query_tokens: np.ndarray) -> list[tuple[int, float]]:
        """The fused top `rerank_depth` ordered by fused z-score + rerank_weight x MaxSim z-score (both over those
        candidates; weight and depth chosen on SciFact's train split), the rest after them in fused order."""
        head, tail = ranked[:self.settings.rerank_depth], ranked[self.settings.rerank_depth:]
        rows = np.fromiter((row for row, _ in head), dtype=np.int64, count=len(head))
        fused = np.fromiter((score for _, score in head), dtype=np.float64, count=len(head))
        late = self.version.maxsim_scores(query_tokens, rows)
        blended = standardise(fused) + self.settings.rerank_weight * standardise(late)
        head = sorted(zip(rows.tolist(), blended.tolist(), strict=True), key=lambda item: (-item[1], item[0]))
        if not tail:
            return head
        # The rest keep their order and sit below the reranked head: their fused scores, shifted under it.
        shift = head[-1][1] - 1.0 - tail[0][1]
        return head + [(row, score + shift) for row, score in tail]

    def _score_fuse(self, query_vec, dense_rows: np.ndarray, kw_rows: np.ndarray,
                    kw_all: np.ndarray | None) -> dict[int, float]:
        """Score-aware fusion (index/fusion.py) over the union of both methods' candidates."""
        rows = np.unique(np.concatenate([dense_rows, kw_rows]).astype(np.int64))
        if not len(rows):
            return {}
        dense = self.version.vectors(rows.tolist()) @ np.asarray(query_vec, dtype=np.float32)
        keyword = kw_all[rows] if kw_all is not None else np.zeros(len(rows), dtype=np.float32)
        sentence = self.version.best_sentence_scores(query_vec, rows)
        fused = score_fuse(dense, keyword, sentence, self._fusion_weights)
        return dict(zip(rows.tolist(), fused.tolist(), strict=True))

    def _hits(self, top, dense_rows, dense_scores, kw_rows, kw_scores) -> list[Hit]:
        dense = {r: (i + 1, float(s)) for i, (r, s) in enumerate(zip(dense_rows.tolist(), dense_scores.tolist(),
                                                                      strict=True))}
        keyword = {r: (i + 1, float(s)) for i, (r, s) in enumerate(zip(kw_rows.tolist(), kw_scores.tolist(),
                                                                        strict=True))}
        chunks = self.version.chunks([row for row, _ in top])
        meta = self.version.article_meta(c.doc_id for c in chunks)
        hits = []
        for (row, score), chunk in zip(top, chunks, strict=True):
            title, source, url, updated = meta[chunk.doc_id]
            d, kw = dense.get(row), keyword.get(row)
            hits.append(Hit(
                chunk=chunk, title=title, source=source, url=url, updated=updated, score=float(score),
                dense_score=d[1] if d else None, dense_rank=d[0] if d else None,
                keyword_score=kw[1] if kw else None, keyword_rank=kw[0] if kw else None, row=int(row),
            ))
        return hits
