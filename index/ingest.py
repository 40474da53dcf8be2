"""Incremental ingest: hash articles, embed only what changed, drop what vanished, publish a new version."""

from __future__ import annotations

import heapq
import logging
import queue
import threading
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from ragqa.index.embedding import spare_cpu
from ragqa.index.errors import IndexMismatch, IndexStoreError
from ragqa.index.files import WriterLock, cleanup_partial_builds, read_pointer
from ragqa.index.metadata import ArticleRecord, Override
from ragqa.index.reader import IndexVersion
from ragqa.index.sentence_vectors import ChunkSentences, chunk_sentence_spans, chunk_sentences
from ragqa.index.writer import chunker_params, publish_version
from ragqa.settings import DEFAULT_BATCH_SIZE
from ragqa.types import Article, Chunk

if TYPE_CHECKING:
    from ragqa.index.embedding import Embedder
    from ragqa.settings import Settings

log = logging.getLogger(__name__)

API_ROOT = "api:"  # the root recorded for articles uploaded through the HTTP API
# How a conflict between a folder's file and the API's state is settled (printed with each conflict).
RESOLVE = ("the API's version stays; to let the file win run `ragqa ingest PATH --take-files {doc_id}`, "
           "or change or delete the article through the API again")


@dataclass
class IngestReport:
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    removed: int = 0
    chunks: int = 0  # chunks in the version now served
    embedded: int = 0  # chunks sent to the embedding model in this run
    reused: int = 0  # chunks of added/updated articles whose text is unchanged: vector copied, not embedded
    version_id: str | None = None
    failures: list[dict] = field(default_factory=list)  # {"path", "reason"}
    duplicates: list[dict] = field(default_factory=list)  # {"path", "duplicate_of"}
    empty: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    # Files a folder ingest did not apply because the documents API owns that article: {"doc_id", "path",
    # "api", "file_changed", "resolve"}. Never resolved silently (see _hold).
    conflicts: list[dict] = field(default_factory=list)
    # Ingest on a Ray cluster only (index/ray_ingest.py): what was sent there and who did the work.
    cluster: dict | None = None

    def as_dict(self) -> dict:
        return asdict(self)


@dataclass
class _Plan:
    """What the next version holds: each article either reuses previous rows or needs new chunks."""

    records: list[ArticleRecord]
    reuse: dict[str, list[int]]  # doc_id -> rows in the previous version
    fresh: list[Article]
    moved: int = 0  # unchanged articles whose owner (root) changes


def _open_previous(index_dir: Path, embedder: Embedder) -> IndexVersion | None:
    version_id = read_pointer(index_dir)
    if version_id is None:
        return None
    path = index_dir / "versions" / version_id
    try:
        return IndexVersion.open(path, expect_model=embedder.model_name, expect_dim=embedder.dim)
    except IndexMismatch:
        raise
    except IndexStoreError as exc:
        raise IndexStoreError(
            f"The current index version is damaged ({exc}). Restore it, or ingest into a new --index directory."
        ) from exc


@dataclass
class _Source:
    """The incoming articles of one ingest, read once, lazily: files are read while earlier ones are embedded.

    `finish` runs once the articles are consumed: it adds the loader's findings to the report and returns the
    doc_ids to keep although they were not loaded (files that exist but failed to load this time).
    """

    articles: Iterable[tuple[Article, str]]  # (article, root)
    finish: Callable[[IngestReport], set[str]] = lambda report: set()


