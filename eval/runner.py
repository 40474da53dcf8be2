"""Runs evaluation questions through the real pipeline and scores every answer; one run = one EvalRun."""

from __future__ import annotations

import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime

from ragqa.eval.dataset import Question
from ragqa.eval.grounding_judge import OfflineSupportJudge, SupportJudge, judge_sentences
from ragqa.eval.metrics import (
    RANK_DEPTH,
    by_type,
    citation_scores,
    dedupe,
    key_facts_found,
    retrieval_scores,
    summarise,
)

# A run whose first questions all fail is not an evaluation: stop and show the cause.
ABORT_AFTER_ERRORS = 3


class EvalAborted(RuntimeError):
    """The pipeline failed on every question tried; the message carries the first error."""


@dataclass
class EvalRun:
    meta: dict
    metrics: dict[str, float | None]
    by_type: dict[str, dict]
    questions: list[dict]
    baseline: dict = field(default_factory=dict)  # filled by report.compare when --baseline is given
    gates: list[dict] = field(default_factory=list)  # filled by the quality gate

    def as_dict(self) -> dict:
        return {"meta": self.meta, "metrics": self.metrics, "by_type": self.by_type, "baseline": self.baseline,
                "gates": self.gates, "questions": self.questions}


def evaluate(questions: Sequence[Question], *, service, embedder=None, llm: str | None = None,
             judge: SupportJudge | None = None, retrieval_only: bool = False, depth: int = RANK_DEPTH,
             meta: dict | None = None, progress: Callable[[str], None] | None = None) -> EvalRun:
    """Ask every question; `service` needs `.search(q, k=, groups=)` and, unless retrieval_only, `.answer(...)`."""
    offline = None if retrieval_only else OfflineSupportJudge(embedder or service.embedder)
    started = time.perf_counter()
    started_at = datetime.now(UTC).isoformat(timespec="seconds")
    if not retrieval_only and questions:  # load lazily built parts (model, caches) outside the timed runs
        service.answer(questions[0].question, groups=questions[0].groups, llm=llm)
    records: list[dict] = []
    errors = 0
    for number, question in enumerate(questions, start=1):
        record = _base_record(question)
        try:
            _retrieve(record, question, service, depth, timed=retrieval_only)
            if not retrieval_only:
                _answer(record, question, service, llm, offline, judge)
        except Exception as exc:  # one failing question must not hide the others' results
            errors += 1
            record["error"] = f"{type(exc).__name__}: {exc}"
            if errors == number >= ABORT_AFTER_ERRORS:
                raise EvalAborted(f"the pipeline failed on the first {errors} questions: {record['error']}") from exc
        records.append(record)
        if progress:
            progress(f"[{number}/{len(questions)}] {question.id} {_status(record)}")
    _score_retrieval(records, questions, depth)
    for record in records:
        record["failures"], record["warnings"] = diagnose(record, retrieval_only)
        record["passed"] = not record["failures"]
    run_meta = {
        "started_at": started_at, "duration_s": round(time.perf_counter() - started, 2),
        "questions": len(records), "errors": errors, "mode": "retrieval" if retrieval_only else "answer",
        "llm": llm, "depth": depth, "offline_judge": None if retrieval_only else offline.name,
        "judge": judge.name if judge else None,
    } | (meta or {})
    return EvalRun(meta=run_meta, metrics=summarise(records), by_type=by_type(records), questions=records)


def _base_record(q: Question) -> dict:
    record = {"id": q.id, "type": q.type, "question": q.question,
            "groups": sorted(q.groups) if q.groups is not None else None, "answerable": q.answerable,
            "expected_sources": list(q.expected_sources), "key_facts": list(q.key_facts),
            "reference_answer": q.reference_answer}
    if q.history:
        record["history"] = [{"role": r, "content": c} for r, c in q.history]
    return record


def _turns(q: Question) -> list:
    from ragqa.service.models import Turn

    return [Turn(role=role, content=content) for role, content in q.history]


def _standalone(q: Question) -> str:
    """What the pipeline retrieves for: a follow-up made standalone from its history (service/condense.py)."""
    if not q.history:
        return q.question
    from ragqa.service.condense import condense

    return condense(q.question, _turns(q))[0]


def _retrieve(record: dict, q: Question, service, depth: int, timed: bool) -> None:
    t = time.perf_counter()
    hits = service.search(_standalone(q), k=depth, groups=q.groups)
    elapsed = (time.perf_counter() - t) * 1000
    record["retrieved"] = dedupe(h.doc_id for h in hits)[:depth]
    if timed:
        record["latency_ms"] = round(elapsed, 2)


