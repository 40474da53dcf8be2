"""Evaluation metrics: per-question scores and their aggregates. Pure functions over plain data."""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Metric:
    name: str
    description: str  # one line, shown in the README and the reports
    higher_is_better: bool = True
    unit: str = ""  # "" for a 0..1 share, "ms" for latencies


_METRICS = [
    Metric("ndcg@10", "nDCG@10 of the document ranking (passages deduplicated by doc_id) against expected_sources"),
    Metric("mrr@10", "mean reciprocal rank of the first expected source within the top 10 documents"),
    Metric("recall@1", "share of expected sources found as the top document"),
    Metric("recall@5", "share of expected sources among the top 5 documents (what the answerer reads by default)"),
    Metric("recall@10", "share of expected sources among the top 10 documents"),
    Metric("recall@100", "share of expected sources among the top 100 documents (BEIR mode)"),
    Metric("citation_precision", "share of cited passages that come from an expected source (answered questions)"),
    Metric("citation_recall", "share of expected sources the answer cites (answerable questions; abstaining scores 0)"),
    Metric("support_rate", "ALCE citation recall (offline scorer): share of sentences their citations support"),
    Metric("support_precision", "ALCE citation precision (offline scorer): share of citations their sentence needs"),
    Metric("judge_support_rate", "ALCE citation recall as judged by the configured LLM judge (--judge)"),
    Metric("judge_support_precision", "ALCE citation precision as judged by the configured LLM judge (--judge)"),
    Metric("pipeline_grounding", "mean grounding.score the pipeline itself reported for its answers"),
    Metric("key_fact_recall", "share of key facts found verbatim (ignoring case; a count also with its unit "
                              "qualified, '23 working days' for '23 days') in the answer (answerable questions)"),
    Metric("answer_correct", "share of answerable questions answered with every key fact and an expected source cited"),
    Metric("abstention_precision", "share of abstentions that were on unanswerable questions"),
    Metric("abstention_recall", "share of unanswerable questions on which the system abstained"),
    Metric("latency_p50_ms", "median time to answer one question, in ms (time to retrieve in BEIR mode)",
           higher_is_better=False, unit="ms"),
    Metric("latency_p95_ms", "95th-percentile time per question, in ms", higher_is_better=False, unit="ms"),
]
METRICS: dict[str, Metric] = {m.name: m for m in _METRICS}

RANK_DEPTH = 10  # documents scored by nDCG and MRR


# --- retrieval ---------------------------------------------------------------------------------------


def dedupe(doc_ids: Iterable[str]) -> list[str]:
    """Passage hits -> document ranking: a document ranks at its best passage."""
    return list(dict.fromkeys(doc_ids))


def recall_cutoffs(depth: int) -> list[int]:
    return [k for k in (1, 5, 10, 100) if k <= depth]


def retrieval_scores(grades: dict[str, dict[str, int]], rankings: dict[str, Sequence[str]],
                     depth: int = RANK_DEPTH) -> dict[str, dict[str, float]]:
    """Per query nDCG@10, MRR@10 and recall@k with trec_eval (pytrec_eval); unretrieved queries score 0."""
    import pytrec_eval

    ks = recall_cutoffs(depth)
    qrels = {q: g for q, g in grades.items() if any(v > 0 for v in g.values())}
    # trec_eval ranks by score: 1/rank keeps our order without ties.
    run = {q: {d: 1.0 / r for r, d in enumerate(rankings.get(q, ()), start=1)} for q in qrels}
    run = {q: docs for q, docs in run.items() if docs}
    measures = {"ndcg_cut_10", *(f"recall_{k}" for k in ks)}
    full = pytrec_eval.RelevanceEvaluator(qrels, measures).evaluate(run) if run else {}
    top = {q: {d: s for d, s in docs.items() if s >= 1.0 / RANK_DEPTH} for q, docs in run.items()}
    rr = pytrec_eval.RelevanceEvaluator(qrels, {"recip_rank"}).evaluate(top) if top else {}
    out: dict[str, dict[str, float]] = {}
    for q in qrels:
        values = full.get(q, {})
        out[q] = {"ndcg@10": values.get("ndcg_cut_10", 0.0), "mrr@10": rr.get(q, {}).get("recip_rank", 0.0)}
        out[q] |= {f"recall@{k}": values.get(f"recall_{k}", 0.0) for k in ks}
    return out


# --- citations and key facts ---------------------------------------------------------------------------


def citation_scores(cited_doc_ids: Sequence[str], expected: Iterable[str]) -> tuple[float | None, float]:
    """(precision over cited passages, recall over expected sources); precision is None when nothing is cited."""
    expected = set(expected)
    precision = sum(d in expected for d in cited_doc_ids) / len(cited_doc_ids) if cited_doc_ids else None
    recall = len(expected & set(cited_doc_ids)) / len(expected) if expected else 0.0
    return precision, recall


_MARKERS = re.compile(r"\s*\[\d+(?:\s*[,;]\s*\d+)*\]")
_FOLD = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"', "\u2013": "-", "\u2014": "-",
                       "\u2212": "-", "\u00a0": " ", "\u202f": " "})


