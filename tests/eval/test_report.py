"""Reports from a hand-made run: JSON detail, Markdown summary, self-contained HTML with charts; baselines."""

from __future__ import annotations

import json

import lxml.html
import pytest

from ragqa.eval.report import BaselineError, compare, load_baseline, markdown, write_reports
from ragqa.eval.runner import EvalRun, diagnose

HOSTILE = "<script>alert('x')</script>"


def _question(qid, **values):
    base = {"id": qid, "type": "single", "question": f"Question {qid}?", "groups": None, "answerable": True,
            "expected_sources": ["it/vpn"], "key_facts": ["Tunnelwise"], "reference_answer": "Tunnelwise.",
            "retrieved": ["it/vpn", "it/wifi"], "latency_ms": 40.0, "answer": "The client is Tunnelwise [1].",
            "abstained": False, "citations": [{"ref": 1, "doc_id": "it/vpn", "title": "VPN", "chunk_id": "it/vpn#0",
                                               "score": 0.9}],
            "sentences": [], "key_facts_found": [True], "citation_precision": 1.0, "citation_recall": 1.0,
            "retrieval": {"ndcg@10": 1.0}}
    record = base | values
    record["failures"], record["warnings"] = diagnose(record)
    record["passed"] = not record["failures"]
    return record


@pytest.fixture
def run():
    questions = [
        _question("q1"),
        _question("q2", question=f"Is {HOSTILE} allowed?", answer=f"Yes {HOSTILE} [1].", latency_ms=900.0,
                  citations=[{"ref": 1, "doc_id": "it/wifi", "title": "Wifi", "chunk_id": "it/wifi#0", "score": 0.5}],
                  key_facts_found=[False], citation_precision=0.0, citation_recall=0.0),
        _question("q3", type="unanswerable", answerable=False, expected_sources=[], key_facts=[],
                  key_facts_found=[], abstained=True, answer="I could not find that.", citations=[]),
    ]
    metrics = {"ndcg@10": 0.8, "citation_recall": 0.5, "key_fact_recall": 0.5, "abstention_recall": 1.0,
               "latency_p50_ms": 40.0, "latency_p95_ms": 814.0}
    return EvalRun(meta={"dataset": "eval/questions.jsonl", "questions": 3, "mode": "answer", "llm": "extractive",
                         "duration_s": 1.0, "started_at": "2026-01-01T00:00:00+00:00"},
                   metrics=metrics, by_type={"single": {"questions": 2, "key_fact_recall": 0.5}},
                   questions=questions)


def test_failures_are_diagnosed_in_words(run):
    q2 = run.questions[1]
    assert "did not cite it/vpn" in q2["failures"] and "key facts missing: Tunnelwise" in q2["failures"]
    assert q2["warnings"] == ["also cited it/wifi"]
    assert run.questions[0]["passed"] and run.questions[2]["passed"]


def test_three_reports_written(run, tmp_path):
    run.baseline = compare(run.metrics, {"ndcg@10": 0.9, "citation_recall": 0.25, "latency_p95_ms": 700.0})
    run.gates = [{"passed": False, "message": "ndcg@10 = 0.8 is below the required 0.85"}]
    paths = write_reports(run, tmp_path / "out")
    data = json.loads(paths["json"].read_text(encoding="utf-8"))
    assert [q["id"] for q in data["questions"]] == ["q1", "q2", "q3"]
    assert data["baseline"]["ndcg@10"]["delta"] == pytest.approx(-0.1)
    assert data["questions"][1]["answer"] == f"Yes {HOSTILE} [1]."  # JSON keeps the text as it was

    md = paths["markdown"].read_text(encoding="utf-8")
    assert "| ndcg@10 | 0.800 | 0.900 | -0.100 |" in md
    assert "| latency_p95_ms | 814 | 700 | +114 |" in md
    assert "**Quality gate: FAILED**" in md and "## Failures (1 of 3)" in md

    page = paths["html"].read_text(encoding="utf-8")
    assert HOSTILE not in page and "&lt;script&gt;" in page  # escaped, never executed
    doc = lxml.html.fromstring(page)
    assert not doc.xpath("//script") and not doc.xpath("//link") and not doc.xpath("//img")  # self-contained
    bars = doc.xpath("//*[local-name()='svg'][@aria-label='metric bars']/*[local-name()='rect']")
    assert len(bars) == 4  # the 0..1 metrics; latencies are charted separately
    histogram = doc.xpath("//*[local-name()='svg'][@aria-label='latency histogram']")
    assert histogram and "p95 814 ms" in histogram[0].text_content()
    failures_table = doc.xpath("//h2[starts-with(., 'Failures')]/following-sibling::table[1]")[0]
    text = failures_table.text_content()
    assert "q2" in text and "did not cite it/vpn" in text and "it/wifi" in text and "Tunnelwise" in text
    assert "q1" not in [td.text for td in failures_table.xpath(".//td")]
    assert doc.xpath("//td[contains(@class, 'down')]")  # the worse nDCG is marked as a regression


def test_markdown_without_baseline_has_no_change_column(run):
    assert "| metric | value | meaning |" in markdown(run)


def test_baseline_files(tmp_path, run):
    results = tmp_path / "results.json"
    results.write_text(json.dumps(run.as_dict()), encoding="utf-8")
    assert load_baseline(results)["ndcg@10"] == 0.8
    flat = tmp_path / "flat.json"
    flat.write_text(json.dumps({"mrr@10": 0.7, "unrelated": 3}), encoding="utf-8")
    assert load_baseline(flat) == {"mrr@10": 0.7}
    with pytest.raises(BaselineError, match="does not exist"):
        load_baseline(tmp_path / "nope.json")
    bad = tmp_path / "bad.json"
    bad.write_text("not json", encoding="utf-8")
    with pytest.raises(BaselineError, match="is not JSON"):
        load_baseline(bad)
    bad.write_text(json.dumps({"metrics": {"other": 1}}), encoding="utf-8")
    with pytest.raises(BaselineError, match="none of the known metrics"):
        load_baseline(bad)


def test_compare_reports_metrics_missing_on_either_side():
    changes = compare({"ndcg@10": 0.5, "mrr@10": None}, {"mrr@10": 0.4, "recall@5": 0.9})
    assert changes["ndcg@10"] == {"current": 0.5, "baseline": None, "delta": None}
    assert changes["recall@5"]["delta"] is None and changes["mrr@10"]["current"] is None