def _apply(
    *,
    settings: Settings,
    embedder: Embedder,
    source: _Source,
    remove_roots: set[str],
    remove_ids: set[str],
    report: IngestReport,
    progress: bool,
    api: bool = False,
    take_files: frozenset[str] = frozenset(),
    ray_address: str | None = None,
) -> IngestReport:
    """Merge the source's articles into the current version and publish the result if anything changed.

    remove_roots: previous articles from these roots that are not incoming (and not kept by source.finish,
    i.e. files that failed to load this time) are removed. remove_ids: doc_ids removed explicitly.
    api: the change comes from the documents API, which owns what it writes: a folder ingest never reverts it.
    take_files: (folder ingests) doc_ids whose files win over the API's state.
    ray_address: chunk and embed the fresh articles on this Ray cluster (index/ray_ingest.py); the rest is the same.
    """
    index_dir = Path(settings.index_dir)
    with WriterLock(index_dir):
        cleanup_partial_builds(index_dir)
        previous = _open_previous(index_dir, embedder)
        try:
            old = {r.article.doc_id: r for r in previous.article_records()} if previous else {}
            overrides = previous.overrides() if previous else {}
            holds = _Holds(old, overrides, take_files) if not api else None
            rechunk_all = previous is not None and previous.manifest.get("chunker") != chunker_params(settings)

            def is_fresh(article: Article) -> bool:  # the rule _plan applies, known before all files are read
                if holds is not None and holds.held(article.doc_id):
                    return False  # not applied (a conflict): nothing to embed
                prev = old.get(article.doc_id)
                return rechunk_all or prev is None or prev.article.sha256 != article.sha256

            old_rows = previous.rows_by_doc() if previous else {}
            # A re-chunk (new chunker) re-embeds everything, as documented; otherwise an updated article's
            # chunks whose embedded text is unchanged take their vector from the previous version.
            parent = None if previous is None or rechunk_all else _ParentChunks(previous, old, old_rows)
            stream = _stream(settings, embedder, progress=progress, parent=parent, ray_address=ray_address)
            report.cluster = stream.cluster
            incoming = stream.run(source.articles, is_fresh)
            keep_ids = source.finish(report)
            if holds is None:
                new_overrides = _api_overrides(old, overrides, incoming, remove_ids)
            else:
                incoming, new_overrides = holds.apply(incoming, remove_roots, remove_ids, keep_ids, report)
            if rechunk_all:
                # Chunking changed (settings or code): old chunks are stale, so every article is re-embedded.
                report.notes.append("chunker settings changed since the last ingest: re-chunking every article")
                incoming = _with_unchanged(incoming, old, remove_ids)
                old = {d: ArticleRecord(_rehash(r.article), r.root) for d, r in old.items()}
            plan = _plan(old, old_rows, incoming, remove_roots, remove_ids, keep_ids, report)
            changed = report.added or report.updated or report.removed or plan.moved or new_overrides != overrides
            if not changed and previous is not None:
                report.chunks, report.version_id = previous.num_chunks, previous.version_id
                return report
            chunks, vectors, texts, parent_rows, sentences = _assemble(plan, previous, stream, embedder)
            report.embedded, report.reused = stream.embedded, stream.reused
            report.version_id = publish_version(
                index_dir,
                records=plan.records,
                chunks=chunks,
                vectors=vectors,
                keyword_texts=texts,
                settings=settings,
                embedder=embedder,
                parent=previous.version_id if previous else None,
                parent_rows=parent_rows,
                sentences=sentences,
                overrides=[new_overrides[d] for d in sorted(new_overrides)],
            )
            report.chunks = len(chunks)
            return report
        finally:
            if previous is not None:
                previous.close()


def _stream(settings, embedder, *, progress, parent, ray_address) -> _EmbedStream:
    """Where fresh articles are chunked and embedded: here, or on a Ray cluster (same interface)."""
    if ray_address is None:
        return _EmbedStream(settings, embedder, progress=progress, parent=parent)
    from ragqa.index.ray_ingest import RayEmbedStream

    return RayEmbedStream(settings, embedder, progress=progress, parent=parent, address=ray_address)


def _with_unchanged(incoming, old, remove_ids):
    """Incoming articles plus every stored one not being replaced or removed, so all are re-chunked."""
    present = {a.doc_id for a, _ in incoming}
    kept = [(r.article, r.root) for d, r in old.items() if d not in present and d not in remove_ids]
    return [*incoming, *kept]


def _rehash(article: Article) -> Article:
    """A stored article marked stale so that the planner re-chunks it."""
    from dataclasses import replace

    return replace(article, sha256="stale:" + article.sha256)


