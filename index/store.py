"""Immutable index versions on disk: FAISS vectors + BM25 + SQLite, published atomically behind a pointer.

Layout of an index directory:
    CURRENT                 the id of the version being served (replaced atomically with os.replace)
    versions/<id>/          one immutable version: manifest.json, vectors.f32, [dense.faiss], keyword/, meta.sqlite,
                            [sentences.*: sentence vectors pooled at ingest, index/sentence_vectors.py]
    versions/.tmp-<id>/     a version being built; never read; removed by the next writer
    .lock                   held by the one writer (ingest) at a time
"""

from __future__ import annotations

import contextlib
import contextvars
import errno
import hashlib
import json
import logging
import os
import shutil
import sqlite3
import threading
import time
import uuid
from collections import OrderedDict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import faiss
import numpy as np

from index.crash_points import crash_point
from index.dense import build_dense, dense_params, open_dense, search_params
from index.keyword import KeywordIndex
from index.sentence_vectors import ChunkSentences, SentenceVectors
from index.types import Article, Chunk

if TYPE_CHECKING:
    from index.embedding import Embedder
    from index.retrieve import Retriever
    from service.config import Settings

log = logging.getLogger(__name__)

FORMAT_VERSION = 1
CURRENT = "CURRENT"
VERSIONS = "versions"
KEEP_VERSIONS = 3  # older versions are pruned; readers holding one keep their open files (POSIX)


class IndexStoreError(RuntimeError):
    """The index on disk is missing, damaged or incompatible; the message names the file and the fix."""


class IndexNotReady(IndexStoreError):
    """No usable index version is available yet."""


class IndexMismatch(IndexStoreError):
    """The index was built with another embedding model than the one configured."""


# --- files -----------------------------------------------------------------------------------------


def _sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _verify_checksums(folder: Path, files: dict) -> None:
    """Every file's sha256 against the manifest, large files hashed in parallel (hashlib releases the GIL)."""
    from concurrent.futures import ThreadPoolExecutor

    names = sorted(files, key=lambda name: -files[name]["bytes"])
    with ThreadPoolExecutor(max_workers=max(1, min(4, os.cpu_count() or 1))) as pool:
        digests = dict(zip(names, pool.map(lambda name: _sha256_file(folder / name), names), strict=True))
    for name in sorted(files):
        if digests[name] != files[name]["sha256"]:
            raise IndexStoreError(f"{folder / name} is damaged (checksum differs from the manifest).")


