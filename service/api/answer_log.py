"""The answer log: one row per answer given (API and CLI), kept RAGQA_ANSWER_LOG_DAYS days, in the feedback file.

It stores ids, never passages: a citation is (ref, doc_id, chunk_id, start, end), so a later review shows a passage
only to a reader whose groups may read its article (service/api/review.py). Rows are written by one background
thread: an answer only puts a dict on a queue, so logging never slows or fails it.
"""

from __future__ import annotations

import json
import logging
import queue
import threading
import time
import uuid
from collections import OrderedDict
from pathlib import Path

from ragqa.service.api.database import Database, Schema, as_database, database_for

log = logging.getLogger("ragqa.answer_log")

# In the feedback database (data_dir/feedback.sqlite, or the shared PostgreSQL), so a review joins on request_id.
SCHEMA = Schema("answers", steps=(
    ("""CREATE TABLE IF NOT EXISTS answers (
        request_id TEXT PRIMARY KEY, created_at DOUBLE PRECISION NOT NULL, caller TEXT NOT NULL, groups TEXT,
        question TEXT NOT NULL, standalone_question TEXT, history TEXT, answer TEXT NOT NULL,
        citations TEXT NOT NULL, abstained INTEGER NOT NULL, grounded INTEGER NOT NULL, llm TEXT,
        index_version TEXT, latency_ms DOUBLE PRECISION)""",
     "CREATE INDEX IF NOT EXISTS answers_created ON answers(created_at)"),
))
_COLUMNS = ("request_id", "created_at", "caller", "groups", "question", "standalone_question", "history", "answer",
            "citations", "abstained", "grounded", "llm", "index_version", "latency_ms")
_JSON_COLUMNS = ("groups", "history", "citations")
DAY_S = 86400.0
_PURGE_EVERY_S = 3600.0
_BATCH_WAIT_S = 0.25
_READ_WAIT_S = 2.0  # how long a review read waits for answers still queued for the writer


def entry_for(answer, *, caller: str, groups, question: str, history=()) -> dict:
    """The row for one answer: ids and offsets of the cited passages, never their text."""
    return {
        "request_id": answer.request_id or uuid.uuid4().hex, "created_at": time.time(), "caller": caller,
        "groups": None if groups is None else sorted(groups),  # None: an unrestricted CLI operator
        "question": question, "standalone_question": answer.standalone_question or question,
        "history": [{"role": t.role, "content": t.content} for t in history],
        "answer": answer.answer,
        "citations": [{"ref": c.ref, "doc_id": c.doc_id, "chunk_id": c.chunk_id, "start": c.start, "end": c.end}
                      for c in answer.citations],
        "abstained": bool(answer.abstained), "grounded": bool(answer.grounded), "llm": answer.llm,
        "index_version": answer.index_version, "latency_ms": float(answer.timings_ms.get("total", 0.0)),
    }


class AnswerStore:
    """Plain SQL through the state database's sessions (table `answers`); one session per call."""

    def __init__(self, where: Path | Database):
        """`where`: a data_dir (data_dir/feedback.sqlite) or the feedback Database (`database_for(settings, ...)`)."""
        self.db = as_database(where, "feedback")

    @classmethod
    def for_settings(cls, settings) -> AnswerStore:
        return cls(database_for(settings, "feedback"))

    @property
    def path(self) -> Path | None:
        """The SQLite file (None on PostgreSQL)."""
        return self.db.path

    def insert(self, entries: list[dict]) -> None:
        """Write `entries` in one transaction (a request id already logged keeps its first row)."""
        sql = (f"INSERT INTO answers ({', '.join(_COLUMNS)}) VALUES ({', '.join('?' * len(_COLUMNS))}) "
               "ON CONFLICT (request_id) DO NOTHING")
        with self.db.session(SCHEMA) as db:
            for e in entries:
                db.execute(sql, [_column(c, e[c]) for c in _COLUMNS])

    def purge(self, older_than: float) -> int:
        """Delete rows logged before `older_than` (epoch seconds); returns how many went."""
        with self.db.session(SCHEMA, create=False) as db:
            return 0 if db is None else db.execute("DELETE FROM answers WHERE created_at < ?",
                                                   (older_than,)).rowcount

    def rows(self, *, since: float | None = None, until: float | None = None, request_ids=None,
             abstained: bool | None = None, limit: int = 100_000) -> list[dict]:
        """Logged answers, newest first, optionally by time window, request ids or abstention."""
        where, args = [], []
        for clause, value in (("created_at >= ?", since), ("created_at < ?", until),
                              ("abstained = ?", None if abstained is None else int(abstained))):
            if value is not None:
                where.append(clause)
                args.append(value)
        if request_ids is not None:
            ids = list(dict.fromkeys(request_ids))
            if not ids:
                return []
            if len(ids) > 900:  # SQLite's bound on query parameters: fetch in slices, then one order and limit
                found = [r for i in range(0, len(ids), 900) for r in self.rows(
                    since=since, until=until, request_ids=ids[i:i + 900], abstained=abstained, limit=limit)]
                return sorted(found, key=lambda r: r["created_at"], reverse=True)[:limit]
            where.append(f"request_id IN ({', '.join('?' * len(ids))})")
            args.extend(ids)
        sql = f"SELECT {', '.join(_COLUMNS)} FROM answers {'WHERE ' + ' AND '.join(where) if where else ''} " \
              "ORDER BY created_at DESC LIMIT ?"
        with self.db.session(SCHEMA, create=False) as db:
            found = [] if db is None else db.execute(sql, (*args, limit)).fetchall()
        return [_decode(dict(zip(_COLUMNS, r, strict=True))) for r in found]