def _plan(old, old_rows, incoming, remove_roots, remove_ids, keep_ids, report) -> _Plan:
    records: dict[str, ArticleRecord] = {}
    reuse: dict[str, list[int]] = {}
    fresh: list[Article] = []
    moved = 0
    for article, root in incoming:
        prev = old.get(article.doc_id)
        records[article.doc_id] = ArticleRecord(article, root)
        if prev is not None and prev.article.sha256 == article.sha256:
            report.unchanged += 1
            moved += prev.root != root
            reuse[article.doc_id] = old_rows.get(article.doc_id, [])
        else:
            report.updated += prev is not None
            report.added += prev is None
            fresh.append(article)
    for doc_id, prev in old.items():
        if doc_id in records:
            continue
        gone = doc_id in remove_ids or (prev.root in remove_roots and doc_id not in keep_ids)
        if gone:
            report.removed += 1
        else:
            records[doc_id] = prev
            reuse[doc_id] = old_rows.get(doc_id, [])
    ordered = [records[d] for d in sorted(records)]
    return _Plan(ordered, reuse, fresh, moved)


def _api_overrides(old, overrides, incoming, remove_ids) -> dict[str, Override]:
    """The holds after a documents-API change: an article a folder put there and the API changed or deleted is
    marked, with the file's hash, so that the next folder ingest neither reverts nor re-adds it."""
    result = dict(overrides)
    changed = [a.doc_id for a, root in incoming if root == API_ROOT]  # other callers (beir:...) hold nothing
    for doc_id, action in [*((d, "changed") for d in changed), *((d, "deleted") for d in remove_ids)]:
        prev, held = old.get(doc_id), overrides.get(doc_id)
        if held is not None:
            result[doc_id] = Override(doc_id, action, held.root, held.file_sha256)
        elif prev is not None and prev.root != API_ROOT:
            result[doc_id] = Override(doc_id, action, prev.root, prev.article.sha256)
    return result


class _Holds:
    """What a folder ingest may not touch: articles the documents API added, changed or deleted."""

    def __init__(self, old: dict[str, ArticleRecord], overrides: dict[str, Override], take_files: frozenset[str]):
        self.old, self.overrides, self.take_files = old, overrides, take_files

    def held(self, doc_id: str) -> bool:
        if doc_id in self.take_files:
            return False
        prev = self.old.get(doc_id)
        return doc_id in self.overrides or (prev is not None and prev.root == API_ROOT)

    def apply(self, incoming, remove_roots, remove_ids, keep_ids, report):
        """(incoming without the held articles, the holds that remain); reports every held file as a conflict,
        releases holds whose file is gone, and lets the files of `take_files` win."""
        result = dict(self.overrides)
        applied = []
        for article, root in incoming:
            doc_id = article.doc_id
            if not self.held(doc_id):
                applied.append((article, root))
                result.pop(doc_id, None)  # --take-files: the file wins, the hold ends
                continue
            hold = self.overrides.get(doc_id)
            api = "added" if hold is None else hold.action
            report.conflicts.append({
                "doc_id": doc_id, "path": article.source, "api": api,
                "file_changed": hold is None or hold.file_sha256 != article.sha256,
                "resolve": RESOLVE.format(doc_id=doc_id),
            })
        present = {a.doc_id for a, _ in incoming} | keep_ids
        for doc_id, hold in self.overrides.items():
            if hold.root in remove_roots and doc_id not in present:
                result.pop(doc_id)  # its file is gone: nothing left to conflict with (the API's state stays)
        for doc_id in sorted(self.take_files - {a.doc_id for a, _ in applied}):
            prev, hold = self.old.get(doc_id), self.overrides.get(doc_id)
            if hold is not None and hold.root in remove_roots and doc_id not in present:
                if prev is not None:
                    remove_ids.add(doc_id)  # the file is gone, so the files say the article is gone
            else:
                report.notes.append(f"--take-files {doc_id}: no file for it under the folders ingested; unchanged")
        return applied, result