def _fsync_file(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _write_bytes(path: Path, data: bytes | memoryview) -> None:
    with path.open("wb") as fh:
        fh.write(data)
        fh.flush()
        os.fsync(fh.fileno())


def write_pointer(index_dir: Path, version_id: str) -> None:
    """Swap CURRENT to `version_id` atomically: a reader sees the old or the new id, never a torn file."""
    tmp = index_dir / f".{CURRENT}.{uuid.uuid4().hex}"
    _write_bytes(tmp, version_id.encode())
    os.replace(tmp, index_dir / CURRENT)
    _fsync_dir(index_dir)


def read_pointer(index_dir: Path) -> str | None:
    try:
        return (index_dir / CURRENT).read_text().strip() or None
    except FileNotFoundError:
        return None


_WRITER_WAIT_S: contextvars.ContextVar[float] = contextvars.ContextVar("ragqa_writer_wait_s", default=600.0)


@contextlib.contextmanager
def writer_lock_wait(seconds: float) -> Iterator[None]:
    """Within this block (this thread or task), a WriterLock waits at most `seconds` for another writer.

    The API sets a short wait so a request never parks a server thread behind a long CLI ingest.
    """
    token = _WRITER_WAIT_S.set(seconds)
    try:
        yield
    finally:
        _WRITER_WAIT_S.reset(token)


class WriterBusy(IndexStoreError):
    """Another writer (an ingest, another server's PUT) held the writer lock for longer than the wait allowed."""


class WriterLock:
    """One writer at a time per index directory (an exclusive flock, released by the kernel on a crash).

    timeout_s None: the wait set by writer_lock_wait(), else 600 s (a CLI ingest queues behind another).
    """

    def __init__(self, index_dir: Path, timeout_s: float | None = None):
        self.path = index_dir / ".lock"
        self.timeout_s = _WRITER_WAIT_S.get() if timeout_s is None else timeout_s
        self._fd: int | None = None

    def __enter__(self) -> WriterLock:
        import fcntl

        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        deadline = time.monotonic() + self.timeout_s
        while True:
            try:
                fcntl.flock(self._fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                return self
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    os.close(self._fd)
                    self._fd = None
                    raise WriterBusy(
                        f"Another ingest holds {self.path}; wait for it to finish and retry."
                    ) from None
                time.sleep(min(0.05, max(0.0, deadline - time.monotonic())))

    def __exit__(self, *exc) -> None:
        import fcntl

        if self._fd is not None:
            fcntl.flock(self._fd, fcntl.LOCK_UN)
            os.close(self._fd)
            self._fd = None


# --- records -----------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ArticleRecord:
    """An article as stored in a version, with the root it was ingested from (for deletions)."""

    article: Article
    root: str


@dataclass(frozen=True, slots=True)
class Override:
    """An article the documents API changed or deleted after a folder ingest put it there: the API's state wins
    over the file until an admin resolves it (index/ingest.py). Carried from version to version."""

    doc_id: str
    action: str  # "changed" | "deleted"
    root: str  # the folder the file came from
    file_sha256: str  # the file's article hash when the API took it over


_OVERRIDES = """
CREATE TABLE IF NOT EXISTS overrides (
    doc_id TEXT PRIMARY KEY, action TEXT NOT NULL, root TEXT NOT NULL, file_sha256 TEXT NOT NULL
);
"""

_SCHEMA = """
CREATE TABLE articles (
    doc_id TEXT PRIMARY KEY, title TEXT NOT NULL, source TEXT NOT NULL, url TEXT, updated TEXT,
    acl TEXT NOT NULL, sha256 TEXT NOT NULL, root TEXT NOT NULL, text TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'current', superseded_by TEXT, effective TEXT, valid_until TEXT
);
CREATE TABLE chunks (
    row INTEGER PRIMARY KEY, chunk_id TEXT NOT NULL UNIQUE, doc_id TEXT NOT NULL, ordinal INTEGER NOT NULL,
    start INTEGER NOT NULL, "end" INTEGER NOT NULL, headings TEXT NOT NULL, token_count INTEGER NOT NULL,
    text TEXT NOT NULL
);
CREATE INDEX chunks_doc ON chunks(doc_id);
""" + _OVERRIDES


def _chunk_from_row(row: tuple) -> Chunk:
    chunk_id, doc_id, ordinal, start, end, headings, token_count, text = row
    return Chunk(
        chunk_id=chunk_id,
        doc_id=doc_id,
        ordinal=ordinal,
        text=text,
        start=start,
        end=end,
        headings=tuple(json.loads(headings)),
        token_count=token_count,
    )


# Article columns as read; versions written before lifecycles were stored read as current (see _article_cols).
_ARTICLE_COLS = "doc_id, title, source, url, updated, acl, sha256, root, {text}, status, superseded_by, effective, " \
                "valid_until"
_ARTICLE_COLS_V1 = "doc_id, title, source, url, updated, acl, sha256, root, {text}, 'current', NULL, NULL, NULL"


def _article_cols(con: sqlite3.Connection) -> str:
    names = {r[1] for r in con.execute("PRAGMA table_info(articles)")}
    return _ARTICLE_COLS if "status" in names else _ARTICLE_COLS_V1


def _article_from_row(row: tuple) -> ArticleRecord:
    doc_id, title, source, url, updated, acl, sha, root, text, status, superseded_by, effective, valid_until = row
    article = Article(
        doc_id=doc_id,
        title=title,
        source=source,
        text=text,
        acl=tuple(json.loads(acl)),
        sha256=sha,
        url=url,
        updated=updated,
        status=status,
        superseded_by=superseded_by,
        effective=effective,
        valid_until=valid_until,
    )
    return ArticleRecord(article, root)


# --- building a version ------------------------------------------------------------------------------


def chunker_params(settings: Settings) -> dict:
    """What decides how an article is cut: a change means every article is re-chunked and re-embedded."""
    from index.chunking import CHUNKER_VERSION

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
        _write_bytes(tmp / "vectors.f32", vectors.reshape(-1).view(np.uint8).data if vectors.size else b"")
        dense = dense_params(len(vectors), settings)
        serialised = build_dense(vectors, dense)
        if serialised is not None:
            # faiss.write_index truncates in place without fsync: serialise to bytes and write them ourselves.
            _write_bytes(tmp / "dense.faiss", serialised)
        reuse = {"parent": versions / parent / "keyword", "parent_rows": parent_rows} if parent else {}
        KeywordIndex.build(keyword_texts, **reuse).save(tmp / "keyword")
        _write_sqlite(tmp / "meta.sqlite", records, chunks, overrides)
        sentence_meta = None
        if sentences is not None and any(c is not None for c in sentences):
            sentence_meta = SentenceVectors.from_chunks(sentences, int(embedder.dim)).write(tmp, _write_bytes)
        crash_point("files-written")
        files = {}
        for path in sorted(p for p in tmp.rglob("*") if p.is_file()):
            _fsync_file(path)
            files[path.relative_to(tmp).as_posix()] = {"bytes": path.stat().st_size, "sha256": _sha256_file(path)}
        for sub in [tmp / "keyword", tmp]:
            _fsync_dir(sub)
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
        _write_bytes(tmp / "manifest.json", json.dumps(manifest, indent=2).encode())
        _fsync_dir(tmp)
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
        _fsync_dir(versions)
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
    _prune(versions, keep={version_id, parent})
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


def _write_sqlite(path: Path, records: list[ArticleRecord], chunks: list[Chunk],
                  overrides: Iterable[Override] = ()) -> None:
    con = sqlite3.connect(path)
    try:
        con.executescript(_SCHEMA)
        con.executemany(
            f"INSERT INTO articles ({_ARTICLE_COLS.format(text='text')}) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)",
            (
                (a.doc_id, a.title, a.source, a.url, a.updated, json.dumps(list(a.acl)), a.sha256, r.root, a.text,
                 a.status, a.superseded_by, a.effective, a.valid_until)
                for r in records
                for a in [r.article]
            ),
        )
        con.executemany(
            "INSERT INTO chunks VALUES (?,?,?,?,?,?,?,?,?)",
            (
                (row, c.chunk_id, c.doc_id, c.ordinal, c.start, c.end, json.dumps(list(c.headings)),
                 c.token_count, c.text)
                for row, c in enumerate(chunks)
            ),
        )
        con.executemany("INSERT INTO overrides VALUES (?,?,?,?)",
                        ((o.doc_id, o.action, o.root, o.file_sha256) for o in overrides))
        con.commit()
    finally:
        con.close()


def cleanup_partial_builds(index_dir: Path) -> None:
    """Remove builds left by a killed ingest (call while holding the WriterLock)."""
    versions = index_dir / VERSIONS
    if versions.is_dir():
        for tmp in versions.glob(".tmp-*"):
            shutil.rmtree(tmp, ignore_errors=True)


def _prune(versions: Path, keep: set) -> None:
    done = sorted((p for p in versions.iterdir() if p.is_dir() and not p.name.startswith(".")), reverse=True)
    for old in done[KEEP_VERSIONS:]:
        if old.name not in keep:
            shutil.rmtree(old, ignore_errors=True)


def list_versions(index_dir: Path) -> list[str]:
    """Published version ids, newest first."""
    versions = index_dir / VERSIONS
    if not versions.is_dir():
        return []
    return sorted((p.name for p in versions.iterdir() if p.is_dir() and not p.name.startswith(".")), reverse=True)


# --- reading a version --------------------------------------------------------------------------------


class IndexVersion:
    """One opened, validated, read-only index version. Thread-safe for searches."""

    def __init__(self, path: Path, manifest: dict, vectors: np.ndarray, dense: faiss.Index,
                 keyword: KeywordIndex, con: sqlite3.Connection, sentences: SentenceVectors | None = None):
        self.path = path
        self.manifest = manifest
        self.version_id: str = manifest["version_id"]
        self.sentences = sentences  # None: built without sentence vectors (the answerer embeds sentences)
        self._vectors = vectors
        self._dense = dense
        self._keyword = keyword
        self._con = con
        self._db_lock = threading.Lock()
        self._article_cols = _article_cols(con)
        rows = con.execute("SELECT doc_id, acl FROM articles ORDER BY doc_id").fetchall()
        self._doc_ids = [r[0] for r in rows]
        self._doc_acl = [frozenset(json.loads(r[1])) for r in rows]
        doc_index = {d: i for i, d in enumerate(self._doc_ids)}
        chunk_docs = con.execute("SELECT doc_id FROM chunks ORDER BY row").fetchall()
        self._row_doc = np.fromiter((doc_index[d] for (d,) in chunk_docs), dtype=np.int32, count=len(chunk_docs))
        self._masks: OrderedDict[frozenset, np.ndarray] = OrderedDict()

    @property
    def num_chunks(self) -> int:
        return int(self.manifest["counts"]["chunks"])

    @property
    def num_articles(self) -> int:
        return int(self.manifest["counts"]["articles"])

    @property
    def dim(self) -> int:
        return int(self.manifest["embedding"]["dim"])

    @classmethod
    def open(cls, path: Path, *, expect_model: str | None = None, expect_dim: int | None = None,
             verify_checksums: bool = True) -> IndexVersion:
        manifest_path = path / "manifest.json"
        try:
            manifest = json.loads(manifest_path.read_text())
        except FileNotFoundError:
            raise IndexStoreError(f"{manifest_path} is missing: this index version is incomplete.") from None
        except (json.JSONDecodeError, UnicodeDecodeError) as exc:
            raise IndexStoreError(f"{manifest_path} is damaged ({exc}).") from None
        if manifest.get("format_version") != FORMAT_VERSION:
            raise IndexStoreError(
                f"{manifest_path}: index format {manifest.get('format_version')} is not supported by this "
                f"ragqa (format {FORMAT_VERSION}); re-ingest into a new --index directory."
            )
        emb = manifest["embedding"]
        if (expect_model and emb["model"] != expect_model) or (expect_dim and emb["dim"] != expect_dim):
            raise IndexMismatch(
                f"The index at {path.parent.parent} was built with embedding model {emb['model']!r} "
                f"(dimension {emb['dim']}), but the configured model is {expect_model!r} (dimension "
                f"{expect_dim}). Set RAGQA_EMBEDDING_MODEL to the index's model, or ingest into a new "
                "--index directory with the new model."
            )
        for name, meta in manifest["files"].items():
            file = path / name
            if not file.is_file():
                raise IndexStoreError(f"{file} is missing from index version {manifest['version_id']}.")
            if file.stat().st_size != meta["bytes"]:
                raise IndexStoreError(f"{file} is truncated or damaged (size differs from the manifest).")
        if verify_checksums:
            _verify_checksums(path, manifest["files"])
        n, dim = manifest["counts"]["chunks"], emb["dim"]
        vectors = np.memmap(path / "vectors.f32", dtype=np.float32, mode="r", shape=(n, dim)) if n else (
            np.zeros((0, dim), dtype=np.float32))
        try:
            dense = open_dense(path / "dense.faiss", manifest["dense"], vectors)
        except RuntimeError as exc:  # faiss's own message for a file it cannot parse
            raise IndexStoreError(f"{path / 'dense.faiss'} is damaged ({str(exc).splitlines()[0]}).") from None
        try:
            keyword = KeywordIndex.load(path / "keyword")
        except ValueError as exc:
            raise IndexStoreError(f"The keyword index of version {path} is unusable: {exc}.") from None
        sentences = None
        if manifest.get("sentences"):
            try:
                sentences = SentenceVectors.open(path, manifest["sentences"], n, emb["dim"])
            except (ValueError, KeyError, TypeError) as exc:
                raise IndexStoreError(f"The sentence vectors of index version {path} are damaged ({exc}).") from None
        con = sqlite3.connect(f"file:{path / 'meta.sqlite'}?mode=ro", uri=True, check_same_thread=False)
        try:
            (count,) = con.execute("SELECT count(*) FROM chunks").fetchone()
        except sqlite3.DatabaseError as exc:
            con.close()
            raise IndexStoreError(f"{path / 'meta.sqlite'} is damaged ({exc}).") from None
        if count != n or dense.ntotal != n or keyword.size != n:
            con.close()
            raise IndexStoreError(f"Index version at {path}: chunk counts differ between files.")
        return cls(path, manifest, vectors, dense, keyword, con, sentences)

    def close(self) -> None:
        self._con.close()

    # --- permissions ---
    def allowed_rows(self, groups: frozenset[str] | None) -> np.ndarray | None:
        """A bool mask of the chunk rows `groups` may read; None when unrestricted."""
        if groups is None:
            return None
        mask = self._masks.get(groups)
        if mask is None:
            docs = np.fromiter(
                (not acl or "everyone" in acl or bool(acl & groups) for acl in self._doc_acl),
                dtype=bool,
                count=len(self._doc_acl),
            )
            mask = docs[self._row_doc] if len(self._row_doc) else np.zeros(0, dtype=bool)
            self._masks[groups] = mask
            while len(self._masks) > 256:
                self._masks.popitem(last=False)
        return mask

    # --- searches (rows are FAISS ids = BM25 ids = chunks.row) ---
    def dense_search(self, query_vec: np.ndarray, k: int, allowed: np.ndarray | None) -> tuple[np.ndarray, np.ndarray]:
        n = self.num_chunks
        if not n or k <= 0 or (allowed is not None and not allowed.any()):
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float32)
        k = min(k, n)
        q = np.ascontiguousarray(query_vec.reshape(1, -1), dtype=np.float32)
        selector = None
        if allowed is not None:
            # The permission filter runs inside FAISS: rows outside the caller's groups are never candidates.
            bits = np.packbits(allowed, bitorder="little")
            selector = faiss.IDSelectorBitmap(n, faiss.swig_ptr(bits))
        scores, rows = self._dense.search(q, k, params=search_params(self.manifest["dense"], selector))
        rows, scores = rows[0], scores[0]
        keep = rows >= 0
        return rows[keep].astype(np.int64), scores[keep]

    def keyword_search(self, query: str, k: int, allowed: np.ndarray | None) -> tuple[np.ndarray, np.ndarray]:
        if allowed is not None and not allowed.any():
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float32)
        return self._keyword.search(query, k, allowed)

    # --- records ---
    _SQL_PARAMS = 900  # SQLite's bound on query parameters: larger requests are fetched in slices

    def chunks(self, rows: Iterable[int]) -> list[Chunk]:
        rows = [int(r) for r in rows]
        by_row: dict[int, Chunk] = {}
        for start in range(0, len(rows), self._SQL_PARAMS):
            part = rows[start:start + self._SQL_PARAMS]
            marks = ",".join("?" * len(part))
            with self._db_lock:
                found = self._con.execute(
                    f'SELECT row, chunk_id, doc_id, ordinal, start, "end", headings, token_count, text '
                    f"FROM chunks WHERE row IN ({marks})",
                    part,
                ).fetchall()
            by_row.update((r[0], _chunk_from_row(r[1:])) for r in found)
        return [by_row[r] for r in rows]

    def article_records(self, with_text: bool = True) -> list[ArticleRecord]:
        cols = self._article_cols.format(text="text" if with_text else "''")
        with self._db_lock:
            rows = self._con.execute(f"SELECT {cols} FROM articles ORDER BY doc_id").fetchall()
        return [_article_from_row(r) for r in rows]

    def overrides(self) -> dict[str, Override]:
        """doc_id -> the API's hold on it (none in versions written before holds were recorded)."""
        with self._db_lock:
            try:
                rows = self._con.execute("SELECT doc_id, action, root, file_sha256 FROM overrides").fetchall()
            except sqlite3.OperationalError:  # no such table: an older version
                return {}
        return {r[0]: Override(*r) for r in rows}

    def articles(self) -> list[Article]:
        return [r.article for r in self.article_records()]

    def article(self, doc_id: str) -> Article | None:
        with self._db_lock:
            row = self._con.execute(
                f"SELECT {self._article_cols.format(text='text')} FROM articles WHERE doc_id=?", (doc_id,),
            ).fetchone()
        return _article_from_row(row).article if row else None

    def article_meta(self, doc_ids: Iterable[str]) -> dict[str, tuple[str, str, str | None, str | None]]:
        """doc_id -> (title, source, url, updated) for building hits."""
        ids = list(set(doc_ids))
        if not ids:
            return {}
        marks = ",".join("?" * len(ids))
        with self._db_lock:
            rows = self._con.execute(
                f"SELECT doc_id, title, source, url, updated FROM articles WHERE doc_id IN ({marks})", ids
            ).fetchall()
        return {r[0]: r[1:] for r in rows}

    def rows_by_doc(self) -> dict[str, list[int]]:
        with self._db_lock:
            found = self._con.execute("SELECT doc_id, row FROM chunks ORDER BY row").fetchall()
        out: dict[str, list[int]] = {}
        for doc_id, row in found:
            out.setdefault(doc_id, []).append(row)
        return out

    def vectors(self, rows: list[int]) -> np.ndarray:
        if not rows:
            return np.zeros((0, self.dim), dtype=np.float32)
        return np.asarray(self._vectors[np.asarray(rows, dtype=np.int64)], dtype=np.float32)

    def sentence_vectors(self, row: int) -> dict[tuple[int, int], np.ndarray] | None:
        """The chunk's sentence vectors pooled at ingest, by span; None when this version has none."""
        return None if self.sentences is None else self.sentences.lookup(row)

    def sentence_rows(self, rows: Iterable[int]) -> list[ChunkSentences | None]:
        """Stored sentences of `rows`, for a new version that reuses these chunks."""
        if self.sentences is None:
            return [None for _ in rows]
        return [self.sentences.chunk(int(r)) for r in rows]

    def all_chunks(self) -> list[Chunk]:
        with self._db_lock:
            rows = self._con.execute(
                'SELECT chunk_id, doc_id, ordinal, start, "end", headings, token_count, text FROM chunks ORDER BY row'
            ).fetchall()
        return [_chunk_from_row(r) for r in rows]


