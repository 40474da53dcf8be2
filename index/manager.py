"""The live index of a process: the current version, reloaded when an ingest publishes a new one."""

from __future__ import annotations

import logging
import threading
import time
from pathlib import Path
from typing import TYPE_CHECKING

from ragqa.index.errors import IndexMismatch, IndexNotReady, IndexStoreError
from ragqa.index.files import VERSIONS, list_versions, read_pointer
from ragqa.index.reader import IndexVersion

if TYPE_CHECKING:
    from ragqa.index.embedding import Embedder
    from ragqa.index.retrieve import Retriever
    from ragqa.settings import Settings

log = logging.getLogger(__name__)


class IndexManager:
    """The version a process serves: opened once, swapped when CURRENT changes, falling back when damaged.

    Each request takes one `retriever()` and keeps it: it sees one consistent version even while a new one is
    published. Old versions are closed by garbage collection once no request holds them.
    """

    def __init__(self, settings: Settings, embedder: Embedder):
        self.settings = settings
        self.embedder = embedder
        self.index_dir = Path(settings.index_dir)
        self._lock = threading.Lock()
        self._retriever: Retriever | None = None
        self._pointer: str | None = None
        self._checked_at = 0.0
        self._error: str | None = None
        self._error_type: type[IndexStoreError] = IndexNotReady
        self._fallback = False

    def _load(self, version_id: str) -> Retriever:
        from ragqa.index.retrieve import Retriever

        version = IndexVersion.open(self.index_dir / VERSIONS / version_id, expect_model=self.embedder.model_name,
                                    expect_dim=self.embedder.dim)
        return Retriever(version, self.embedder, self.settings)

    def refresh(self, force: bool = False) -> None:
        """Reopen when CURRENT points somewhere new (cheap: one small file read, at most every reload_poll_s)."""
        now = time.monotonic()
        if not force and now - self._checked_at < self.settings.reload_poll_s and self._retriever is not None:
            return
        with self._lock:
            self._checked_at = now
            pointer = read_pointer(self.index_dir)
            if not force and pointer == self._pointer and (self._retriever is not None or self._error):
                return
            self._pointer = pointer
            if pointer is None:
                self._error = f"No index at {self.index_dir}: run `ragqa ingest PATH --index {self.index_dir}`."
                return
            try:
                self._retriever = self._load(pointer)
                self._error, self._error_type, self._fallback = None, IndexNotReady, False
                log.info("serving index version %s", pointer)
            except IndexMismatch as exc:
                self._error, self._error_type = str(exc), IndexMismatch
                self._retriever = None
            except Exception as exc:  # a damaged version: keep or find the last good one
                self._error = f"Index version {pointer} is unusable: {exc}"
                log.error("%s", self._error)
                if self._retriever is None:
                    self._fall_back(exclude=pointer)

    def _fall_back(self, exclude: str) -> None:
        for version_id in list_versions(self.index_dir):
            if version_id == exclude:
                continue
            try:
                self._retriever = self._load(version_id)
                self._fallback = True
                log.warning("fell back to index version %s", version_id)
                return
            except Exception as exc:
                log.error("index version %s is unusable too: %s", version_id, exc)

    def retriever(self) -> Retriever:
        self.refresh()
        retriever = self._retriever
        if retriever is None:
            raise self._error_type(self._error or f"No index at {self.index_dir}.")
        return retriever

    def current(self) -> IndexVersion:
        return self.retriever().version

    def status(self) -> dict:
        self.refresh()
        r = self._retriever
        return {
            "ready": r is not None and self._error is None,
            "serving": r.version.version_id if r else None,
            "current": self._pointer,
            "fallback": self._fallback,
            "error": self._error,
            "chunks": r.version.num_chunks if r else 0,
            "articles": r.version.num_articles if r else 0,
        }
