"""Reader feedback on answers (thumbs up/down, optional comment), kept in SQLite under data_dir."""

from __future__ import annotations

import sqlite3
import time
from pathlib import Path

_SCHEMA = """
CREATE TABLE IF NOT EXISTS feedback (
    id INTEGER PRIMARY KEY AUTOINCREMENT, request_id TEXT NOT NULL, rating TEXT NOT NULL, comment TEXT,
    caller TEXT NOT NULL, created_at REAL NOT NULL
);
CREATE INDEX IF NOT EXISTS feedback_request ON feedback(request_id);
"""


def store_path(data_dir: Path) -> Path:
    """The SQLite file of feedback and the answer log (one file, so a review joins them on request_id)."""
    return Path(data_dir) / "feedback.sqlite"


def connect(path: Path, schema: str) -> sqlite3.Connection:
    """A fresh connection to `path` with `schema` applied: the one helper the feedback and answer-log stores use."""
    path.parent.mkdir(parents=True, exist_ok=True)
    con = sqlite3.connect(path, timeout=10)
    con.executescript(schema)
    return con


class FeedbackStore:
    """Append-only; one connection per call so server threads never share one."""

    def __init__(self, data_dir: Path):
        self.path = store_path(data_dir)

    def _connect(self) -> sqlite3.Connection:
        return connect(self.path, _SCHEMA)

    def add(self, *, request_id: str, rating: str, comment: str | None, caller: str) -> int:
        con = self._connect()
        try:
            with con:
                cur = con.execute(
                    "INSERT INTO feedback (request_id, rating, comment, caller, created_at) VALUES (?,?,?,?,?)",
                    (request_id, rating, comment, caller, time.time()),
                )
            return int(cur.lastrowid)
        finally:
            con.close()

    def recent(self, *, limit: int = 100, request_id: str | None = None, rating: str | None = None,
               since: float | None = None, until: float | None = None) -> list[dict]:
        """Newest first, optionally for one request id, one rating, or a time window (epoch seconds)."""
        where, args = [], []
        for clause, value in (("request_id=?", request_id), ("rating=?", rating), ("created_at>=?", since),
                              ("created_at<?", until)):
            if value is not None:
                where.append(clause)
                args.append(value)
        con = self._connect()
        try:
            rows = con.execute(
                f"SELECT id, request_id, rating, comment, caller, created_at FROM feedback "
                f"{'WHERE ' + ' AND '.join(where) if where else ''} ORDER BY id DESC LIMIT ?",
                (*args, limit),
            ).fetchall()
        finally:
            con.close()
        return [
            {"id": r[0], "request_id": r[1], "rating": r[2], "comment": r[3], "caller": r[4],
             "created_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(r[5]))}
            for r in rows
        ]