@dataclass
class _Embedded:
    """One article's chunks and their vectors (rows filled in as their batches come back, or copied)."""

    article: Article
    chunks: list[Chunk]
    vectors: np.ndarray
    parent_rows: dict[int, int] = field(default_factory=dict)  # chunk index -> row copied from the parent
    # Per chunk: its sentence vectors pooled from the same model pass (index/sentence_vectors.py), or None.
    sentences: list[ChunkSentences | None] = field(default_factory=list)


class _ParentChunks:
    """The previous version's chunks of an updated article, by embedded text, so that only changed chunks are
    embedded again (an edited paragraph re-embeds its chunk, not the article). A chunk whose contextual text is
    unchanged takes its parent row's vector; the row identifies it, so other per-row data can follow it."""

    def __init__(self, version: IndexVersion, records: dict[str, ArticleRecord], rows: dict[str, list[int]]):
        self.version, self._records, self._rows = version, records, rows

    def rows_by_text(self, doc_id: str) -> dict[str, int]:
        """contextual text -> row in the previous version, for the chunks it held of `doc_id`."""
        from ragqa.index.chunking import contextual_text

        rows, record = self._rows.get(doc_id), self._records.get(doc_id)
        if not rows or record is None:
            return {}
        chunks = self.version.chunks(rows)
        return {contextual_text(record.article.title, c): row for row, c in zip(rows, chunks, strict=True)}

    def vectors(self, rows: list[int]) -> np.ndarray:
        return self.version.vectors(rows)


_DONE = object()


