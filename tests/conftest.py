"""Shared fixtures: one real embedding model per test session, and real indexes built once."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

REPO = Path(__file__).resolve().parents[1]
CORPUS = REPO / "corpus"
SHARED = REPO.parent / "shared"
SEED_ARTICLES = SHARED / "seed-articles"
SCIFACT = SHARED / "datasets" / "scifact"


# Tests that use these fixtures load the real embedding model (directly or through an index built with it).
MODEL_FIXTURES = frozenset({"embedder", "sample_index", "seed_index", "onnx_cache", "onnx_fp32", "onnx_int8"})


def pytest_collection_modifyitems(config, items):
    """Mark every test that loads the model `model`, so `make test-fast` can leave them out."""
    for item in items:
        if MODEL_FIXTURES.intersection(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.model)


@pytest.fixture(scope="session")
def embedder():
    from ragqa.service.composition import build_embedder
    from ragqa.settings import Settings

    return build_embedder(Settings(embedding_backend="torch"))  # the reference backend; the ONNX one has its own


@pytest.fixture
def settings_factory(tmp_path):
    """Settings whose index and data folders live in this test's tmp_path; keyword overrides apply."""
    from ragqa.settings import Settings

    def make(**overrides):
        values = {"index_dir": tmp_path / "index", "data_dir": tmp_path / "data"} | overrides
        return Settings(**values)

    return make


def _build_index(tmp_root: Path, source: Path, embedder):
    from ragqa.index.ingest import ingest_paths
    from ragqa.settings import Settings

    settings = Settings(index_dir=tmp_root / "index", data_dir=tmp_root / "data")
    report = ingest_paths([source], settings=settings, embedder=embedder)
    assert report.chunks > 0, f"ingesting {source} produced no chunks: {report.as_dict()}"
    return settings


def index_articles(tmp_path_factory, embedder, articles: dict[str, str], **settings_values):
    """Write `articles` (relative path -> text) to a folder and ingest every one; returns Settings for the index."""
    root = tmp_path_factory.mktemp("articles")
    for name, text in articles.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text, encoding="utf-8")
    from ragqa.index.ingest import ingest_paths
    from ragqa.settings import Settings

    work = tmp_path_factory.mktemp("index")
    settings = Settings(index_dir=work / "index", data_dir=work / "data", **settings_values)
    report = ingest_paths([root], settings=settings, embedder=embedder)
    assert report.added == len(articles), report.as_dict()
    return settings


def service_factory(settings, embedder):
    """make(**overrides) -> an AnswerService on `settings` with those overrides (sharing one loaded model)."""
    from ragqa.service.composition import build_components

    def make(**overrides):
        return build_components(settings.model_copy(update=overrides), embedder=embedder).answers

    return make


@pytest.fixture(scope="session")
def sample_index(tmp_path_factory, embedder):
    """The sample corpus (corpus/) ingested once; returns Settings pointing at it. Do not modify it."""
    return _build_index(tmp_path_factory.mktemp("sample"), CORPUS, embedder)


@pytest.fixture(scope="session")
def seed_index(tmp_path_factory, embedder):
    """../shared/seed-articles ingested once (skips when the shared folder is absent)."""
    if not SEED_ARTICLES.is_dir():
        pytest.skip("../shared/seed-articles is not available")
    return _build_index(tmp_path_factory.mktemp("seed"), SEED_ARTICLES, embedder)
