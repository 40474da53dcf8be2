"""The answer log on both state engines: written through one process, reviewed, filtered and purged by another."""

from __future__ import annotations

import time

import pytest

from ragqa.service.api.answer_log import DAY_S, AnswerLog, AnswerStore
from ragqa.service.api.database import open_database
from ragqa.service.api.feedback import FeedbackStore
from ragqa.service.api.review import Visibility, feedback_with_answers
from ragqa.types import Article

pytestmark = pytest.mark.integration  # starts PostgreSQL

RESTRICTED = Article("hr/pay", "Pay", "hr/pay.md", "Bands run to 120,000. PAYCANARY", acl=("hr",))


@pytest.fixture(params=["sqlite", "postgresql"])
def opener(request, tmp_path):
    if request.param == "sqlite":
        return lambda: open_database(tmp_path / "data", "feedback")
    url = request.getfixturevalue("postgres_url")
    return lambda: open_database(tmp_path / "unused", "feedback", url)


def _entry(request_id: str, age_days: float = 0.0, *, abstained: bool = False) -> dict:
    return {"request_id": request_id, "created_at": time.time() - age_days * DAY_S, "caller": "key:a",
            "groups": ["hr"], "question": f"q {request_id}", "standalone_question": f"q {request_id}",
            "history": [], "answer": "It runs to 120,000 [1].", "abstained": abstained, "grounded": True,
            "llm": "extractive", "index_version": "v1", "latency_ms": 9.5,
            "citations": [] if abstained else [{"ref": 1, "doc_id": "hr/pay", "chunk_id": "c1", "start": 0,
                                                "end": len(RESTRICTED.text)}]}


def test_the_log_is_shared_reviewed_and_purged_on_either_engine(opener):
    writer = AnswerLog(opener(), days=30)
    writer.record(_entry("r-new"))
    assert writer.flush(timeout=10)
    AnswerStore(opener()).insert([_entry("r-old", age_days=40), _entry("r-gap", abstained=True)])
    AnswerStore(opener()).insert([_entry("r-new") | {"answer": "A later write."}])  # logged twice: the first stays
    FeedbackStore(opener()).add(request_id="r-new", rating="down", comment="outdated", caller="key:a")

    reader = AnswerStore(opener())
    assert [r["request_id"] for r in reader.rows()][-1] == "r-old"  # newest first
    assert {r["request_id"] for r in reader.rows()} == {"r-new", "r-old", "r-gap"}
    assert [r["request_id"] for r in reader.rows(abstained=True)] == ["r-gap"]
    assert reader.rows(request_ids=["r-new"])[0]["citations"][0]["doc_id"] == "hr/pay"
    assert reader.rows(request_ids=["r-new"])[0]["answer"] == "It runs to 120,000 [1]."

    def review(groups):
        (entry,) = feedback_with_answers(feedback=FeedbackStore(opener()), answers=reader,
                                         visibility=Visibility({"hr/pay": RESTRICTED}.get, groups))
        return entry

    assert review(frozenset())["answer_withheld"] and "PAYCANARY" not in str(review(frozenset()))
    assert "PAYCANARY" in review(frozenset({"hr"}))["citations"][0]["text"]

    assert AnswerLog(opener(), days=30).purge() == 1
    assert {r["request_id"] for r in reader.rows()} == {"r-new", "r-gap"}
    assert AnswerLog(opener(), days=0).purge() == 2 and reader.rows() == []