class _EmbedStream:
    """Chunks fresh articles on a worker thread while the calling thread embeds them, in length-sorted batches.

    The worker reads files (the source iterator), hashes and chunks; the caller runs the model, which releases
    the GIL (ONNX Runtime, PyTorch), so file reading and splitting hide behind embedding where a CPU is free
    for them (index/embedding.py spare_cpu; otherwise the caller waits for the worker, then embeds). Handed-over chunks
    wait in a pool (a heap by length); before each batch the caller takes in everything handed over so far
    and embeds the `batch_size` longest chunks, so batches hold chunks of near-equal length (little padding),
    as if the whole corpus had been sorted first, without waiting for the last file to be read. The chunker,
    and its private tokenizer copy, is used on the worker thread only.
    """

    overlap: bool | None = None  # None: read beside the model only when it leaves a CPU free (spare_cpu)
    cluster: dict | None = None  # what a cluster did for this ingest (index/ray_ingest.py); None: local
    _MIN_POOL_BATCHES = 4  # the first batch waits for this many batches' worth of chunks to choose from
    _IDLE_S = 0.05  # when nothing new comes for this long, the chunks waiting are embedded anyway
    _QUEUE_ARTICLES = 256  # how far the worker may run ahead of the caller (bounds memory on huge corpora)
    _QUIET_CHUNKS = 64  # no progress bar for runs that embed fewer chunks

    def __init__(self, settings: Settings, embedder: Embedder, *, progress: bool,
                 parent: _ParentChunks | None = None):
        self.settings = settings
        self.embedder = embedder
        self.batch_size = max(1, int(getattr(embedder, "batch_size", DEFAULT_BATCH_SIZE) or DEFAULT_BATCH_SIZE))
        self.done: dict[str, _Embedded] = {}
        self.embedded = 0  # chunks sent to the model
        self.reused = 0  # chunks whose vector was copied from the parent version instead
        self._parent = parent
        # Embedders that expose their token embeddings also give each chunk's sentence vectors, at no model cost.
        self._pools_sentences = callable(getattr(embedder, "embed_with_sentences", None))
        self._chunker = None
        self._model_lock = threading.Lock()
        self._pool: list[tuple[int, int, _Embedded, int, str]] = []  # heap of (-length, seq, owner, row, text)
        self._seq = 0
        self._bar = None
        self._total: int | None = None
        self._progress = progress

    # --- the two threads -------------------------------------------------------------------------------

    def run(self, articles: Iterable[tuple[Article, str]], is_fresh: Callable[[Article], bool]):
        """Consume `articles`; embed the fresh ones. Returns the (article, root) pairs, in source order."""
        incoming: list[tuple[Article, str]] = []
        handoff: queue.Queue = queue.Queue(maxsize=self._QUEUE_ARTICLES)
        stop = threading.Event()

        def put(item) -> None:
            while not stop.is_set():
                try:
                    handoff.put(item, timeout=0.1)
                    return
                except queue.Full:
                    continue

        def work() -> None:
            try:
                for article, root in articles:
                    if stop.is_set():
                        return
                    incoming.append((article, root))
                    if is_fresh(article):
                        put((article, self.chunk(article)))
                put(_DONE)
            except BaseException as exc:  # handed to the caller, which re-raises it
                put(exc)

        worker = threading.Thread(target=work, name="ragqa-ingest-reader", daemon=True)
        worker.start()
        overlap = self.overlap if self.overlap is not None else spare_cpu(self.embedder)
        # Without overlap the caller only collects chunks until every file is read, then embeds them all.
        min_pool = self.batch_size * self._MIN_POOL_BATCHES if overlap else float("inf")
        idle_s = self._IDLE_S if overlap else None
        try:
            finished = False
            while not finished:
                # Take in everything handed over so far; wait only while there is too little to choose from,
                # and not long when chunks are waiting: sparse changes (re-ingest) embed while files are read.
                while True:
                    short = len(self._pool) < min_pool
                    try:
                        item = handoff.get(block=short, timeout=idle_s if short and self._pool else None)
                    except queue.Empty:
                        break
                    if item is _DONE:
                        finished = True
                        self._set_total(self.embedded + len(self._pool))
                        break
                    if isinstance(item, BaseException):
                        raise item
                    self._add(*item)
                if not finished:
                    self._embed_longest()
            self._drain()
        finally:
            stop.set()
            worker.join()
            self._close_bar()
        return incoming

    def chunk(self, article: Article) -> list[Chunk]:
        if self._chunker is None:  # made on first use: a run with nothing to embed never loads the tokenizer
            from ragqa.index.chunking import make_chunker

            with self._model_lock:
                self._chunker = make_chunker(self.settings, self.embedder)
            # The embedder's own count_tokens may share state with embed_documents (a transformers tokenizer
            # resets its truncation on every call), so whole-text counting never runs beside an embed call.
            # The word-piece counter, when the chunker has one, uses a private tokenizer copy and needs no lock.
            exact = self._chunker.count_tokens

            def count_tokens(text: str) -> int:
                with self._model_lock:
                    return exact(text)

            self._chunker.count_tokens = count_tokens
        return self._chunker.chunk(article)

    # --- batching ----------------------------------------------------------------------------------------

    def _add(self, article: Article, chunks: list[Chunk]) -> None:
        from ragqa.index.chunking import contextual_text

        owner = _Embedded(article, chunks, np.empty((len(chunks), self.embedder.dim), dtype=np.float32),
                          sentences=[None] * len(chunks))
        self.done[article.doc_id] = owner
        known = self._parent.rows_by_text(article.doc_id) if self._parent is not None else {}
        for row, chunk in enumerate(chunks):
            text = contextual_text(article.title, chunk)
            if text in known:  # same text, same model: the parent's vector is this chunk's vector
                owner.parent_rows[row] = known[text]
                continue
            # token_count: the chunker's exact count of this very text, i.e. the batch width it will need.
            length = chunk.token_count or len(chunk.text)
            heapq.heappush(self._pool, (-length, self._seq, owner, row, text))
            self._seq += 1
        if owner.parent_rows:
            copied = list(owner.parent_rows)
            owner.vectors[copied] = self._parent.vectors([owner.parent_rows[i] for i in copied])
            self.reused += len(copied)

    def _embed_longest(self) -> None:
        n = min(self.batch_size, len(self._pool))
        self._embed([heapq.heappop(self._pool) for _ in range(n)])

    def _drain(self) -> None:
        while self._pool:
            self._embed_longest()

    def _embed(self, items: list) -> None:
        if not items:
            return
        texts = [item[4] for item in items]
        if self._pools_sentences:
            # Sentence spans in each chunk's text, and where that text starts in the embedded (contextual) text.
            spans = [chunk_sentence_spans(owner.chunks[row].text) for _, _, owner, row, _ in items]
            shifts = [len(text) - len(owner.chunks[row].text) for (_, _, owner, row, _), text in zip(items, texts,
                                                                                                    strict=True)]
            with self._model_lock:
                vectors, pooled, signs = self.embedder.embed_with_sentences(
                    texts, [[(a + d, b + d) for a, b in sp] for sp, d in zip(spans, shifts, strict=True)])
            for (_, _, owner, row, _), sp, vecs, bits in zip(items, spans, pooled, signs, strict=True):
                owner.sentences[row] = chunk_sentences(sp, vecs, bits)
        else:
            with self._model_lock:
                vectors = self.embedder.embed_documents(texts)
        for (_, _, owner, row, _), vector in zip(items, vectors, strict=True):
            owner.vectors[row] = vector
        self.embedded += len(items)
        if self._progress and (self._bar is not None or self.embedded + len(self._pool) > self._QUIET_CHUNKS):
            if self._bar is None:  # long runs only, as before; the total is known once every file is read
                from tqdm import tqdm

                self._bar = tqdm(unit="chunk", desc="embedding", total=self._total,
                                 initial=self.embedded - len(items))
            self._bar.update(len(items))

    def _set_total(self, total: int) -> None:
        self._total = total
        if self._bar is not None:
            self._bar.total = total
            self._bar.refresh()

    def _close_bar(self) -> None:
        if self._bar is not None:
            self._bar.close()
            self._bar = None

    def embed_rest(self, articles: list[Article]) -> None:
        """Chunk and embed articles that did not come through run() (the re-chunk-everything case)."""
        for article in articles:
            self._add(article, self.chunk(article))
        self._set_total(self.embedded + len(self._pool))
        self._drain()
        self._close_bar()


