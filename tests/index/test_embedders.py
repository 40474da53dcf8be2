"""Both built-in embedders keep the Embedder contract (tests/index/embedder_contract.py)."""

from __future__ import annotations

import pytest

from ragqa.index.embedding import SentenceTransformerEmbedder
from ragqa.index.onnx_embedding import OnnxEmbedder
from tests.index.embedder_contract import EmbedderContract


class TestSentenceTransformerEmbedder(EmbedderContract):
    @pytest.fixture
    def model(self, embedder):
        return embedder

    @pytest.fixture
    def make_cold(self):
        return SentenceTransformerEmbedder


class TestOnnxEmbedder(EmbedderContract):
    @pytest.fixture
    def model(self, onnx_fp32):
        return onnx_fp32

    @pytest.fixture
    def make_cold(self, onnx_fp32):
        return lambda: OnnxEmbedder(cache_dir=onnx_fp32.cache_dir)  # the export is cached: loading only
