"""The questions format (validation messages name the line and the fix) and the quality gate."""

from __future__ import annotations

import json

import pytest

from ragqa.eval.dataset import DatasetError, load_questions
from ragqa.eval.gate import GateError, check_gates, parse_gate


def _write(tmp_path, *lines):
    path = tmp_path / "q.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


GOOD = {"id": "a-001", "question": "How long must a passphrase be?", "answerable": True,
        "expected_sources": ["it/password-and-mfa"], "key_facts": ["14 characters"],
        "reference_answer": "At least 14 characters.", "type": "single", "groups": None}


def test_loads_the_documented_format(tmp_path):
    restricted = GOOD | {"id": "a-002", "type": "restricted", "groups": ["hr", "managers"]}
    unanswerable = {"id": "a-003", "question": "Who is the dental insurer?", "answerable": False,
                    "expected_sources": [], "key_facts": [], "type": "unanswerable"}
    path = _write(tmp_path, json.dumps(GOOD), "", "// a comment line", json.dumps(restricted),
                  json.dumps(unanswerable))
    first, second, third = load_questions(path)
    assert first.expected_sources == ("it/password-and-mfa",) and first.groups is None
    assert first.grades == {"it/password-and-mfa": 1}
    assert second.groups == frozenset({"hr", "managers"})
    assert not third.answerable and third.type == "unanswerable"


@pytest.mark.parametrize(("line", "message"), [
    ("{not json", "q.jsonl:1: not valid JSON"),
    (json.dumps(GOOD | {"question": ""}), "'question' must be a non-empty string"),
    (json.dumps(GOOD | {"expected_sources": []}), "needs at least one entry in 'expected_sources'"),
    (json.dumps(GOOD | {"answerable": False}), "must have empty 'expected_sources'"),
    (json.dumps(GOOD | {"type": "tricky"}), "unknown type 'tricky'; use one of single"),
    (json.dumps(GOOD | {"key_facts": "14 characters"}), "'key_facts' must be a list"),
    (json.dumps(GOOD | {"answerable": "yes"}), "'answerable' must be true or false"),
])
def test_bad_lines_say_where_and_what_to_fix(tmp_path, line, message):
    with pytest.raises(DatasetError, match="q.jsonl:1") as err:
        load_questions(_write(tmp_path, line))
    assert message in str(err.value)


def test_duplicate_ids_missing_file_and_empty_file(tmp_path):
    with pytest.raises(DatasetError, match="q.jsonl:2: duplicate id 'a-001'"):
        load_questions(_write(tmp_path, json.dumps(GOOD), json.dumps(GOOD)))
    with pytest.raises(DatasetError, match="does not exist: pass --dataset"):
        load_questions(tmp_path / "missing.jsonl")
    with pytest.raises(DatasetError, match="holds no questions"):
        load_questions(_write(tmp_path, ""))


def test_drafts_may_lack_sources(tmp_path):
    draft = GOOD | {"id": "fb-1", "expected_sources": [], "draft": True, "feedback": {"comment": "wrong"}}
    (question,) = load_questions(_write(tmp_path, json.dumps(draft)))
    assert question.draft


def test_gate_passes_and_fails_with_a_message_per_gate():
    gates = [parse_gate("ndcg@10=0.8"), parse_gate("MRR@10 = 0.5"), parse_gate("latency_p95_ms=500", "over"),
             parse_gate("judge_support_rate=0.9")]
    results = check_gates(gates, {"ndcg@10": 0.75, "mrr@10": 0.5, "latency_p95_ms": 620.0})
    assert [r["passed"] for r in results] == [False, True, False, False]
    assert results[0]["message"] == "ndcg@10 = 0.75 is below the required 0.8 (--fail-under ndcg@10=0.8)"
    assert "latency_p95_ms = 620 is above the required 500" in results[2]["message"]
    assert "was not measured in this run" in results[3]["message"]


@pytest.mark.parametrize(("text", "message"), [
    ("ndcg@10", "should look like METRIC=VALUE"),
    ("ndgc@10=0.8", "unknown metric 'ndgc@10'.*known metrics: ndcg@10, mrr@10"),
    ("ndcg@10=high", "'high' is not a number"),
])
def test_malformed_gates(text, message):
    with pytest.raises(GateError, match=message):
        parse_gate(text)
