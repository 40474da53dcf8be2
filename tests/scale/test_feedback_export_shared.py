"""`ragqa eval export-feedback` reads where the server wrote: the SQLite file, or the shared PostgreSQL database."""

from __future__ import annotations

import json
import time

import pytest

from ragqa.eval.dataset import load_questions
from ragqa.service.api.answer_log import AnswerLog
from ragqa.service.api.database import open_database
from ragqa.service.api.feedback import FeedbackStore
from ragqa.service.cli import main

pytestmark = pytest.mark.integration  # starts PostgreSQL


@pytest.fixture(params=["sqlite", "postgresql"])
def engine(request, tmp_path, monkeypatch):
    """(the feedback Database a server would write, the data folder the CLI is pointed at)."""
    data_dir = tmp_path / "data"
    monkeypatch.delenv("RAGQA_DATABASE_URL", raising=False)
    if request.param == "sqlite":
        return open_database(data_dir, "feedback"), data_dir
    url = request.getfixturevalue("postgres_url")
    monkeypatch.setenv("RAGQA_DATABASE_URL", url)  # what a replica and the operator's shell both have
    return open_database(tmp_path / "unused", "feedback", url), data_dir


def _entry(request_id: str, question: str, *, doc_id: str = "hr/leave", abstained: bool = False) -> dict:
    return {"request_id": request_id, "created_at": time.time(), "caller": "key:alice", "groups": ["hr"],
            "question": question, "standalone_question": question,
            "history": [{"role": "user", "content": "about Leeds"}, {"role": "assistant", "content": "  "}],
            "answer": "Not found." if abstained else "Staff get 25 days [1].", "abstained": abstained,
            "grounded": not abstained, "llm": "extractive", "index_version": "v1", "latency_ms": 7.0,
            "citations": [] if abstained else [{"ref": 1, "doc_id": doc_id, "chunk_id": "c1", "start": 0, "end": 5},
                                               {"ref": 2, "doc_id": doc_id, "chunk_id": "c2", "start": 5, "end": 9}]}


def test_export_reads_feedback_and_the_answer_log_on_either_engine(engine, tmp_path, capsys):
    db, data_dir = engine
    log = AnswerLog(db, days=30)  # the server's writer thread, as in production
    for entry in (_entry("r-leave", "How many days of leave?"), _entry("r-gap", "Is there a gym?", abstained=True),
                  _entry("r-changed", "Where do I park?", doc_id="parking")):
        log.record(entry)
    assert log.flush(timeout=10)
    feedback = FeedbackStore(db)
    feedback.add(request_id="r-leave", rating="down", comment=None, caller="key:alice")
    feedback.add(request_id="r-leave", rating="down", comment="Leeds has one more day", caller="key:alice")
    feedback.add(request_id="r-gap", rating="down", comment=None, caller="key:alice")
    feedback.add(request_id="r-changed", rating="down", comment="wrong car park", caller="key:alice")
    feedback.add(request_id="r-changed", rating="up", comment=None, caller="key:alice")  # changed their mind
    feedback.add(request_id="r-unlogged", rating="down", comment="log was off", caller="key:bob")

    out = tmp_path / "drafts.jsonl"
    assert main(["eval", "export-feedback", "--data-dir", str(data_dir), "--out", str(out)]) == 0
    err = capsys.readouterr().err
    assert "wrote 2 draft case(s) from " + db.where in err, err
    assert "1 thumbs-down without a recorded question skipped" in err
    cases = {c["id"]: c for c in map(json.loads, out.read_text(encoding="utf-8").splitlines())}
    assert set(cases) == {"fb-r-leave", "fb-r-gap"}
    leave = cases["fb-r-leave"]
    assert leave["question"] == "How many days of leave?" and leave["groups"] == ["hr"]
    assert leave["expected_sources"] == ["hr/leave"] and leave["history"] == [{"role": "user",
                                                                               "content": "about Leeds"}]
    assert leave["feedback"]["comment"] == "Leeds has one more day" and "25 days" in leave["feedback"]["answer"]
    assert "abstained" in cases["fb-r-gap"]["notes"] and cases["fb-r-gap"]["expected_sources"] == []
    assert all(q.draft for q in load_questions(out))  # valid lines of the documented format
    if db.dialect == "postgresql":
        assert not (data_dir / "feedback.sqlite").exists()  # nothing was read from (or made in) the data folder

    assert main(["eval", "export-feedback", "--data-dir", str(data_dir), "--out", str(out)]) == 0
    assert "2 already in the file" in capsys.readouterr().err
    assert len(out.read_text(encoding="utf-8").splitlines()) == 2


def test_an_unreachable_database_is_a_clear_error(tmp_path, monkeypatch, capsys):
    from tests.scale.services import free_port

    monkeypatch.setenv("RAGQA_DATABASE_URL", f"postgresql://ragqa:Sup3rSecret@127.0.0.1:{free_port()}/ragqa")
    assert main(["eval", "export-feedback", "--data-dir", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert "cannot reach the state database postgresql://ragqa:***@127.0.0.1" in err and "Sup3rSecret" not in err
    assert "Traceback" not in err
