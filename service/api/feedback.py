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


class FeedbackStore:
    """Append-only; one connection per call so server threads never share one."""

    def __init__(self, data_dir: Path):
        self.path = Path(data_dir) / "feedback.sqlite"

    def _connect(self) -> sqlite3.Connection:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        con = sqlite3.connect(self.path, timeout=10)
        con.executescript(_SCHEMA)
        return con

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

    def recent(self, *, limit: int = 100, request_id: str | None = None) -> list[dict]:
        con = self._connect()
        try:
            where, args = ("WHERE request_id=?", (request_id,)) if request_id else ("", ())
            rows = con.execute(
                f"SELECT id, request_id, rating, comment, caller, created_at FROM feedback {where} "
                "ORDER BY id DESC LIMIT ?",
                (*args, limit),
            ).fetchall()
        finally:
            con.close()
        return [
            {"id": r[0], "request_id": r[1], "rating": r[2], "comment": r[3], "caller": r[4],
             "created_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(r[5]))}
            for r in rows
        ]
