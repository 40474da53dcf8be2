"""BEIR mode (a small BEIR-layout folder written here) and exporting thumbs-down feedback as draft cases."""

from __future__ import annotations

import json

import pytest

from ragqa.eval.dataset import load_questions
from tests.eval.mini_corpus import ARTICLES


@pytest.fixture
def beir_folder(tmp_path):
    """The mini corpus in BEIR layout: documents d0..d15, three queries, graded qrels with a header row."""
    folder = tmp_path / "mini-beir"
    (folder / "qrels").mkdir(parents=True)
    ids = {doc_id: f"d{i}" for i, doc_id in enumerate(ARTICLES)}
    (folder / "corpus.jsonl").write_text("".join(
        json.dumps({"_id": ids[d], "title": title, "text": body}) + "\n" for d, (title, _, body) in ARTICLES.items()))
    queries = {"q1": "how often is the coffee machine descaled", "q2": "VPN client name",
               "q3": "bicycle racks and e-bike charging", "q4": "a query without relevant documents"}
    (folder / "queries.jsonl").write_text("".join(json.dumps({"_id": k, "text": v}) + "\n" for k, v in queries.items()))
    qrels = [("q1", ids["kitchen/coffee-machine"], 2), ("q2", ids["it/vpn"], 1),
             ("q3", ids["facilities/bicycles"], 1), ("q3", ids["it/guest-wifi"], 0)]
    (folder / "qrels" / "test.tsv").write_text("query-id\tcorpus-id\tscore\n"
                                               + "".join(f"{q}\t{d}\t{s}\n" for q, d, s in qrels))
    return folder


def test_beir_mode_scores_retrieval_only(eval_cli, beir_folder, tmp_path, capsys):
    out = tmp_path / "out"
    code = eval_cli("--beir", str(beir_folder), "--index", str(tmp_path / "beir-index"), "--out", str(out),
                    "--fail-under", "ndcg@10=0.9", "--fail-under", "citation_recall=0.5")
    err = capsys.readouterr().err
    assert code == 3 and "citation_recall was not measured in this run" in err
    assert "quality gate failed: ndcg@10" not in err  # the retrieval gate passed
    data = json.loads((out / "results.json").read_text(encoding="utf-8"))
    assert data["meta"]["mode"] == "retrieval" and data["meta"]["documents"] == 16
    assert [q["id"] for q in data["questions"]] == ["q1", "q2", "q3"]  # q4 has no relevant document
    assert data["metrics"]["ndcg@10"] >= 0.9 and data["metrics"]["recall@100"] == 1.0
    assert "citation_precision" not in data["metrics"] and "answer" not in data["questions"][0]
    assert data["questions"][0]["latency_ms"] > 0
    assert "retrieval only" in (out / "report.html").read_text(encoding="utf-8")


def test_not_a_beir_folder(eval_cli, tmp_path, capsys):
    (tmp_path / "empty").mkdir()
    assert eval_cli("--beir", str(tmp_path / "empty")) == 2
    assert "corpus.jsonl is missing" in capsys.readouterr().err


def test_thumbs_down_become_draft_cases(eval_cli, tmp_path, capsys):
    from ragqa.service.api.answer_log import AnswerStore
    from ragqa.service.api.feedback import FeedbackStore

    data_dir = tmp_path / "data"
    store = FeedbackStore(data_dir)
    store.add(request_id="r-good", rating="up", comment=None, caller="key:abc")
    store.add(request_id="r-bad", rating="down", comment="It cited the 2023 policy", caller="key:abc")
    store.add(request_id="r-unlogged", rating="down", comment="no answer log for this one", caller="anonymous")
    citations = [{"ref": 1, "doc_id": "it/password-policy-2023", "chunk_id": "c1", "start": 0, "end": 9},
                 {"ref": 2, "doc_id": "it/mfa", "chunk_id": "c2", "start": 0, "end": 9},
                 {"ref": 3, "doc_id": "it/password-policy-2023", "chunk_id": "c3", "start": 9, "end": 20}]
    # The answer log the exporter joins on request_id (the API writes it beside the feedback).
    AnswerStore(data_dir).insert([{
        "request_id": "r-bad", "created_at": 0.0, "caller": "key:abc", "groups": ["staff"],
        "question": "How often must I change my password?", "standalone_question": None, "history": [],
        "answer": "Rotate your password every 90 days [1].", "citations": citations, "abstained": False,
        "grounded": True, "llm": "extractive", "index_version": "v1", "latency_ms": 5.0}])

    out = tmp_path / "drafts.jsonl"
    assert eval_cli("export-feedback", "--data-dir", str(data_dir), "--out", str(out)) == 0
    assert "wrote 1 draft case(s)" in (err := capsys.readouterr().err)
    assert "1 thumbs-down without a recorded question skipped" in err
    (case,) = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert case["id"] == "fb-r-bad" and case["draft"] is True
    assert case["question"] == "How often must I change my password?" and case["groups"] == ["staff"]
    assert case["expected_sources"] == ["it/password-policy-2023", "it/mfa"]  # to be confirmed by a person
    assert case["feedback"]["comment"] == "It cited the 2023 policy" and "90 days" in case["feedback"]["answer"]
    (question,) = load_questions(out)  # a valid line of the documented format
    assert question.draft

    assert eval_cli("export-feedback", "--data-dir", str(data_dir), "--out", str(out)) == 0
    assert "1 already in the file" in capsys.readouterr().err
    assert len(out.read_text(encoding="utf-8").splitlines()) == 1


def test_export_without_a_feedback_store(eval_cli, tmp_path, capsys):
    assert eval_cli("export-feedback", "--data-dir", str(tmp_path)) == 2
    assert "no feedback store under" in capsys.readouterr().err
