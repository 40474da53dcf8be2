"""Index-test fixtures: one ONNX export per test session (in a private cache folder), shared by the files."""

from __future__ import annotations

import pytest


@pytest.fixture(scope="session")
def onnx_cache(tmp_path_factory):
    """A cache folder laid out as default_cache_dir() would under XDG_CACHE_HOME=<root>."""
    root = tmp_path_factory.mktemp("xdg")
    return root, root / "ragqa" / "onnx"


@pytest.fixture(scope="session")
def onnx_fp32(onnx_cache):
    from ragqa.index.onnx_embedding import OnnxEmbedder

    embedder = OnnxEmbedder(cache_dir=onnx_cache[1])
    embedder.warm_up()
    return embedder
