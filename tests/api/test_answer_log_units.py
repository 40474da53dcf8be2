"""The answer log's store and writer, the review's visibility rules and the feedback export, without a server."""

from __future__ import annotations

import json
import logging
import time

from ragqa.service.api.answer_log import DAY_S, AnswerLog, AnswerStore, entry_for
from ragqa.service.api.feedback import FeedbackStore
from ragqa.service.api.review import WITHHELD, Visibility, day_window, feedback_with_answers
from ragqa.service.models import Answer, Citation, Grounding, Turn
from ragqa.types import Article

SECRET = "The merger closes on 3 March. SECRETWORD991."
ARTICLES = {
    "hr/merger": Article("hr/merger", "Merger plan", "hr/merger.md", SECRET, acl=("hr",)),
    "canteen": Article("canteen", "Canteen", "canteen.md", "The canteen opens at 7:30 on weekdays."),
}


def _answer(request_id: str, doc_id: str, text: str, *, abstained: bool = False) -> Answer:
    article = ARTICLES[doc_id]
    citations = [] if abstained else [Citation(ref=1, doc_id=doc_id, title=article.title, source=article.source,
                                               chunk_id=f"{doc_id}#0", text=article.text, start=0,
                                               end=len(article.text), score=0.9)]
    return Answer(answer=text, abstained=abstained, citations=citations, grounding=Grounding(score=1.0),
                  timings_ms={"total": 12.5}, request_id=request_id, llm="extractive", index_version="v1")


def _entry(request_id, doc_id, text, *, groups=("hr",), caller="key:alice", age_days=0.0, **kw):
    entry = entry_for(_answer(request_id, doc_id, text, **kw), caller=caller, groups=frozenset(groups),
                      question=f"question of {request_id}", history=[Turn(role="user", content="earlier turn")])
    entry["created_at"] = time.time() - age_days * DAY_S
    return entry


def test_the_log_keeps_ids_and_offsets_never_passages(tmp_path):
    AnswerStore(tmp_path).insert([_entry("r1", "hr/merger", "It closes on 3 March [1].")])
    (row,) = AnswerStore(tmp_path).rows()
    assert row["citations"] == [{"ref": 1, "doc_id": "hr/merger", "chunk_id": "hr/merger#0", "start": 0,
                                 "end": len(SECRET)}]
    assert row["groups"] == ["hr"] and row["caller"] == "key:alice" and row["latency_ms"] == 12.5
    assert row["history"] == [{"role": "user", "content": "earlier turn"}]
    assert "SECRETWORD991" not in AnswerStore(tmp_path).path.read_bytes().decode("utf-8", "replace")


def test_rows_by_more_ids_than_one_query_holds_come_newest_first_within_the_limit(tmp_path):
    store = AnswerStore(tmp_path)
    entries = [_entry(f"r{i:04}", "canteen", "7:30 [1].", age_days=(2000 - i) / 1000) for i in range(2000)]
    store.insert(entries)
    ids = [e["request_id"] for e in entries]  # oldest first: the newest ones sit in the last slice
    newest = store.rows(request_ids=ids, limit=5)
    assert [r["request_id"] for r in newest] == ["r1999", "r1998", "r1997", "r1996", "r1995"]
    assert len(store.rows(request_ids=ids)) == 2000


def test_logging_off_stores_nothing(tmp_path):
    answer_log = AnswerLog(tmp_path, days=0)
    answer_log.record(_entry("r1", "canteen", "7:30 [1]."))
    assert answer_log.flush(timeout=1)
    assert not answer_log.enabled and not any(tmp_path.iterdir())
    assert answer_log.caller_of("r1") is None


def test_rows_past_the_retention_are_purged(tmp_path):
    store = AnswerStore(tmp_path)
    store.insert([_entry("old", "canteen", "a", age_days=31), _entry("edge", "canteen", "b", age_days=29.9),
                  _entry("new", "canteen", "c")])
    assert AnswerLog(tmp_path, days=30).purge() == 1
    assert {r["request_id"] for r in store.rows()} == {"edge", "new"}
    # Turned off (0 days), the log drops everything it held.
    assert AnswerLog(tmp_path, days=0).purge() == 2 and store.rows() == []


def test_the_writer_thread_logs_in_the_background_and_a_failure_is_only_a_warning(tmp_path, caplog):
    answer_log = AnswerLog(tmp_path / "data", days=30)
    answer_log.record(_entry("r1", "canteen", "7:30 [1]."))
    assert answer_log.caller_of("r1") == "key:alice"  # known at once, before the row is written
    assert answer_log.flush(timeout=5)
    assert [r["request_id"] for r in answer_log.store.rows()] == ["r1"]

    blocked = tmp_path / "not-a-folder"
    blocked.write_text("a file where the data folder should be")
    broken = AnswerLog(blocked, days=30)
    with caplog.at_level(logging.WARNING, logger="ragqa.answer_log"):
        broken.record(_entry("r2", "canteen", "x"))  # must not raise
        assert broken.flush(timeout=5)
    assert any("could not write 1 answer(s)" in r.getMessage() for r in caplog.records), caplog.text


def test_flush_returns_only_after_the_purge_that_follows_a_batch(tmp_path):
    """A row written after flush() must not be caught by the writer's hourly purge still running (a race CI hit)."""
    answer_log = AnswerLog(tmp_path / "data", days=30)
    purge = answer_log.store.purge
    answer_log.store.purge = lambda older_than: (time.sleep(0.3), purge(older_than))[1]  # a slow database
    answer_log.record(_entry("r1", "canteen", "7:30 [1]."))
    assert answer_log.flush(timeout=5)
    answer_log.store.insert([_entry("r-old", "canteen", "a", age_days=40)])  # e.g. imported after the flush
    time.sleep(0.4)
    assert {r["request_id"] for r in answer_log.store.rows()} == {"r1", "r-old"}


