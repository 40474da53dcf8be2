"""Writing an index version: build every file in a temporary folder, fsync, validate, then swap CURRENT."""

from __future__ import annotations

import errno
import json
import os
import shutil
import sqlite3
import time
import uuid
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from ragqa.index.crash_points import crash_point
from ragqa.index.dense import build_dense, dense_params
from ragqa.index.errors import IndexStoreError
from ragqa.index.files import (
    FORMAT_VERSION,
    VERSIONS,
    fsync_dir,
    fsync_file,
    prune_versions,
    sha256_file,
    write_bytes,
    write_pointer,
)
from ragqa.index.keyword import KeywordIndex
from ragqa.index.metadata import ArticleRecord, Override, write_sqlite
from ragqa.index.reader import IndexVersion
from ragqa.index.sentence_vectors import ChunkSentences, SentenceVectors
from ragqa.types import Chunk

if TYPE_CHECKING:
    from ragqa.index.embedding import Embedder
    from ragqa.settings import Settings





def chunker_params(settings: Settings) -> dict:
    """What decides how an article is cut: a change means every article is re-chunked and re-embedded."""
    from ragqa.index.chunking import CHUNKER_VERSION

    return {"version": CHUNKER_VERSION, "chunk_tokens": settings.chunk_tokens,
            "overlap_tokens": settings.chunk_overlap_tokens}


def new_version_id() -> str:
    """Sortable by creation time (nanoseconds), unique across processes."""
    now = time.time_ns()
    stamp = time.strftime("%Y%m%dT%H%M%S", time.gmtime(now // 1_000_000_000))
    return f"{stamp}.{now % 1_000_000_000:09d}-{uuid.uuid4().hex[:6]}"


def publish_version(
    index_dir: Path,
    *,
    records: list[ArticleRecord],
    chunks: list[Chunk],
    vectors: np.ndarray,
    keyword_texts: list[str],
    settings: Settings,
    embedder: Embedder,
    parent: str | None,
    parent_rows: np.ndarray | None = None,
    sentences: Sequence[ChunkSentences | None] | None = None,
    overrides: Iterable[Override] = (),
) -> str:
    """Write a complete new version, fsync and validate it, then point CURRENT at it. Returns its id.

    parent_rows: for each chunk, its row in version `parent` when its text is the same there (-1: new text);
    what was computed from that text (keyword tokens) is copied from the parent instead of computed again.

    `sentences`: per chunk, its sentence vectors pooled at ingest (None for a chunk without); None for none at all.
    `overrides`: the API's hold on articles that came from folders (see Override).

    The caller holds the WriterLock. Any failure (disk full, Ctrl-C) removes the partial build and leaves
    CURRENT untouched, so the previous version keeps serving.
    """
    if len(chunks) != len(vectors) or len(chunks) != len(keyword_texts) or (
            sentences is not None and len(sentences) != len(chunks)):
        raise IndexStoreError("internal error: chunks, vectors, keyword texts and sentences differ in length")
    versions = index_dir / VERSIONS
    versions.mkdir(parents=True, exist_ok=True)
    version_id = new_version_id()
    tmp = versions / f".tmp-{version_id}"
    crash_point("before-write")
    tmp.mkdir()
    try:
        vectors = np.ascontiguousarray(vectors, dtype=np.float32)
        write_bytes(tmp / "vectors.f32", vectors.reshape(-1).view(np.uint8).data if vectors.size else b"")
        dense = dense_params(len(vectors), settings)
        serialised = build_dense(vectors, dense)
        if serialised is not None:
            # faiss.write_index truncates in place without fsync: serialise to bytes and write them ourselves.
            write_bytes(tmp / "dense.faiss", serialised)
        reuse = {"parent": versions / parent / "keyword", "parent_rows": parent_rows} if parent else {}
        KeywordIndex.build(keyword_texts, **reuse).save(tmp / "keyword")
        write_sqlite(tmp / "meta.sqlite", records, chunks, overrides)
        sentence_meta = None
        if sentences is not None and any(c is not None for c in sentences):
            sentence_meta = SentenceVectors.from_chunks(sentences, int(embedder.dim)).write(tmp, write_bytes)
        crash_point("files-written")
        files = {}
        for path in sorted(p for p in tmp.rglob("*") if p.is_file()):
            fsync_file(path)
            files[path.relative_to(tmp).as_posix()] = {"bytes": path.stat().st_size, "sha256": sha256_file(path)}
        for sub in [tmp / "keyword", tmp]:
            fsync_dir(sub)
        manifest = {
            "format_version": FORMAT_VERSION,
            "version_id": version_id,
            "created_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
            "parent": parent,
            "embedding": {
                "model": embedder.model_name,
                "dim": int(embedder.dim),
                "max_seq_length": int(embedder.max_seq_length),
            },
            "chunker": chunker_params(settings),
            "dense": dense,
            "keyword": {"library": "bm25s", "stemmer": "snowball-english", "stopwords": "en"},
            "counts": {"articles": len(records), "chunks": len(chunks)},
            "sentences": sentence_meta,
            "files": files,
        }
        write_bytes(tmp / "manifest.json", json.dumps(manifest, indent=2).encode())
        fsync_dir(tmp)
        # Validate before anyone can see it: checksums, counts and a smoke query.
        version = IndexVersion.open(tmp, expect_model=embedder.model_name, expect_dim=embedder.dim)
        try:
            if len(chunks):
                version.dense_search(vectors[0], 1, None)
                version.keyword_search(keyword_texts[0][:200], 1, None)
        finally:
            version.close()
        crash_point("validated")
        final = versions / version_id
        os.rename(tmp, final)
        fsync_dir(versions)
        crash_point("renamed")
        write_pointer(index_dir, version_id)
        crash_point("swapped")
    except BaseException as exc:
        shutil.rmtree(tmp, ignore_errors=True)
        if _is_disk_full(exc, versions):
            raise IndexStoreError(
                f"Disk full while writing a new index version under {versions}: free some space and ingest "
                "again. The previous version is unchanged and still served."
            ) from exc
        if isinstance(exc, OSError | sqlite3.OperationalError):
            raise IndexStoreError(
                f"Could not write a new index version under {versions} ({exc}). The previous version is "
                "unchanged and still served."
            ) from exc
        raise
    prune_versions(versions, keep={version_id, parent})
    return version_id


def _is_disk_full(exc: BaseException, folder: Path) -> bool:
    if isinstance(exc, OSError) and exc.errno == errno.ENOSPC:
        return True
    if isinstance(exc, sqlite3.OperationalError) and "full" in str(exc):
        return True
    if isinstance(exc, OSError):  # numpy's short writes carry no errno: look at the free space instead
        try:
            return shutil.disk_usage(folder).free < 1024 * 1024
        except OSError:
            return False
    return False