def _column(name: str, value):
    """A value as stored: JSON text for lists, 0/1 for flags (PostgreSQL does not cast booleans to INTEGER)."""
    if name in _JSON_COLUMNS:
        return json.dumps(value)
    return int(value) if isinstance(value, bool) else value


def _decode(row: dict) -> dict:
    for column in _JSON_COLUMNS:
        row[column] = json.loads(row[column]) if row[column] else ([] if column != "groups" else None)
    row["abstained"], row["grounded"] = bool(row["abstained"]), bool(row["grounded"])
    return row


class AnswerLog:
    """Queues entries for one writer thread; `days` = 0 turns it off (nothing is written, old rows are dropped)."""

    @classmethod
    def for_settings(cls, settings) -> AnswerLog | None:
        """The log of `settings`' feedback store; None when logging is off (`answer_log_days` = 0)."""
        if settings.answer_log_days <= 0:
            return None
        return cls(database_for(settings, "feedback"), settings.answer_log_days)

    def __init__(self, where: Path | Database, days: int, *, max_queue: int = 10_000):
        self.store = AnswerStore(where)
        self.days = days
        self._queue: queue.Queue = queue.Queue(maxsize=max_queue)
        self._recent: OrderedDict[str, str] = OrderedDict()  # request_id -> caller, also for rows not yet written
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None
        self._last_purge = 0.0
        self._dropped = 0

    @property
    def enabled(self) -> bool:
        return self.days > 0

    def record(self, entry: dict) -> None:
        """Queue one entry; never raises and never waits (a full queue drops the entry with a warning)."""
        if not self.enabled:
            return
        try:
            with self._lock:
                self._recent[entry["request_id"]] = entry["caller"]
                while len(self._recent) > 10_000:
                    self._recent.popitem(last=False)
                if self._thread is None or not self._thread.is_alive():
                    self._thread = threading.Thread(target=self._run, name="ragqa-answer-log", daemon=True)
                    self._thread.start()
            self._queue.put_nowait(entry)
        except queue.Full:
            self._dropped += 1
            if self._dropped == 1 or self._dropped % 1000 == 0:
                log.warning("answer log queue full: %d answer(s) not logged so far", self._dropped)
        except Exception:
            log.warning("could not queue an answer for the log", exc_info=True)

    def caller_of(self, request_id: str) -> str | None:
        """Who received the answer with this request id, while it is in the log (None: not logged)."""
        with self._lock:
            if request_id in self._recent:
                return self._recent[request_id]
        try:
            found = self.store.rows(request_ids=[request_id], limit=1)
        except Exception:
            log.warning("could not read the answer log", exc_info=True)
            return None
        return found[0]["caller"] if found else None

    def purge(self, now: float | None = None) -> int:
        """Drop rows older than the retention (all of them when logging is off)."""
        now = time.time() if now is None else now
        self._last_purge = now
        return self.store.purge(now - self.days * DAY_S if self.enabled else float("inf"))

    def purge_if_due(self) -> None:
        """Purge at most hourly; a failure is a warning (the server keeps answering). The writer thread and the
        server's timer both call this: the first to find a purge due claims it under the lock."""
        with self._lock:
            if time.time() - self._last_purge < _PURGE_EVERY_S:
                return
            self._last_purge = time.time()
        try:
            removed = self.purge()
            if removed:
                log.info("answer log: %d row(s) past the %d-day retention removed", removed, self.days)
        except Exception as exc:
            log.warning("could not purge the answer log in %s: %s", self.store.db.where, exc)

    def flush(self, timeout: float = 5.0) -> bool:
        """Wait until queued entries are written (tests, the CLI before it exits); False on timeout."""
        deadline = time.monotonic() + timeout
        while self._queue.unfinished_tasks and time.monotonic() < deadline:
            time.sleep(0.01)
        return not self._queue.unfinished_tasks

    def written(self, timeout: float = _READ_WAIT_S) -> AnswerStore:
        """The store, once the answers queued so far are in it (waiting at most `timeout`): a review page read
        just after an answer and its feedback shows that answer, not 'no longer in the answer log'. Call it from
        a worker thread, never on the event loop."""
        if self._queue.unfinished_tasks:
            self.flush(timeout)
        return self.store

    def _run(self) -> None:
        while True:
            batch = [self._queue.get()]
            # Gather what arrives in the next moment and write it in one transaction: one short burst of work
            # per batch instead of one per answer, so the writer rarely competes with requests for the CPU.
            time.sleep(_BATCH_WAIT_S)
            while len(batch) < 500:
                try:
                    batch.append(self._queue.get_nowait())
                except queue.Empty:
                    break
            try:
                self.store.insert(batch)
            except Exception as exc:
                log.warning("could not write %d answer(s) to the log in %s: %s", len(batch), self.store.db.where,
                            exc)
            finally:
                # The purge that follows a batch runs before the batch counts as done: flush() returns once the
                # writer is idle, so a row written after it is never caught by a purge still in flight.
                self.purge_if_due()
                for _ in batch:
                    self._queue.task_done()