def open_current(index_dir: Path, *, expect_model: str | None = None, expect_dim: int | None = None,
                 verify_checksums: bool = True) -> IndexVersion:
    version_id = read_pointer(index_dir)
    if version_id is None:
        raise IndexNotReady(
            f"No index at {index_dir}. Build one with `ragqa ingest PATH --index {index_dir}` "
            "(or set RAGQA_INDEX_DIR)."
        )
    return IndexVersion.open(index_dir / VERSIONS / version_id, expect_model=expect_model,
                             expect_dim=expect_dim, verify_checksums=verify_checksums)


class IndexManager:
    """The version a process serves: opened once, swapped when CURRENT changes, falling back when damaged.

    Each request takes one `retriever()` and keeps it: it sees one consistent version even while a new one is
    published. Old versions are closed by garbage collection once no request holds them.
    """

    def __init__(self, settings: Settings, embedder: Embedder):
        self.settings = settings
        self.embedder = embedder
        self.index_dir = Path(settings.index_dir)
        from index.retrieve import tune_serving_process

        tune_serving_process()  # this process serves queries (see index/retrieve.py)
        self._lock = threading.Lock()
        self._retriever: Retriever | None = None
        self._pointer: str | None = None
        self._checked_at = 0.0
        self._error: str | None = None
        self._error_type: type[IndexStoreError] = IndexNotReady
        self._fallback = False

    def _load(self, version_id: str) -> Retriever:
        from index.retrieve import Retriever

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