def _assemble(plan: _Plan, previous, stream: _EmbedStream, embedder):
    """Chunks, vectors, keyword texts and sentence vectors of the new version, in article order; only fresh
    chunks are embedded.

    Also each new row's row in the previous version (-1 where the chunk was embedded in this run): the chunks
    of unchanged articles, and the unchanged chunks of updated ones, carry their vector and sentence vectors
    over from there.
    """
    from ragqa.index.chunking import contextual_text

    def ready(article: Article) -> bool:
        got = stream.done.get(article.doc_id)
        return got is not None and got.article == article

    stream.embed_rest([a for a in plan.fresh if not ready(a)])
    fresh = {a.doc_id for a in plan.fresh}
    # Rows reused from the previous version, fetched in bulk (copied, not re-embedded).
    reused_rows = [r for rec in plan.records if rec.article.doc_id not in fresh
                   for r in plan.reuse.get(rec.article.doc_id, [])]
    old_chunks = previous.chunks(reused_rows) if reused_rows else []
    old_vectors = previous.vectors(reused_rows) if reused_rows else None

    chunks: list[Chunk] = []
    texts: list[str] = []
    parts: list[np.ndarray] = []
    parent_rows: list[np.ndarray] = []
    sentences: list[ChunkSentences | None] = []  # None until carried over, for rows taken from the parent
    cursor = 0
    for record in plan.records:
        article = record.article
        if article.doc_id in fresh:
            got = stream.done[article.doc_id]
            mine = got.chunks
            parts.append(got.vectors)
            sentences.extend(got.sentences)
            parent_rows.append(np.array([got.parent_rows.get(i, -1) for i in range(len(mine))], dtype=np.int64))
        else:
            n = len(plan.reuse.get(article.doc_id, []))
            mine = old_chunks[cursor:cursor + n]
            parts.append(old_vectors[cursor:cursor + n])
            sentences.extend([None] * n)
            parent_rows.append(np.asarray(reused_rows[cursor:cursor + n], dtype=np.int64))
            cursor += n
        chunks.extend(mine)
        texts.extend(contextual_text(article.title, c) for c in mine)
    vectors = np.concatenate(parts) if parts else np.zeros((0, embedder.dim), dtype=np.float32)
    parents = np.concatenate(parent_rows) if parent_rows else np.zeros(0, dtype=np.int64)
    carried = np.flatnonzero(parents >= 0).tolist()
    for i, stored in zip(carried, previous.sentence_rows(parents[carried].tolist()) if carried else [], strict=True):
        sentences[i] = stored
    return chunks, vectors, texts, parents, sentences


