"""`ragqa eval` end to end on a real index (mini corpus): reports, baseline, gate, and a broken retriever."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.eval.mini_corpus import QUESTIONS, write_questions

REPO = Path(__file__).resolve().parents[2]


def _results(out: Path) -> dict:
    return json.loads((out / "results.json").read_text(encoding="utf-8"))


def test_eval_writes_reports_and_passes_its_gate(eval_cli, mini_index, mini_questions, tmp_path, capsys):
    out = tmp_path / "out"
    code = eval_cli("--dataset", str(mini_questions), "--index", str(mini_index.index_dir), "--out", str(out),
                    "--fail-under", "ndcg@10=0.9", "--fail-under", "abstention_recall=0.9",
                    "--fail-over", "latency_p95_ms=60000")
    captured = capsys.readouterr()
    assert code == 0, captured.err
    assert {p.name for p in out.iterdir()} == {"results.json", "summary.md", "report.html"}
    data = _results(out)
    m = data["metrics"]
    assert m["recall@5"] == 1.0 and m["ndcg@10"] >= 0.9
    assert m["citation_recall"] >= 0.8 and m["key_fact_recall"] >= 0.8 and m["support_rate"] >= 0.8
    assert m["abstention_recall"] == 1.0
    assert 0 < m["latency_p50_ms"] <= m["latency_p95_ms"]
    assert data["meta"]["retrieval_mode"] == "hybrid" and data["meta"]["articles"] == 16
    by_id = {q["id"]: q for q in data["questions"]}
    assert set(by_id) == {q["id"] for q in QUESTIONS}
    restricted = by_id["m-07"]
    assert restricted["groups"] == ["security"] and restricted["retrieved"][0] == "security/incident-bridge"
    answered = by_id["m-04"]
    assert "Tunnelwise" in answered["answer"] and answered["citations"][0]["doc_id"] == "it/vpn"
    assert answered["sentences"] and all(s["offline"]["supported"] for s in answered["sentences"])
    assert all(g["passed"] for g in data["gates"])
    assert "ndcg@10" in captured.out and "report.html" in captured.out


def test_an_index_missing_the_articles_fails_the_gate(eval_cli, sample_index, mini_questions, tmp_path, capsys):
    # A real quality drop: the index holds other articles (the sample corpus), not the ones the questions expect.
    out = tmp_path / "broken"
    code = eval_cli("--dataset", str(mini_questions), "--index", str(sample_index.index_dir), "--out", str(out),
                    "--fail-under", "ndcg@10=0.9", "--fail-under", "mrr@10=0.8")
    err = capsys.readouterr().err
    assert code == 3
    assert "quality gate failed: ndcg@10 = " in err and "is below the required 0.9" in err
    assert "quality gate failed: mrr@10 = " in err
    data = _results(out)
    assert data["metrics"]["ndcg@10"] < 0.6
    assert "Quality gate: FAILED" in (out / "report.html").read_text(encoding="utf-8")


def test_baseline_shows_every_change(eval_cli, mini_index, mini_questions, tmp_path):
    baseline = tmp_path / "previous.json"
    baseline.write_text(json.dumps({"metrics": {"ndcg@10": 0.5, "key_fact_recall": 1.0}}), encoding="utf-8")
    out = tmp_path / "out"
    code = eval_cli("--dataset", str(mini_questions), "--index", str(mini_index.index_dir), "--out", str(out),
                    "--baseline", str(baseline), "--limit", "3")
    assert code == 0
    data = _results(out)
    assert data["meta"]["questions"] == 3
    change = data["baseline"]["ndcg@10"]
    assert change["baseline"] == 0.5 and change["delta"] == pytest.approx(data["metrics"]["ndcg@10"] - 0.5)
    assert data["baseline"]["citation_recall"]["baseline"] is None  # not in the baseline: shown, no change
    assert "| baseline | change |" in (out / "summary.md").read_text(encoding="utf-8")


def test_drafts_are_skipped(eval_cli, mini_index, tmp_path):
    draft = {"id": "fb-1", "question": "Why was my answer wrong?", "answerable": True, "expected_sources": [],
             "draft": True}
    questions = write_questions(tmp_path / "q.jsonl", [*QUESTIONS[:2], draft])
    out = tmp_path / "out"
    assert eval_cli("--dataset", str(questions), "--index", str(mini_index.index_dir), "--out", str(out)) == 0
    data = _results(out)
    assert data["meta"]["drafts_skipped"] == 1 and len(data["questions"]) == 2


@pytest.mark.parametrize(("argv", "message"), [
    (["--fail-under", "ndgc@10=0.8"], "unknown metric 'ndgc@10'"),
    (["--fail-under", "ndcg@10"], "should look like METRIC=VALUE"),
    (["--baseline", "/nonexistent/results.json"], "baseline /nonexistent/results.json does not exist"),
    (["--dataset", "/nonexistent/q.jsonl"], "questions file /nonexistent/q.jsonl does not exist"),
    (["--limit", "0"], "--limit must be at least 1"),
    (["--dataset", "x.jsonl", "--beir", "y"], "either --dataset"),
])
def test_usage_errors_are_one_clear_line(eval_cli, mini_index, mini_questions, argv, message, capsys):
    argv = ["--index", str(mini_index.index_dir), *argv]
    if "--dataset" not in argv and "--beir" not in argv:
        argv += ["--dataset", str(mini_questions)]
    assert eval_cli(*argv) == 2
    err = capsys.readouterr().err
    assert err.startswith("ragqa: error: ") and message in err and "Traceback" not in err


def test_missing_index_says_how_to_build_one(eval_cli, mini_questions, tmp_path, capsys):
    assert eval_cli("--dataset", str(mini_questions), "--index", str(tmp_path / "none")) == 2
    assert "ragqa ingest" in capsys.readouterr().err


def test_ingest_option_builds_the_index_first(eval_cli, tmp_path, embedder):
    from tests.eval.mini_corpus import write_corpus

    corpus = write_corpus(tmp_path / "corpus")
    questions = write_questions(tmp_path / "q.jsonl", QUESTIONS[:2])
    out = tmp_path / "out"
    code = eval_cli("--ingest", str(corpus), "--index", str(tmp_path / "index"), "--dataset", str(questions),
                    "--out", str(out))
    assert code == 0 and _results(out)["meta"]["articles"] == 16


@pytest.mark.integration
def test_cli_exit_code_three_in_a_real_process(sample_index, tmp_path):
    """What CI runs: the installed command, an index without the expected articles, a gate; exit status 3."""
    questions = write_questions(tmp_path / "q.jsonl")
    env = os.environ | {"HF_HUB_OFFLINE": "1"}
    proc = subprocess.run(
        [sys.executable, "-m", "ragqa.service.cli", "eval", "--dataset", str(questions), "--index",
         str(sample_index.index_dir), "--out", str(tmp_path / "out"), "--fail-under", "ndcg@10=0.9"],
        cwd=REPO, env=env, capture_output=True, text=True, timeout=300,
    )
    assert proc.returncode == 3, proc.stderr[-2000:]
    assert "quality gate failed: ndcg@10" in proc.stderr and "Traceback" not in proc.stderr


def test_unreachable_backend_stops_the_run_with_the_cause(eval_cli, mini_index, mini_questions, monkeypatch, capsys):
    """A backend that cannot answer (nothing listens on port 9) is reported once, not scored as 0 everywhere."""
    monkeypatch.setenv("RAGQA_OPENAI_BASE_URL", "http://127.0.0.1:9/v1")
    monkeypatch.setenv("RAGQA_OPENAI_API_KEY", "test-key")
    monkeypatch.setenv("RAGQA_LLM_MAX_RETRIES", "0")
    monkeypatch.setenv("RAGQA_LLM_TIMEOUT_S", "2")
    code = eval_cli("--dataset", str(mini_questions), "--index", str(mini_index.index_dir), "--llm", "openai")
    err = capsys.readouterr().err
    assert code == 2 and "the answer backend failed: openai backend at http://127.0.0.1:9/v1" in err
