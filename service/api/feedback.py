"""Reader feedback on answers (thumbs up/down, optional comment), kept in the state database.

SQLite: data_dir/feedback.sqlite; PostgreSQL (RAGQA_DATABASE_URL): the shared database, so every replica lists
what any replica recorded.
"""

from __future__ import annotations

import time
from pathlib import Path

from ragqa.service.api.database import Database, Schema, as_database, database_for

SCHEMA = Schema("feedback", steps=(
    ("""CREATE TABLE IF NOT EXISTS feedback (
        id {id_pk}, request_id TEXT NOT NULL, rating TEXT NOT NULL, comment TEXT,
        caller TEXT NOT NULL, created_at DOUBLE PRECISION NOT NULL)""",
     "CREATE INDEX IF NOT EXISTS feedback_request ON feedback(request_id)"),
))


class FeedbackStore:
    """Append-only; one session per call so server threads never share a connection."""

    def __init__(self, where: Path | Database):
        """`where`: a data_dir (data_dir/feedback.sqlite) or a Database (`database_for(settings, "feedback")`)."""
        self.db = as_database(where, "feedback")

    @classmethod
    def for_settings(cls, settings) -> FeedbackStore:
        return cls(database_for(settings, "feedback"))

    @property
    def path(self) -> Path | None:
        """The SQLite file (None on PostgreSQL)."""
        return self.db.path

    def add(self, *, request_id: str, rating: str, comment: str | None, caller: str) -> int:
        with self.db.session(SCHEMA) as db:
            row = db.execute(
                "INSERT INTO feedback (request_id, rating, comment, caller, created_at) VALUES (?,?,?,?,?) "
                "RETURNING id",
                (request_id, rating, comment, caller, time.time()),
            ).fetchone()
        return int(row[0])

    def recent(self, *, limit: int = 100, request_id: str | None = None, rating: str | None = None,
               since: float | None = None, until: float | None = None) -> list[dict]:
        """Newest first, optionally for one request id, one rating, or a time window (epoch seconds)."""
        where, args = [], []
        for clause, value in (("request_id=?", request_id), ("rating=?", rating), ("created_at>=?", since),
                              ("created_at<?", until)):
            if value is not None:
                where.append(clause)
                args.append(value)
        with self.db.session(SCHEMA, create=False) as db:
            rows = [] if db is None else db.execute(
                f"SELECT id, request_id, rating, comment, caller, created_at FROM feedback "
                f"{'WHERE ' + ' AND '.join(where) if where else ''} ORDER BY id DESC LIMIT ?",
                (*args, limit),
            ).fetchall()
        return [
            {"id": r[0], "request_id": r[1], "rating": r[2], "comment": r[3], "caller": r[4],
             "created_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(r[5]))}
            for r in rows
        ]
