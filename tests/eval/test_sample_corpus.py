"""The real evaluation set over corpus/: the gate that CI uses holds, and a random retriever fails it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from ragqa.eval.dataset import load_questions

QUESTIONS = Path(__file__).resolve().parents[2] / "eval" / "questions.jsonl"
pytestmark = pytest.mark.skipif(not QUESTIONS.is_file(), reason="eval/questions.jsonl is not there yet")


@pytest.fixture(scope="module")
def subset(tmp_path_factory):
    """A few questions of each type keep this quick; the whole set runs in CI through `ragqa eval`."""
    lines = [json.loads(line) for line in QUESTIONS.read_text(encoding="utf-8").splitlines() if line.strip()]
    picked, per_type = [], {}
    for raw in lines:
        if per_type.get(raw.get("type"), 0) < 2:
            per_type[raw.get("type")] = per_type.get(raw.get("type"), 0) + 1
            picked.append(raw)
    path = tmp_path_factory.mktemp("sample-q") / "subset.jsonl"
    path.write_text("".join(json.dumps(q) + "\n" for q in picked), encoding="utf-8")
    return path


def test_the_questions_file_is_valid_and_covers_every_type():
    questions = load_questions(QUESTIONS)
    assert len(questions) >= 60
    assert {q.type for q in questions} >= {"single", "multi", "paraphrase", "numeric", "changed", "unanswerable"}
    assert sum(not q.answerable for q in questions) >= 10


def test_expected_sources_exist_in_the_index(sample_index):
    from ragqa.index.reader import open_current

    version = open_current(sample_index.index_dir)
    doc_ids = {a.doc_id for a in version.articles()}
    missing = {s for q in load_questions(QUESTIONS) for s in q.expected_sources} - doc_ids
    assert not missing, f"expected sources not in corpus/: {sorted(missing)}"


@pytest.mark.slow
def test_gate_holds_on_the_right_index_and_fails_on_a_wrong_one(eval_cli, sample_index, mini_index, subset, tmp_path,
                                                                capsys):
    gate = ("--fail-under", "ndcg@10=0.75", "--fail-under", "recall@5=0.8")
    out = tmp_path / "hybrid"
    assert eval_cli("--dataset", str(subset), "--index", str(sample_index.index_dir), "--out", str(out), *gate) == 0
    hybrid = json.loads((out / "results.json").read_text(encoding="utf-8"))["metrics"]

    out = tmp_path / "wrong-index"  # another corpus's index: none of the expected articles is there
    assert eval_cli("--dataset", str(subset), "--index", str(mini_index.index_dir), "--out", str(out), *gate) == 3
    assert "quality gate failed: ndcg@10" in capsys.readouterr().err
    broken = json.loads((out / "results.json").read_text(encoding="utf-8"))["metrics"]
    assert broken["ndcg@10"] < hybrid["ndcg@10"] - 0.3
