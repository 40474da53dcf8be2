"""The composition root: the one place that builds the embedder, the index manager and the answer service.

The CLI, the API, eval, bench and the tests all build through these functions, so the order (embedder, then
index, then answers) and what each part shares is decided here once.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ragqa.index.embedding import Embedder
    from ragqa.index.manager import IndexManager
    from ragqa.service.answer import AnswerService
    from ragqa.settings import Settings


@dataclass
class Components:
    settings: Settings
    embedder: Embedder
    index: IndexManager
    answers: AnswerService


def build_embedder(settings: Settings) -> Embedder:
    """The configured embedding model, warmed up (loaded) and ready."""
    from ragqa.index.embedding import load_embedder

    return load_embedder(settings)


def open_index(settings: Settings, embedder: Embedder) -> IndexManager:
    """The live index at settings.index_dir (opened lazily on the first search)."""
    from ragqa.index.manager import IndexManager

    return IndexManager(settings, embedder)


def build_answer_service(settings: Settings, index: IndexManager, embedder: Embedder) -> AnswerService:
    from ragqa.service.answer import AnswerService

    return AnswerService(settings=settings, index=index, embedder=embedder)


def build_components(settings: Settings, *, embedder: Embedder | None = None) -> Components:
    """Everything a process that answers questions needs; `embedder` lets callers share one loaded model."""
    embedder = embedder or build_embedder(settings)
    index = open_index(settings, embedder)
    return Components(settings, embedder, index, build_answer_service(settings, index, embedder))


def tune_for_serving() -> None:
    """Process-wide tuning for a process that serves queries under load (FAISS threads, GIL switch interval)."""
    from ragqa.index.retrieve import tune_serving_process

    tune_serving_process()