def _answer(record: dict, q: Question, service, llm: str | None, offline: SupportJudge,
            judge: SupportJudge | None) -> None:
    t = time.perf_counter()
    answer = service.answer(q.question, history=_turns(q), groups=q.groups, llm=llm)
    record["latency_ms"] = round((time.perf_counter() - t) * 1000, 2)
    record |= {
        "answer": answer.answer, "abstained": answer.abstained,
        "standalone_question": getattr(answer, "standalone_question", ""), "grounded": answer.grounded,
        "grounding_score": answer.grounding.score, "timings_ms": answer.timings_ms,
        "citations": [{"ref": c.ref, "doc_id": c.doc_id, "title": c.title, "chunk_id": c.chunk_id,
                       "score": c.score} for c in answer.citations],
    }
    sentences = [{"text": s.text, "refs": list(s.refs), "pipeline": {"supported": s.supported, "score": s.score}}
                 for s in answer.grounding.sentences]
    passages = {c.ref: c.text for c in answer.citations}
    for name, chosen in (("offline", offline), ("judge", judge)):
        verdicts = judge_sentences(chosen, sentences, passages) if chosen else [None] * len(sentences)
        for sentence, verdict in zip(sentences, verdicts, strict=True):
            sentence[name] = verdict
    record["sentences"] = sentences
    cited = [c.doc_id for c in answer.citations]
    if q.answerable:
        record["citation_precision"], record["citation_recall"] = citation_scores(cited, q.expected_sources)
        found = key_facts_found(answer.answer, q.key_facts) if not answer.abstained else [False] * len(q.key_facts)
        record["key_facts_found"] = found
        record["correct"] = not answer.abstained and all(found) and record["citation_recall"] > 0
    else:
        record["correct"] = answer.abstained


def _score_retrieval(records: list[dict], questions: Sequence[Question], depth: int) -> None:
    grades = {q.id: q.grades for q in questions if q.answerable and q.grades}
    rankings = {r["id"]: r.get("retrieved", []) for r in records}
    scores = retrieval_scores(grades, rankings, depth)
    for record in records:
        if record["id"] in scores:
            record["retrieval"] = {k: round(v, 4) for k, v in scores[record["id"]].items()}


def diagnose(r: dict, retrieval_only: bool = False) -> tuple[list[str], list[str]]:
    """Why a question failed (failures) and what is merely off (warnings), in words for the reports."""
    failures: list[str] = []
    warnings: list[str] = []
    if r.get("error"):
        return [f"pipeline error: {r['error']}"], []
    expected = r["expected_sources"]
    if r["answerable"] and expected and "retrieved" in r:
        missing = [d for d in expected if d not in r["retrieved"][:RANK_DEPTH]]
        if len(missing) == len(expected):
            failures.append(f"no expected source among the top {RANK_DEPTH} documents")
        elif missing:
            warnings.append(f"not among the top {RANK_DEPTH} documents: {', '.join(missing)}")
    if retrieval_only:
        return failures, warnings
    if r["answerable"] and r["abstained"]:
        failures.append("abstained although the articles answer it")
    if not r["answerable"] and not r["abstained"]:
        failures.append("answered a question the articles do not answer")
    if r["answerable"] and not r["abstained"]:
        cited = {c["doc_id"] for c in r["citations"]}
        missed = [d for d in expected if d not in cited]
        if missed:
            failures.append(f"did not cite {', '.join(missed)}")
        extra = sorted(cited - set(expected))
        if extra:
            warnings.append(f"also cited {', '.join(extra)}")
        missing = [f for f, ok in zip(r["key_facts"], r["key_facts_found"], strict=True) if not ok]
        if missing:
            failures.append(f"key facts missing: {'; '.join(missing)}")
    for name, label in (("offline", "offline scorer"), ("judge", "LLM judge")):
        unsupported = [s for s in r.get("sentences", []) if s.get(name) and s[name]["supported"] is False]
        if unsupported:
            failures.append(f"{len(unsupported)} sentence(s) not supported by their citations ({label})")
    return failures, warnings


def _status(record: dict) -> str:
    if record.get("error"):
        return f"error: {record['error']}"
    state = "abstained" if record.get("abstained") else "answered" if "abstained" in record else "retrieved"
    return f"{state} in {record.get('latency_ms', 0):.0f} ms"


def print_progress(line: str) -> None:
    print(line, file=sys.stderr, flush=True)
