"""Is int8 accurate enough? SciFact nDCG@10 per embedding backend on the same sub-corpus and test questions.

The sub-corpus is every document judged for a test question plus the first `distractors` others, so the
backends are compared on identical text in minutes; absolute figures differ from full-corpus ones, deltas
between backends are what this measures (issue 7: int8 for ingest only if within 0.01 of PyTorch).
The reference is torch when measured, else fp32 ONNX, whose vectors the tests hold to cosine >= 0.999 of
torch's (so it stands in for torch at a third of the time on this shared machine).
"""

from __future__ import annotations

import shutil
from pathlib import Path

from bench.common import SCIFACT, BenchSkipped, table, timed
from bench.embedders import make_embedder
from ragqa.service.composition import open_index


def run(*, workdir: Path, backends: list[str], distractors: int = 1000) -> dict:
    from ragqa.eval.bench_retrieval import doc_ranking, evaluate_run, load_beir
    from ragqa.index.ingest import upsert_articles
    from ragqa.settings import Settings

    if not (SCIFACT / "corpus.jsonl").is_file():
        raise BenchSkipped(f"{SCIFACT} is missing")
    articles, queries, qrels = load_beir(SCIFACT, "test")
    judged = {d for docs in qrels.values() for d in docs}
    others = [a for a in articles if a.doc_id not in judged][:distractors]
    # Sorted by doc_id, the order ingest stores them in (an early ingest paired vectors with the wrong chunks
    # for unsorted upserts: this bench caught it as dense nDCG@10 0.01).
    subset = sorted([a for a in articles if a.doc_id in judged] + others, key=lambda a: a.doc_id)
    out = {"documents": len(subset), "queries": len(queries), "backends": {}}
    for backend in backends:
        print(f"  quality: {backend} ...", flush=True)
        embedder = make_embedder(backend)
        settings = Settings(index_dir=workdir / f"quality-{backend}", data_dir=workdir / "data-quality")
        shutil.rmtree(settings.index_dir, ignore_errors=True)
        with timed() as t:
            report = upsert_articles(subset, settings=settings, embedder=embedder, root="beir:scifact")
        retriever = open_index(settings, embedder).retriever()
        scores = {"chunks": report.chunks, "ingest_s": t["s"]}
        for mode in ("dense", "hybrid"):
            run_ = {qid: doc_ranking(retriever.search(text, k=100, mode=mode)) for qid, text in queries.items()}
            scores[mode] = evaluate_run(qrels, run_)["ndcg@10"]
        out["backends"][backend] = scores
        shutil.rmtree(settings.index_dir, ignore_errors=True)
    return out


def render(result: dict) -> str:
    base = result["backends"].get("torch") or result["backends"].get("onnx")
    rows = []
    for backend, s in result["backends"].items():
        deltas = [s[m] - base[m] if base else None for m in ("dense", "hybrid")]
        rows.append([backend, s["chunks"], s["dense"], deltas[0], s["hybrid"], deltas[1], s["ingest_s"]])
    head = f"SciFact test: {result['queries']} questions over {result['documents']:,} documents (judged + distractors)"
    return head + "\n\n" + table(
        ["backend", "chunks", "dense nDCG@10", "Δ vs reference", "hybrid nDCG@10", "Δ vs reference", "ingest s"], rows)
