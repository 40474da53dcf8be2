"""Embeddings of logged questions, kept by text, so reloading insights or /admin embeds only questions new since.

Insights cluster up to MAX_CLUSTERED unanswered questions on every load; without this each load would send all of
them through the model again. The cache lives in the server process (one per replica), is bounded (least
recently used go first) and holds vectors only: a question's text is its key, as the answer log already holds it.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Sequence

import numpy as np

from ragqa.service.api.insights import MAX_CLUSTERED

# Two full loads' worth: a window change that swaps every question still finds the previous ones (384 floats of
# all-MiniLM-L6-v2 each: about 15 MB at the bound).
DEFAULT_MAX_ITEMS = 2 * MAX_CLUSTERED


class QuestionVectors:
    """`embed_documents` like the embedder it wraps (what `cluster_questions` calls), from memory when it can."""

    def __init__(self, embedder, *, max_items: int = DEFAULT_MAX_ITEMS):
        self.embedder = embedder
        self.max_items = max_items
        self._vectors: OrderedDict[str, np.ndarray] = OrderedDict()
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self._vectors)

    def embed_documents(self, texts: Sequence[str], *, show_progress: bool = False) -> np.ndarray:
        with self._lock:
            found = {t: self._vectors[t] for t in texts if t in self._vectors}
        missing = [t for t in dict.fromkeys(texts) if t not in found]
        if missing:  # outside the lock: the model call is the slow part
            fresh = self.embedder.embed_documents(missing, show_progress=show_progress)
            found |= {t: np.array(v, dtype=np.float32) for t, v in zip(missing, fresh, strict=True)}
        with self._lock:
            for text in texts:
                self._vectors[text] = found[text]
                self._vectors.move_to_end(text)
            while len(self._vectors) > self.max_items:
                self._vectors.popitem(last=False)
        if not texts:
            return np.zeros((0, self.embedder.dim), dtype=np.float32)
        return np.stack([found[t] for t in texts])