def normalise(text: str) -> str:
    """Lower case, typographic quotes/dashes folded, citation markers removed, whitespace collapsed."""
    return " ".join(_MARKERS.sub("", text).translate(_FOLD).lower().split())


# A count's qualifier between the number and its unit: '23 working days' holds the fact '23 days'.
_COUNT_QUALIFIER = r"(?:working|calendar|business|full|clear|consecutive) "
_COUNT = re.compile(r"^(\d[\d.,]*) ([a-z]+)$")


def key_facts_found(answer: str, facts: Sequence[str]) -> list[bool]:
    """Whether each key fact occurs in the answer as a case-insensitive substring (after normalising both); a
    count ('23 days') is also found with a qualifier of its unit ('23 working days')."""
    text = normalise(answer)
    found = []
    for fact in map(normalise, facts):
        count = _COUNT.match(fact)
        pattern = rf"(?<![\d.,]){re.escape(count[1])} {_COUNT_QUALIFIER}?{re.escape(count[2])}\b" if count else None
        found.append(fact in text or bool(pattern and re.search(pattern, text)))
    return found


# --- aggregates ------------------------------------------------------------------------------------------


def mean(values: Iterable[float | None]) -> float | None:
    kept = [v for v in values if v is not None]
    return sum(kept) / len(kept) if kept else None


def percentile(values: Sequence[float], p: float) -> float | None:
    """Linear-interpolated percentile (numpy's default), None for no values."""
    if not values:
        return None
    ordered = sorted(values)
    pos = (len(ordered) - 1) * p / 100
    lo, hi = math.floor(pos), math.ceil(pos)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (pos - lo)


def abstention_scores(records: Sequence[dict]) -> tuple[float | None, float | None]:
    """(precision, recall) of abstaining, the positive class being 'the corpus does not answer this'."""
    abstained = [r for r in records if r.get("abstained")]
    unanswerable = [r for r in records if not r["answerable"]]
    precision = sum(not r["answerable"] for r in abstained) / len(abstained) if abstained else None
    recall = sum(bool(r.get("abstained")) for r in unanswerable) / len(unanswerable) if unanswerable else None
    return precision, recall


def _ratio(numerator: int, denominator: int) -> float | None:
    return numerator / denominator if denominator else None


def summarise(records: Sequence[dict]) -> dict[str, float | None]:
    """Aggregate per-question records (see eval/runner.py) into the metrics of METRICS (None = not measured)."""
    ok = [r for r in records if not r.get("error")]
    answerable = [r for r in records if r["answerable"]]
    scored = [r for r in answerable if r.get("retrieval")]
    out: dict[str, float | None] = {}
    for name in ("ndcg@10", "mrr@10", "recall@1", "recall@5", "recall@10", "recall@100"):
        values = [r["retrieval"][name] for r in scored if name in r["retrieval"]]
        if values:
            out[name] = mean(values)
    generated = [r for r in records if "abstained" in r]
    if generated:
        answered = [r for r in answerable if r.get("abstained") is False]
        out["citation_precision"] = mean(r.get("citation_precision") for r in answered)
        out["citation_recall"] = mean(r.get("citation_recall", 0.0) for r in answerable)
        for prefix, key in (("", "offline"), ("judge_", "judge")):
            sentences = [s for r in generated for s in r.get("sentences", ())
                         if s.get(key) is not None and s[key]["supported"] is not None]
            if sentences or key == "offline":
                out[f"{prefix}support_rate"] = _ratio(sum(s[key]["supported"] for s in sentences), len(sentences))
                cites = sum(len(s["refs"]) for s in sentences)
                out[f"{prefix}support_precision"] = _ratio(sum(s[key]["precise"] for s in sentences), cites)
        out["pipeline_grounding"] = mean(r["grounding_score"] for r in generated
                                         if not r.get("abstained") and r.get("grounding_score") is not None)
        out["key_fact_recall"] = mean(_share(r.get("key_facts_found")) for r in answerable if r.get("key_facts"))
        out["answer_correct"] = mean(float(bool(r.get("correct"))) for r in answerable)
        out["abstention_precision"], out["abstention_recall"] = abstention_scores(generated)
    latencies = [r["latency_ms"] for r in ok if r.get("latency_ms") is not None]
    out["latency_p50_ms"] = percentile(latencies, 50)
    out["latency_p95_ms"] = percentile(latencies, 95)
    return out


def _share(flags: Sequence[bool] | None) -> float:
    return sum(flags) / len(flags) if flags else 0.0


def by_type(records: Sequence[dict]) -> dict[str, dict]:
    """A few headline metrics per question type, to see which kind of question fails."""
    groups: dict[str, list[dict]] = {}
    for r in records:
        groups.setdefault(r["type"], []).append(r)
    keep = ("recall@5", "citation_recall", "key_fact_recall", "answer_correct", "abstention_recall", "support_rate")
    return {t: {"questions": len(rs)} | {k: v for k, v in summarise(rs).items() if k in keep and v is not None}
            for t, rs in sorted(groups.items())}
