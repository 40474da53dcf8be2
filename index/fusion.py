"""Score-aware fusion: every candidate chunk's dense, BM25 and best-sentence scores, each standardised over the
candidates, in a weighted sum.

Rank fusion (RRF) treats a close second like a distant one; scores keep how far ahead a chunk is in each list.
A candidate found by one method gets the other method's score too (its vector's cosine, its BM25 score), so
no method's silence counts as a low score. The best-sentence cosine (the query against the sentence vectors
pooled at ingest) rewards a chunk with one sentence that matches the claim or question. The weights were
chosen on SciFact's train split only (README, "SciFact").
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class FusionWeights:
    dense: float
    keyword: float
    sentence: float


def standardise(values: np.ndarray) -> np.ndarray:
    """z-scores over the candidates (all zero when they do not vary); NaN (no value) becomes the lowest score."""
    values = np.asarray(values, dtype=np.float64)
    known = ~np.isnan(values)
    if not known.any():
        return np.zeros(len(values))
    filled = np.where(known, values, values[known].min())
    spread = filled.std()
    return (filled - filled.mean()) / spread if spread > 1e-9 else np.zeros(len(values))


def score_fuse(dense: np.ndarray, keyword: np.ndarray, sentence: np.ndarray, weights: FusionWeights) -> np.ndarray:
    """The fused score of each candidate; `sentence` NaN (no stored sentences) falls back to the chunk's cosine."""
    sentence = np.where(np.isnan(sentence), dense, sentence)
    return (weights.dense * standardise(dense) + weights.keyword * standardise(keyword)
            + weights.sentence * standardise(sentence))
