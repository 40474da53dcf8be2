"""Reading an immutable index version: vectors, dense and keyword search, chunks and articles."""

from __future__ import annotations

import json
import sqlite3
import threading
from collections import OrderedDict
from collections.abc import Iterable
from pathlib import Path

import faiss
import numpy as np

from ragqa.index.dense import open_dense, search_params
from ragqa.index.errors import IndexMismatch, IndexNotReady, IndexStoreError
from ragqa.index.files import FORMAT_VERSION, VERSIONS, check_checksums, read_pointer
from ragqa.index.keyword import KeywordIndex
from ragqa.index.metadata import ArticleRecord, Override, article_cols, article_from_row, chunk_from_row
from ragqa.index.sentence_vectors import ChunkSentences, SentenceVectors
from ragqa.types import Article, Chunk


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
        self._article_cols = article_cols(con)
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
            check_checksums(path, manifest["files"])
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
        rows, scores, _ = self.keyword_search_scored(query, k, allowed)
        return rows, scores

    def keyword_search_scored(self, query: str, k: int, allowed: np.ndarray | None
                              ) -> tuple[np.ndarray, np.ndarray, np.ndarray | None]:
        """keyword_search, plus every row's BM25 score (None: all zero)."""
        if allowed is not None and not allowed.any():
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float32), None
        return self._keyword.search_scored(query, k, allowed)

    def keyword_row_counts(self, words: list[str], allowed: np.ndarray | None) -> dict[str, int]:
        """How many rows `allowed` holds that use each word (service/spelling.py)."""
        return self._keyword.row_counts(words, allowed)

    def best_sentence_scores(self, query_vec: np.ndarray, rows: np.ndarray) -> np.ndarray:
        """Per row, the cosine of `query_vec` with the row's best-matching stored sentence (NaN: none stored)."""
        if self.sentences is None:
            return np.full(len(rows), np.nan, dtype=np.float32)
        return self.sentences.best_match(query_vec, rows)

    @property
    def has_token_signs(self) -> bool:
        """Whether this version stores token signs for the MaxSim rerank (versions built before them do not)."""
        return self.sentences is not None and len(self.sentences.token_signs) > 0

    def maxsim_scores(self, query_tokens: np.ndarray, rows: np.ndarray) -> np.ndarray:
        """Per row, MaxSim of the question's unit token embeddings against the row's stored token signs (NaN: none)."""
        if self.sentences is None:
            return np.full(len(rows), np.nan, dtype=np.float32)
        return self.sentences.maxsim(query_tokens, rows)

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
            by_row.update((r[0], chunk_from_row(r[1:])) for r in found)
        return [by_row[r] for r in rows]

    def article_records(self, with_text: bool = True) -> list[ArticleRecord]:
        cols = self._article_cols.format(text="text" if with_text else "''")
        with self._db_lock:
            rows = self._con.execute(f"SELECT {cols} FROM articles ORDER BY doc_id").fetchall()
        return [article_from_row(r) for r in rows]

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
        return article_from_row(row).article if row else None

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

    def rows_of(self, doc_id: str) -> list[int]:
        """The chunk rows of one article, in order."""
        with self._db_lock:
            found = self._con.execute("SELECT row FROM chunks WHERE doc_id=? ORDER BY row", (doc_id,)).fetchall()
        return [r[0] for r in found]

    def doc_id_named(self, name: str) -> str | None:
        """The article a `superseded_by` names: by doc id, title or URL (a banner links to its replacement)."""
        with self._db_lock:
            row = self._con.execute("SELECT doc_id FROM articles WHERE doc_id=? OR title=? OR url=? LIMIT 1",
                                    (name, name, name)).fetchone()
        return row[0] if row else None

    def replaced_by(self, doc_id: str) -> list[str]:
        """The articles whose `superseded_by` names `doc_id` (by doc id, title or URL): what it replaced."""
        with self._db_lock:
            rows = self._con.execute(
                "SELECT old.doc_id FROM articles AS old JOIN articles AS new ON new.doc_id=? AND old.doc_id<>new.doc_id"
                " AND old.superseded_by IN (new.doc_id, new.title, new.url) ORDER BY old.doc_id", (doc_id,),
            ).fetchall()
        return [r[0] for r in rows]

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
        return [chunk_from_row(r) for r in rows]


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