def test_a_review_read_right_after_an_answer_finds_it(tmp_path):
    """The writer gathers entries for a moment before writing: a review read straight after an answer (and its
    feedback) waits for it instead of reporting it missing from the log."""
    answer_log = AnswerLog(tmp_path / "data", days=30)
    answer_log.record(_entry("r1", "canteen", "7:30 [1]."))  # the writer holds it back for _BATCH_WAIT_S
    assert [r["request_id"] for r in answer_log.written().rows(request_ids=["r1"])] == ["r1"]


def test_review_withholds_what_the_reader_may_not_read(tmp_path):
    AnswerStore(tmp_path).insert([_entry("r-hr", "hr/merger", "It closes on 3 March, SECRETWORD991 [1]."),
                                  _entry("r-pub", "canteen", "It opens at 7:30 [1].", groups=())])
    feedback = FeedbackStore(tmp_path)
    for request_id in ("r-hr", "r-pub"):
        feedback.add(request_id=request_id, rating="down", comment=None, caller="key:alice")
    feedback.add(request_id="r-hr", rating="down", comment="wrong date", caller="key:alice")  # the widget's 2nd post

    def review(groups):
        return {r["request_id"]: r for r in feedback_with_answers(
            feedback=feedback, answers=AnswerStore(tmp_path), visibility=Visibility(ARTICLES.get, groups))}

    outsider = review(frozenset())
    assert len(outsider) == 2 and outsider["r-hr"]["comment"] == "wrong date"
    assert outsider["r-hr"]["answer"] == WITHHELD and outsider["r-hr"]["citations"] == [{"ref": 1, "restricted": True}]
    assert "SECRETWORD991" not in json.dumps(outsider) and "Merger plan" not in json.dumps(outsider)
    assert outsider["r-pub"]["citations"][0]["text"] == ARTICLES["canteen"].text  # public: shown
    insider = review(frozenset({"hr"}))
    assert "SECRETWORD991" in insider["r-hr"]["answer"] and insider["r-hr"]["citations"][0]["text"] == SECRET
    assert review(None)["r-hr"]["citations"][0]["title"] == "Merger plan"  # the local operator


def test_insights_count_each_callers_latest_rating_in_the_totals_and_the_thumbs_down_list_alike(tmp_path):
    from ragqa.service.api.insights import build_insights

    AnswerStore(tmp_path).insert([_entry("r1", "canteen", "7:30 [1].", groups=()),
                                  _entry("r2", "canteen", "noon [1].", groups=())])
    feedback = FeedbackStore(tmp_path)
    feedback.add(request_id="r1", rating="down", comment=None, caller="key:alice")
    feedback.add(request_id="r1", rating="up", comment=None, caller="key:alice")  # she changed her mind
    feedback.add(request_id="r2", rating="down", comment="too vague", caller="key:bob")
    data = build_insights(answers=AnswerStore(tmp_path), feedback=feedback,
                          visibility=Visibility(ARTICLES.get, None), embedder=None)
    assert (data["totals"]["thumbs_up"], data["totals"]["thumbs_down"]) == (1, 1)
    assert [r["request_id"] for r in data["thumbs_down"]] == ["r2"]
    assert data["thumbs_down"][0]["comment"] == "too vague" and data["thumbs_down"][0]["logged"]


def test_day_window_is_inclusive_and_says_what_is_wrong():
    window = day_window("2026-01-01", "2026-01-01")
    assert window["until"] - window["since"] == DAY_S
    for bad in ("2026-13-01", "yesterday"):
        try:
            day_window(bad, None)
        except ValueError as exc:
            assert "YYYY-MM-DD" in str(exc)
        else:
            raise AssertionError(f"{bad} accepted")


def test_export_feedback_makes_one_case_per_disliked_answer(tmp_path, monkeypatch, capsys):
    from ragqa.service.cli import main

    AnswerStore(tmp_path).insert([_entry("r-hr", "hr/merger", "It closes on 3 March [1]."),
                                  _entry("r-anon", "canteen", "Not found.", groups=(), abstained=True)])
    feedback = FeedbackStore(tmp_path)
    feedback.add(request_id="r-hr", rating="down", comment=None, caller="key:alice")
    feedback.add(request_id="r-hr", rating="down", comment="it is April now", caller="key:alice")
    feedback.add(request_id="r-anon", rating="down", comment=None, caller="anonymous:127.0.0.1")
    out = tmp_path / "drafts.jsonl"
    assert main(["eval", "export-feedback", "--data-dir", str(tmp_path), "--out", str(out)]) == 0
    cases = {c["id"]: c for c in map(json.loads, out.read_text(encoding="utf-8").splitlines())}
    assert set(cases) == {"fb-r-hr", "fb-r-anon"}
    hr = cases["fb-r-hr"]
    assert hr["question"] == "question of r-hr" and hr["groups"] == ["hr"] and hr["expected_sources"] == ["hr/merger"]
    assert hr["history"] == [{"role": "user", "content": "earlier turn"}]
    assert hr["feedback"]["comment"] == "it is April now"
    anon = cases["fb-r-anon"]
    assert anon["groups"] == [] and "abstained" in anon["notes"]  # a public reader, not an unrestricted one
