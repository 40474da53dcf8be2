"""BM25 keyword index over chunks (bm25s), with permission masks applied inside the search."""

from __future__ import annotations

import json
import logging
from functools import cache
from pathlib import Path

import bm25s
import numpy as np

# bm25s logs a warning for every query with no known word; a question of new words is ordinary here.
logging.getLogger("bm25s").setLevel(logging.ERROR)


@cache
def _stemmer():
    import Stemmer  # PyStemmer: Snowball English, as used by the published BM25 baselines

    return Stemmer.Stemmer("english")


def tokenize(texts: list[str], *, return_ids: bool):
    return bm25s.tokenize(
        texts, stopwords="en", stemmer=_stemmer(), return_ids=return_ids, show_progress=False
    )


class KeywordIndex:
    """A BM25 index whose document ids are the chunk rows of an index version."""

    def __init__(self, bm25: bm25s.BM25, size: int):
        self._bm25 = bm25
        self.size = size

    @classmethod
    def build(cls, texts: list[str]) -> KeywordIndex:
        bm25 = bm25s.BM25()
        if texts:
            bm25.index(tokenize(texts, return_ids=True), show_progress=False)
        return cls(bm25, len(texts))

    def save(self, directory: Path) -> None:
        directory.mkdir(parents=True, exist_ok=True)
        if self.size:
            self._bm25.save(str(directory), show_progress=False)  # numpy arrays + JSON, no pickle
        (directory / "size.json").write_text(json.dumps({"size": self.size}))

    @classmethod
    def load(cls, directory: Path) -> KeywordIndex:
        size = json.loads((directory / "size.json").read_text())["size"]
        bm25 = bm25s.BM25.load(str(directory), mmap=False, allow_pickle=False) if size else bm25s.BM25()
        return cls(bm25, size)

    def search(self, query: str, k: int, allowed: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
        """Top-k rows and scores; rows outside `allowed` (a bool mask) are never scored above zero."""
        if not self.size or k <= 0:
            return _empty()
        tokens = [t for t in tokenize([query], return_ids=False)[0] if t in self._bm25.vocab_dict]
        if not tokens:
            return _empty()
        mask = None if allowed is None else allowed.astype(np.float32)
        rows, scores = self._bm25.retrieve(
            [tokens], k=min(k, self.size), show_progress=False, weight_mask=mask, n_threads=0
        )
        rows, scores = rows[0], scores[0]
        keep = scores > 0
        return rows[keep].astype(np.int64), scores[keep].astype(np.float32)


def _empty() -> tuple[np.ndarray, np.ndarray]:
    return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float32)
