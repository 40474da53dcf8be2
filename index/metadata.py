"""meta.sqlite of a version: articles, chunks and API overrides, and their rows as our types."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from ragqa.types import Article, Chunk


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


def chunk_from_row(row: tuple) -> Chunk:
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


# Article columns as read; versions written before lifecycles were stored read as current (see article_cols).
ARTICLE_COLS = "doc_id, title, source, url, updated, acl, sha256, root, {text}, status, superseded_by, effective, " \
               "valid_until"
_ARTICLE_COLS_V1 = "doc_id, title, source, url, updated, acl, sha256, root, {text}, 'current', NULL, NULL, NULL"


def article_cols(con: sqlite3.Connection) -> str:
    names = {r[1] for r in con.execute("PRAGMA table_info(articles)")}
    return ARTICLE_COLS if "status" in names else _ARTICLE_COLS_V1


def article_from_row(row: tuple) -> ArticleRecord:
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


def write_sqlite(path: Path, records: list[ArticleRecord], chunks: list[Chunk],
                  overrides: Iterable[Override] = ()) -> None:
    con = sqlite3.connect(path)
    try:
        con.executescript(_SCHEMA)
        con.executemany(
            f"INSERT INTO articles ({ARTICLE_COLS.format(text='text')}) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)",
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
