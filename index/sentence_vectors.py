"""Sentence vectors pooled from the chunk pass at ingest, so answering scores sentences without the model.

The model embeds each chunk once; its token embeddings from that pass are averaged over each sentence's tokens
(plus [CLS] and [SEP], which the chunk's own mean pooling includes too) into one unit vector per sentence,
list item and table row of the chunk ("late pooling"). The sentence keeps its context: its tokens were encoded
beside the title, the section path and its neighbours. It answers as well as embedding each sentence on its
own, costs no model time at ingest and spares a model call per question (BENCHMARKS.md, `/v1/ask`; the
pooling variants tried: "Figures behind design choices").

A version stores them as int8 (renormalised when read; cosine to the float vector > 0.999) with each sentence's
character span in its chunk text. The answerer looks sentences up by span, so a sentence its own splitter
finds that has no stored vector (an older index, a truncated chunk, a changed splitter) is embedded as before.
The same pass's token embeddings are kept too, as 1-bit signatures for the MaxSim rerank
(index/late_interaction.py); a chunk from an index built before them has none and is reranked as the lowest.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

POOLING = "sentence tokens + [CLS]/[SEP] mean, int8"  # recorded in the manifest
# What the answerer may quote (service/grounding.py is_answer_span), less table rows: a row's tokens are only its
# cells ('| Engineering | 3 years |'), so the answerer embeds a row as read, with its column headers, instead.
SPAN_KINDS = ("sentence", "item")
FILES = {"offsets": "sentences.offsets.i64", "spans": "sentences.spans.i32", "vectors": "sentences.i8",
         "token_offsets": "tokens.offsets.i64", "token_signs": "tokens.signs.u8"}

# One chunk's sentences: character spans (k, 2) int32 in the chunk text, int8 vectors (k, dim), and the sign bits
# of its token embeddings (n_tokens, dim / 8) uint8.
ChunkSentences = tuple[np.ndarray, np.ndarray, np.ndarray]


def chunk_sentence_spans(text: str) -> list[tuple[int, int]]:
    """The spans of `text` (a chunk) that get a vector: sentences, list items and table rows."""
    from ragqa.sentences import split_sentences  # the answerer's own splitter, so spans match at query time

    return [(s.start, s.end) for s in split_sentences(text) if s.kind in SPAN_KINDS]


def pool_spans(tokens: np.ndarray, offsets: Sequence[tuple[int, int]], spans: Sequence[tuple[int, int]]) -> np.ndarray:
    """Unit vectors of `spans` (character ranges of the encoded text) from one text's token embeddings.

    tokens: (n_tokens, dim), padding removed; offsets: each token's character range, empty for special tokens.
    A span none of whose tokens was encoded (past truncation) gets a zero row.
    """
    dim = tokens.shape[1]
    out = np.zeros((len(spans), dim), dtype=np.float32)
    if not len(spans) or not len(tokens):
        return out
    bounds = np.asarray(offsets, dtype=np.int64).reshape(-1, 2)[: len(tokens)]
    starts, ends = bounds[:, 0], bounds[:, 1]
    special = ends <= starts
    special_sum = tokens[special].sum(axis=0)
    n_special = int(special.sum())
    words = ~special
    for i, (a, b) in enumerate(spans):
        inside = words & (starts < b) & (ends > a)
        n = int(inside.sum())
        if not n:
            continue
        pooled = (tokens[inside].sum(axis=0) + special_sum) / (n + n_special)
        out[i] = pooled / max(float(np.linalg.norm(pooled)), 1e-12)
    return out


def quantize(vectors: np.ndarray) -> np.ndarray:
    """int8 per row, scaled to its largest component (the scale is dropped: rows are renormalised on read)."""
    peak = np.abs(vectors).max(axis=1, keepdims=True) if len(vectors) else np.ones((0, 1), dtype=np.float32)
    return np.rint(vectors * (127.0 / np.clip(peak, 1e-12, None))).astype(np.int8)


def chunk_sentences(spans: Sequence[tuple[int, int]], pooled: np.ndarray, signs: np.ndarray | None = None
                    ) -> ChunkSentences:
    """What a version stores for one chunk: the spans that got a vector, their int8 vectors, its token signs."""
    keep = [i for i in range(len(spans)) if pooled[i].any()]
    if signs is None:
        signs = np.zeros((0, pooled.shape[1] // 8), dtype=np.uint8)
    return (np.asarray([spans[i] for i in keep], dtype=np.int32).reshape(-1, 2), quantize(pooled[keep]),
            np.asarray(signs, dtype=np.uint8))


@dataclass(frozen=True)
class SentenceVectors:
    """Every chunk row's sentence spans and vectors, row r owning entries offsets[r]:offsets[r + 1]; and its token
    signs, rows token_offsets[r]:token_offsets[r + 1] of token_signs."""

    offsets: np.ndarray  # (n_chunks + 1,) int64
    spans: np.ndarray  # (n, 2) int32, character ranges in the chunk's text
    vectors: np.ndarray  # (n, dim) int8
    token_offsets: np.ndarray  # (n_chunks + 1,) int64
    token_signs: np.ndarray  # (n_tokens, dim / 8) uint8

    @classmethod
    def from_chunks(cls, per_chunk: Sequence[ChunkSentences | None], dim: int) -> SentenceVectors:
        """None for a chunk without sentence vectors (e.g. carried over from an index built before them)."""
        def offsets_of(part: int) -> np.ndarray:
            counts = np.fromiter((0 if c is None else len(c[part]) for c in per_chunk), dtype=np.int64,
                                 count=len(per_chunk))
            return np.concatenate([[0], np.cumsum(counts)]).astype(np.int64)

        def joined(part: int, empty: np.ndarray) -> np.ndarray:
            present = [c[part] for c in per_chunk if c is not None and len(c[part])]
            return np.concatenate(present).astype(empty.dtype) if present else empty

        return cls(offsets_of(0), joined(0, np.zeros((0, 2), dtype=np.int32)),
                   joined(1, np.zeros((0, dim), dtype=np.int8)),
                   offsets_of(2), joined(2, np.zeros((0, dim // 8), dtype=np.uint8)))

    def chunk(self, row: int) -> ChunkSentences:
        """Row `row`'s stored spans, int8 vectors and token signs (copied: a new version may reuse them)."""
        a, b = int(self.offsets[row]), int(self.offsets[row + 1])
        t, u = int(self.token_offsets[row]), int(self.token_offsets[row + 1])
        return np.array(self.spans[a:b]), np.array(self.vectors[a:b]), np.array(self.token_signs[t:u])

    def lookup(self, row: int) -> dict[tuple[int, int], np.ndarray]:
        """(start, end) in the chunk text -> unit float32 vector, for the answerer."""
        a, b = int(self.offsets[row]), int(self.offsets[row + 1])
        if a == b:
            return {}
        vectors = np.asarray(self.vectors[a:b], dtype=np.float32)
        vectors /= np.clip(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-12, None)
        return {(int(s), int(e)): v for (s, e), v in zip(self.spans[a:b].tolist(), vectors, strict=True)}

    def best_match(self, query_vec: np.ndarray, rows: np.ndarray) -> np.ndarray:
        """Per row, the highest cosine between `query_vec` (unit) and one of its sentences; NaN for none."""
        rows = np.asarray(rows, dtype=np.int64)
        starts, ends = self.offsets[rows], self.offsets[rows + 1]
        counts = (ends - starts).astype(np.int64)
        out = np.full(len(rows), np.nan, dtype=np.float32)
        present = counts > 0
        if not present.any():
            return out
        # One gather of every wanted sentence (rows' entries are contiguous), then a max per row.
        index = _ranges(starts[present], ends[present])
        vectors = np.asarray(self.vectors[index], dtype=np.float32)
        cosines = vectors @ np.asarray(query_vec, dtype=np.float32).reshape(-1)
        cosines /= np.clip(np.linalg.norm(vectors, axis=1), 1e-12, None)
        firsts = np.concatenate([[0], np.cumsum(counts[present])[:-1]])
        out[present] = np.maximum.reduceat(cosines, firsts)
        return out

    def maxsim(self, query_tokens: np.ndarray, rows: np.ndarray) -> np.ndarray:
        """Per row, MaxSim of the question's unit token embeddings against its token signs; NaN for none."""
        from ragqa.index.late_interaction import maxsim

        rows = np.asarray(rows, dtype=np.int64)
        starts, ends = self.token_offsets[rows], self.token_offsets[rows + 1]
        return maxsim(query_tokens, np.asarray(self.token_signs[_ranges(starts, ends)]), ends - starts)

    def write(self, folder: Path, write_bytes) -> dict:
        """Write the five files with `write_bytes(path, data)` (the store's fsyncing writer); the manifest entry."""
        for key in FILES:
            array = getattr(self, key)
            write_bytes(folder / FILES[key], np.ascontiguousarray(array).reshape(-1).view(np.uint8).data)
        return {"pooling": POOLING, "count": int(len(self.spans)), "tokens": int(len(self.token_signs))}

    @classmethod
    def open(cls, folder: Path, meta: dict, n_chunks: int, dim: int) -> SentenceVectors:
        """Memory-mapped; raises ValueError when the files disagree with the manifest's counts. A version written
        before token signs has none: every row's token range is empty."""
        n = int(meta["count"])
        offsets = _offsets(folder / FILES["offsets"], n_chunks, n, meta)
        if "tokens" in meta:
            n_tokens = int(meta["tokens"])
            token_offsets = _offsets(folder / FILES["token_offsets"], n_chunks, n_tokens, meta)
            token_signs = _map(folder / FILES["token_signs"], np.uint8, (n_tokens, dim // 8))
        else:
            token_offsets, token_signs = np.zeros(n_chunks + 1, dtype=np.int64), np.zeros((0, dim // 8), np.uint8)
        return cls(offsets, _map(folder / FILES["spans"], np.int32, (n, 2)),
                   _map(folder / FILES["vectors"], np.int8, (n, dim)), token_offsets, token_signs)


def _ranges(starts: np.ndarray, ends: np.ndarray) -> np.ndarray:
    """The indexes starts[i]:ends[i] of every row, one after the other (rows' entries are contiguous)."""
    return np.concatenate([np.arange(a, b) for a, b in zip(starts.tolist(), ends.tolist(), strict=True)]
                          + [np.zeros(0, dtype=np.int64)])


def _offsets(path: Path, n_chunks: int, total: int, meta: dict) -> np.ndarray:
    offsets = _map(path, np.int64, (n_chunks + 1,))
    if len(offsets) and (int(offsets[0]) != 0 or int(offsets[-1]) != total or np.any(np.diff(offsets) < 0)):
        raise ValueError(f"{path} does not match the manifest ({json.dumps(meta)})")
    return offsets


def _map(path: Path, dtype, shape: tuple[int, ...]) -> np.ndarray:
    if not int(np.prod(shape)):
        return np.zeros(shape, dtype=dtype)
    return np.memmap(path, dtype=dtype, mode="r", shape=shape)