def ingest_paths(paths: Sequence[str | Path], *, settings: Settings, embedder: Embedder,
                 progress: bool = False, take_files: Iterable[str] = (), ray_address: str | None = None
                 ) -> IngestReport:
    """Add, update and (for directory roots) remove articles so the index matches the files under `paths`.

    Articles the documents API added, changed or deleted are left as the API made them; their files are
    reported in `conflicts`. take_files: doc_ids whose files win (the API's hold on them ends).
    ray_address: the new and changed articles are chunked and embedded on that Ray cluster; files are read,
    compared and the version written here, as in a local ingest.
    """
    # Every file is read and parsed on every run, on purpose: the stored hash covers the parsed article
    # (title, text, audience...), so a loader change re-indexes what it affects, and no size+mtime shortcut can
    # miss an edit (same-size rewrites within the clock's granularity, restored mtimes). Reading is a small part
    # of a re-ingest (BENCHMARKS.md, incremental re-ingest); skipping it is not worth that risk.
    from ragqa.index.loaders import LoadResult, iter_articles

    loaded = LoadResult()
    dir_roots = {str(Path(p).resolve()) for p in paths if Path(p).is_dir()}

    def finish(report: IngestReport) -> set[str]:
        report.failures = [{"path": f.path, "reason": f.reason} for f in loaded.failures]
        report.duplicates = [{"path": d.path, "duplicate_of": d.duplicate_of} for d in loaded.duplicates]
        report.empty = list(loaded.empty)
        report.skipped = list(loaded.skipped)
        report.notes[:0] = loaded.notes
        # A file that exists but failed to load keeps its previous version: a bad edit never deletes knowledge.
        return _doc_ids_of_failures(loaded, dir_roots)

    audience = settings.default_audience
    articles = ((a, loaded.roots[a.doc_id]) for a in iter_articles(paths, loaded, default_audience=audience))
    return _apply(settings=settings, embedder=embedder, source=_Source(articles, finish), remove_roots=dir_roots,
                  remove_ids=set(), report=IngestReport(), progress=progress, take_files=frozenset(take_files),
                  ray_address=ray_address)


def _doc_ids_of_failures(loaded, dir_roots: set[str]) -> set[str]:
    ids = set()
    problem_paths = [f.path for f in loaded.failures] + list(loaded.empty)
    for raw in problem_paths:
        path = Path(raw).resolve()
        for root in dir_roots:
            try:
                rel = path.relative_to(root)
            except ValueError:
                continue
            ids.add(rel.with_suffix("").as_posix())
    return ids


def upsert_articles(articles: Sequence[Article], *, settings: Settings, embedder: Embedder,
                    root: str = API_ROOT) -> IngestReport:
    """Add or replace the given articles (e.g. uploaded through the API); nothing else changes."""
    return _apply(settings=settings, embedder=embedder, source=_Source([(a, root) for a in articles]),
                  remove_roots=set(), remove_ids=set(), report=IngestReport(), progress=False, api=True)


def delete_articles(doc_ids: Sequence[str], *, settings: Settings, embedder: Embedder) -> IngestReport:
    """Remove the given articles; unknown ids are ignored (report.removed says how many went)."""
    return _apply(settings=settings, embedder=embedder, source=_Source([]), remove_roots=set(),
                  remove_ids=set(doc_ids), report=IngestReport(), progress=False, api=True)
