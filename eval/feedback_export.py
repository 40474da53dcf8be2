"""Thumbs-down feedback from the API -> draft evaluation cases, so real failures become regression tests.

A draft keeps what the API recorded (question, answer, the asker's groups, comment) and proposes the answer's
cited articles as `expected_sources`: a person confirms or corrects them, adds key facts, and removes
`"draft": true`. `ragqa eval` skips drafts until then.

The API's store (service/api/feedback.py) keeps `feedback(id, request_id, rating, comment, caller, created_at)`.
The question and answer come from the same row when it has `question` / `answer_json` columns, or from the
answer log in the same file (service/api/answer_log.py: `answers(request_id, question, groups, history, answer,
citations, ...)`, or an older `answer_json` column), joined on request_id. Several rows for one answer (the widget
sends the rating, then the rating with a comment) make one case: the newest rating, the newest comment. A
thumbs-down whose question was not logged (log off, or past its retention) is counted and reported instead.
"""

from __future__ import annotations

import json
import sqlite3
import sys
from dataclasses import dataclass
from pathlib import Path

_DB_NAMES = ("feedback.sqlite3", "feedback.sqlite", "feedback.db")
_NEGATIVE = {"down", "thumbs_down", "thumbsdown", "negative", "bad", "-1", "0", "false", "no"}


class FeedbackExportError(RuntimeError):
    """No feedback store, or one this exporter cannot read; the message says where it looked."""


def _api_store_path(data_dir: Path) -> list[Path]:
    try:
        from ragqa.service.api.feedback import FeedbackStore
    except ImportError:  # the API is optional for evaluation
        return []
    return [FeedbackStore(data_dir).path]


def find_store(data_dir: Path) -> Path:
    """The SQLite file holding a `feedback` table under data_dir (the API's store)."""
    candidates = _api_store_path(data_dir) + [data_dir / n for n in _DB_NAMES] + sorted(
        p for pattern in ("*.sqlite3", "*.sqlite", "*.db") for p in data_dir.glob(pattern))
    for path in dict.fromkeys(candidates):
        if path.is_file() and "feedback" in _tables(path):
            return path
    raise FeedbackExportError(f"no feedback store under {data_dir}: the API records feedback there "
                              "(POST /v1/feedback); pass --data-dir if the server used another RAGQA_DATA_DIR")


def _tables(path: Path) -> set[str]:
    try:
        with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as conn:
            return {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    except sqlite3.DatabaseError:
        return set()


def read_feedback(path: Path) -> list[dict]:
    """Every feedback row as a dict, joined with its recorded answer (read-only: the server may be writing)."""
    with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as conn:
        conn.row_factory = sqlite3.Row
        rows = [dict(r) for r in conn.execute("SELECT * FROM feedback ORDER BY id")]
        answers = {}
        if "answers" in _tables(path):
            answers = {r["request_id"]: dict(r) for r in conn.execute("SELECT * FROM answers")}
    # Feedback fields (id, comment, created_at) win over the answer log's.
    return [answers.get(r.get("request_id"), {}) | {k: v for k, v in r.items() if v is not None}
            for r in _one_per_answer(rows)]


def _one_per_answer(rows: list[dict]) -> list[dict]:
    """The newest row per request_id, keeping the newest comment given with that rating."""
    newest: dict = {}
    for row in rows:  # oldest first
        key = row.get("request_id") or f"row-{row.get('id')}"
        earlier = newest.get(key)
        if earlier and not row.get("comment") and earlier.get("comment") and _rating(earlier) == _rating(row):
            row = row | {"comment": earlier["comment"]}
        newest[key] = row
    return list(newest.values())


def _rating(row: dict):
    return next((row[k] for k in ("rating", "vote", "thumbs", "value") if row.get(k) is not None), None)


def is_thumbs_down(row: dict) -> bool:
    for key in ("rating", "vote", "thumbs", "value", "score", "helpful", "useful"):
        if key in row and row[key] is not None:
            return str(row[key]).strip().lower() in _NEGATIVE
    return False


def _json(value):
    if isinstance(value, str) and value[:1] in "[{":
        try:
            return json.loads(value)
        except json.JSONDecodeError:
            return value
    return value


def draft_case(row: dict) -> dict:
    """One draft question in the documented format, plus the feedback it came from."""
    answer = _json(row.get("answer_json") or row.get("answer_object") or row.get("answer"))
    answer_text = answer.get("answer", "") if isinstance(answer, dict) else str(answer or "")
    citations = _json(row.get("citations"))
    if citations is None and isinstance(answer, dict):
        citations = answer.get("citations")
    sources = list(dict.fromkeys(c["doc_id"] for c in citations or [] if isinstance(c, dict) and c.get("doc_id")))
    if not sources:
        sources = [str(d) for d in _json(row.get("doc_ids")) or [] if d]
    groups = _json(row.get("groups"))
    if isinstance(groups, str):
        groups = [g.strip() for g in groups.split(",") if g.strip()]
    key = row.get("request_id") or row.get("id")
    abstained = bool(answer.get("abstained")) if isinstance(answer, dict) else bool(row.get("abstained"))
    history = [t for t in _json(row.get("history")) or [] if isinstance(t, dict) and str(t.get("content", "")).strip()]
    return {
        "id": f"fb-{key}", "question": str(row.get("question") or "").strip(), "answerable": True,
        "expected_sources": sources, "key_facts": [], "reference_answer": "", "type": "single",
        "groups": sorted(groups) if groups is not None else None, "history": history, "draft": True,
        "notes": ("the answer abstained: add the article that answers it" if abstained else
                  "expected_sources are the answer's citations: confirm or correct them, add key_facts, "
                  "or set answerable false if the articles do not answer it"),
        "feedback": {"answer": answer_text, "comment": row.get("comment") or "",
                     "request_id": row.get("request_id"), "created_at": row.get("created_at")},
    }


@dataclass
class ExportResult:
    written: int = 0
    already_exported: int = 0  # ids already present in the output file
    without_question: int = 0  # thumbs-down rows whose question the API did not record
    store: Path | None = None


def export_feedback(data_dir: Path, out: Path | None) -> ExportResult:
    """Write drafts for thumbs-down rows to `out` (appending; ids already there are skipped) or stdout."""
    store = find_store(Path(data_dir))
    rows = [r for r in read_feedback(store) if is_thumbs_down(r)]
    drafts = [draft_case(r) for r in rows]
    cases = [c for c in drafts if c["question"]]
    existing: set[str] = set()
    if out is not None and out.is_file():
        for line in out.read_text(encoding="utf-8").splitlines():
            try:
                existing.add(json.loads(line)["id"])
            except (json.JSONDecodeError, KeyError, TypeError):
                continue
    fresh = [c for c in cases if c["id"] not in existing]
    lines = "".join(json.dumps(c, ensure_ascii=False) + "\n" for c in fresh)
    if out is None:
        sys.stdout.write(lines)
    else:
        out.parent.mkdir(parents=True, exist_ok=True)
        with out.open("a", encoding="utf-8") as fh:
            fh.write(lines)
    return ExportResult(len(fresh), len(cases) - len(fresh), len(drafts) - len(cases), store)
