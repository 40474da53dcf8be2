"""Incremental ingest: hash articles, embed only what changed, drop what vanished, publish a new version."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from index.store import (
    ArticleRecord,
    IndexMismatch,
    IndexStoreError,
    IndexVersion,
    WriterLock,
    chunker_params,
    cleanup_partial_builds,
    publish_version,
    read_pointer,
)
from index.types import Article, Chunk

if TYPE_CHECKING:
    from index.embedding import Embedder
    from service.config import Settings

log = logging.getLogger(__name__)

API_ROOT = "api:"  # the root recorded for articles uploaded through the HTTP API


@dataclass
class IngestReport:
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    removed: int = 0
    chunks: int = 0  # chunks in the version now served
    embedded: int = 0  # chunks sent to the embedding model in this run
    version_id: str | None = None
    failures: list[dict] = field(default_factory=list)  # {"path", "reason"}
    duplicates: list[dict] = field(default_factory=list)  # {"path", "duplicate_of"}
    empty: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def as_dict(self) -> dict:
        return asdict(self)


@dataclass
class _Plan:
    """What the next version holds: each article either reuses previous rows or needs new chunks."""

    records: list[ArticleRecord]
    reuse: dict[str, list[int]]  # doc_id -> rows in the previous version
    fresh: list[Article]


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


def _apply(
    *,
    settings: Settings,
    embedder: Embedder,
    incoming: list[tuple[Article, str]],
    remove_roots: set[str],
    remove_ids: set[str],
    keep_ids: set[str],
    report: IngestReport,
    progress: bool,
) -> IngestReport:
    """Merge `incoming` (article, root) into the current version and publish the result if anything changed.

    remove_roots: previous articles from these roots that are not incoming (and not in keep_ids, i.e. files
    that failed to load this time) are removed. remove_ids: doc_ids removed explicitly.
    """
    index_dir = Path(settings.index_dir)
    with WriterLock(index_dir):
        cleanup_partial_builds(index_dir)
        previous = _open_previous(index_dir, embedder)
        try:
            old = {r.article.doc_id: r for r in previous.article_records()} if previous else {}
            old_rows = previous.rows_by_doc() if previous else {}
            if previous is not None and previous.manifest.get("chunker") != chunker_params(settings):
                # Chunking changed (settings or code): old chunks are stale, so every article is re-embedded.
                report.notes.append("chunker settings changed since the last ingest: re-chunking every article")
                incoming = _with_unchanged(incoming, old, remove_ids)
                old = {d: ArticleRecord(_rehash(r.article), r.root) for d, r in old.items()}
            plan = _plan(old, old_rows, incoming, remove_roots, remove_ids, keep_ids, report)
            changed = report.added or report.updated or report.removed
            if not changed and previous is not None:
                report.chunks, report.version_id = previous.num_chunks, previous.version_id
                return report
            chunks, vectors, texts = _assemble(plan, previous, settings, embedder, report, progress)
            report.version_id = publish_version(
                index_dir,
                records=plan.records,
                chunks=chunks,
                vectors=vectors,
                keyword_texts=texts,
                settings=settings,
                embedder=embedder,
                parent=previous.version_id if previous else None,
            )
            report.chunks = len(chunks)
            return report
        finally:
            if previous is not None:
                previous.close()


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
    for article, root in incoming:
        prev = old.get(article.doc_id)
        records[article.doc_id] = ArticleRecord(article, root)
        if prev is not None and prev.article.sha256 == article.sha256:
            report.unchanged += 1
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
    return _Plan(ordered, reuse, fresh)


def _assemble(plan: _Plan, previous, settings, embedder, report, progress):
    """Chunks, vectors and keyword texts of the new version, in article order; only fresh chunks are embedded."""
    from index.chunking import contextual_text, make_chunker

    chunker = make_chunker(settings, embedder)
    fresh_chunks: dict[str, list[Chunk]] = {a.doc_id: chunker.chunk(a) for a in plan.fresh}
    to_embed = [contextual_text(a.title, c) for a in plan.fresh for c in fresh_chunks[a.doc_id]]
    report.embedded = len(to_embed)
    fresh_vectors = embedder.embed_documents(to_embed, show_progress=progress and len(to_embed) > 64)

    # Where each fresh article's vectors start in fresh_vectors (embedded in plan.fresh order).
    offsets: dict[str, int] = {}
    cursor = 0
    for article in plan.fresh:
        offsets[article.doc_id] = cursor
        cursor += len(fresh_chunks[article.doc_id])

    chunks: list[Chunk] = []
    texts: list[str] = []
    parts: list[np.ndarray] = []
    for record in plan.records:
        article = record.article
        if article.doc_id in fresh_chunks:
            mine = fresh_chunks[article.doc_id]
            start = offsets[article.doc_id]
            parts.append(fresh_vectors[start:start + len(mine)])
        else:
            rows = plan.reuse.get(article.doc_id, [])
            mine = previous.chunks(rows)
            parts.append(previous.vectors(rows))  # copied, not re-embedded
        chunks.extend(mine)
        texts.extend(contextual_text(article.title, c) for c in mine)
    dim = embedder.dim
    vectors = np.concatenate(parts) if parts else np.zeros((0, dim), dtype=np.float32)
    return chunks, vectors, texts


def ingest_paths(paths: Sequence[str | Path], *, settings: Settings, embedder: Embedder,
                 progress: bool = False) -> IngestReport:
    """Add, update and (for directory roots) remove articles so the index matches the files under `paths`."""
    from index.loaders import load_paths

    loaded = load_paths(paths)
    report = IngestReport(
        failures=[{"path": f.path, "reason": f.reason} for f in loaded.failures],
        duplicates=[{"path": d.path, "duplicate_of": d.duplicate_of} for d in loaded.duplicates],
        empty=list(loaded.empty),
        skipped=list(loaded.skipped),
        notes=list(loaded.notes),
    )
    dir_roots = {str(Path(p).resolve()) for p in paths if Path(p).is_dir()}
    incoming = [(a, loaded.roots[a.doc_id]) for a in loaded.articles]
    # A file that exists but failed to load keeps its previous version: a bad edit never deletes knowledge.
    keep_ids = _doc_ids_of_failures(loaded, dir_roots)
    return _apply(settings=settings, embedder=embedder, incoming=incoming, remove_roots=dir_roots,
                  remove_ids=set(), keep_ids=keep_ids, report=report, progress=progress)


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
    return _apply(settings=settings, embedder=embedder, incoming=[(a, root) for a in articles],
                  remove_roots=set(), remove_ids=set(), keep_ids=set(), report=IngestReport(), progress=False)


def delete_articles(doc_ids: Sequence[str], *, settings: Settings, embedder: Embedder) -> IngestReport:
    """Remove the given articles; unknown ids are ignored (report.removed says how many went)."""
    return _apply(settings=settings, embedder=embedder, incoming=[], remove_roots=set(),
                  remove_ids=set(doc_ids), keep_ids=set(), report=IngestReport(), progress=False)
