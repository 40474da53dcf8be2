"""Thumbs-down feedback from the API -> draft evaluation cases, so real failures become regression tests.

A draft keeps what the API recorded (question, history, answer, the asker's groups, comment) and proposes the
answer's cited articles as `expected_sources`: a person confirms or corrects them, adds key facts, and removes
`"draft": true`. `ragqa eval` skips drafts until then.

Feedback and the answer log are read through the service's own stores (service/api/feedback.py,
service/api/answer_log.py), so the export works wherever the server keeps them: the SQLite file under
RAGQA_DATA_DIR, or the shared PostgreSQL database of RAGQA_DATABASE_URL. Several ratings of one answer (the widget
sends the rating, then the rating with a comment) make one case: the newest rating, the newest comment. A
thumbs-down whose answer was not logged (log off, or past its retention) is counted and reported instead.
"""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass
from pathlib import Path

from ragqa.service.api.answer_log import AnswerStore
from ragqa.service.api.database import Database, DatabaseUnavailable, database_for
from ragqa.service.api.feedback import FeedbackStore
from ragqa.service.api.review import one_per_answer

_ALL = 10_000_000  # every feedback row: an export reads the whole table once


class FeedbackExportError(RuntimeError):
    """No feedback store, or one that cannot be read; the message says where it looked."""


def feedback_database(settings) -> Database:
    """The database the API records feedback in: RAGQA_DATABASE_URL when set, else the file under the data folder."""
    try:
        db = database_for(settings, "feedback")
    except DatabaseUnavailable as exc:
        raise FeedbackExportError(str(exc)) from None
    if db.path is not None and not db.path.is_file():
        raise FeedbackExportError(f"no feedback store under {settings.data_dir} ({db.path.name} is missing): the "
                                  "API records feedback there (POST /v1/feedback); pass --data-dir if the server "
                                  "used another RAGQA_DATA_DIR, or set RAGQA_DATABASE_URL if it kept its state in "
                                  "PostgreSQL")
    return db


def disliked_answers(db: Database) -> tuple[list[dict], int]:
    """(thumbs-down feedback joined with its logged answer, how many thumbs-down had no logged answer)."""
    try:
        rows = one_per_answer(FeedbackStore(db).recent(limit=_ALL))  # newest first
        newest: dict[str, dict] = {}
        for row in rows:  # one case per answer, whoever rated it: the newest rating decides
            newest.setdefault(row["request_id"], row)
        down = [r for r in reversed(newest.values()) if r["rating"] == "down"]  # oldest first, as cases are added
        logged = {a["request_id"]: a for a in AnswerStore(db).rows(request_ids=[r["request_id"] for r in down],
                                                                   limit=_ALL)}
    except DatabaseUnavailable as exc:
        raise FeedbackExportError(str(exc)) from None
    joined = [logged[r["request_id"]] | r for r in down if r["request_id"] in logged]
    return joined, len(down) - len(joined)


def draft_case(row: dict) -> dict:
    """One draft question in the documented format (eval/README.md), plus the feedback it came from."""
    sources = list(dict.fromkeys(c["doc_id"] for c in row["citations"] if c.get("doc_id")))
    groups = row["groups"]
    history = [t for t in row["history"] if str(t.get("content", "")).strip()]
    return {
        "id": f"fb-{row['request_id']}", "question": row["question"].strip(), "answerable": True,
        "expected_sources": sources, "key_facts": [], "reference_answer": "", "type": "single",
        "groups": sorted(groups) if groups is not None else None, "history": history, "draft": True,
        "notes": ("the answer abstained: add the article that answers it" if row["abstained"] else
                  "expected_sources are the answer's citations: confirm or correct them, add key_facts, "
                  "or set answerable false if the articles do not answer it"),
        "feedback": {"answer": row["answer"], "comment": row.get("comment") or "",
                     "request_id": row["request_id"], "created_at": row["created_at"]},
    }


@dataclass
class ExportResult:
    written: int = 0
    already_exported: int = 0  # ids already present in the output file
    without_question: int = 0  # thumbs-down whose answer the log does not hold
    store: str = ""  # where the feedback was read: the SQLite file, or the PostgreSQL URL without its password


def _exported_ids(out: Path | None) -> set[str]:
    existing: set[str] = set()
    if out is not None and out.is_file():
        for line in out.read_text(encoding="utf-8").splitlines():
            try:
                existing.add(json.loads(line)["id"])
            except (json.JSONDecodeError, KeyError, TypeError):
                continue
    return existing


def export_feedback(settings, out: Path | None) -> ExportResult:
    """Write drafts for thumbs-down answers to `out` (appending; ids already there are skipped) or stdout."""
    db = feedback_database(settings)
    rows, unlogged = disliked_answers(db)
    cases = [c for c in map(draft_case, rows) if c["question"]]
    existing = _exported_ids(out)
    fresh = [c for c in cases if c["id"] not in existing]
    lines = "".join(json.dumps(c, ensure_ascii=False) + "\n" for c in fresh)
    if out is None:
        sys.stdout.write(lines)
    else:
        out.parent.mkdir(parents=True, exist_ok=True)
        with out.open("a", encoding="utf-8") as fh:
            fh.write(lines)
    return ExportResult(len(fresh), len(cases) - len(fresh), unlogged + len(rows) - len(cases), db.where)
