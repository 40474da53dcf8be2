"""Score-aware fusion: standardised scores, a one-method candidate scored by both, best-sentence cosines."""

from __future__ import annotations

import numpy as np
import pytest

from ragqa.index.fusion import FusionWeights, score_fuse, standardise
from ragqa.index.retrieve import rrf_fuse
from ragqa.index.sentence_vectors import SentenceVectors, quantize


def test_standardise_handles_missing_and_constant_values():
    z = standardise(np.array([1.0, np.nan, 3.0]))
    assert z[2] > z[0] >= z[1]  # a missing value ranks lowest
    assert np.allclose(standardise(np.array([2.0, 2.0])), 0)
    assert np.allclose(standardise(np.array([np.nan, np.nan])), 0)


def test_a_distant_lead_outweighs_a_narrow_one():
    # Row 0 leads BM25 by far; row 1 leads the cosine narrowly: score fusion keeps the margins RRF drops.
    dense = np.array([0.50, 0.51, 0.505, 0.21])
    keyword = np.array([30.0, 5.0, 4.0, 3.0])
    by_rank = rrf_fuse([(np.argsort(-dense), 1.0), (np.argsort(-keyword), 1.0)], k=60)
    assert max(by_rank, key=by_rank.get) == 1  # rank fusion: the narrow lead in both lists wins
    fused = score_fuse(dense, keyword, np.full(4, np.nan), FusionWeights(0.5, 0.5, 0.0))
    assert int(np.argmax(fused)) == 0


def test_missing_sentences_fall_back_to_the_chunk_cosine():
    dense = np.array([0.2, 0.6, 0.4])
    only_sentences = score_fuse(dense, np.zeros(3), np.full(3, np.nan), FusionWeights(0.0, 0.0, 1.0))
    assert list(np.argsort(-only_sentences)) == [1, 2, 0]


def test_best_match_is_the_highest_sentence_cosine_per_row():
    rng = np.random.default_rng(3)
    vecs = rng.standard_normal((5, 8)).astype(np.float32)
    vecs /= np.linalg.norm(vecs, axis=1, keepdims=True)
    spans = np.zeros((5, 2), dtype=np.int32)
    # row 0: sentences 0-1, row 1: none, row 2: sentences 2-4
    store = SentenceVectors(np.array([0, 2, 2, 5]), spans, quantize(vecs), np.zeros(4, dtype=np.int64),
                            np.zeros((0, 1), dtype=np.uint8))
    query = vecs[3]
    got = store.best_match(query, np.array([2, 1, 0]))
    assert got[0] == pytest.approx(1.0, abs=0.01) and np.isnan(got[1])
    assert got[2] == pytest.approx(float(max(vecs[0] @ query, vecs[1] @ query)), abs=0.02)
