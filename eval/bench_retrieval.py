"""Retrieval quality on any BEIR-layout dataset (corpus.jsonl, queries.jsonl, qrels/<split>.tsv)."""

from __future__ import annotations

import csv
import hashlib
import json
import time
from pathlib import Path
from typing import TYPE_CHECKING

from ragqa.service.composition import build_embedder, open_index
from ragqa.types import Article

if TYPE_CHECKING:
    from ragqa.settings import Settings

MODES = ("keyword", "dense", "hybrid")


def load_beir(folder: Path, split: str) -> tuple[list[Article], dict[str, str], dict[str, dict[str, int]]]:
    """Articles, queries {qid: text} and qrels {qid: {doc_id: grade}} of one split."""
    for required in ("corpus.jsonl", "queries.jsonl", f"qrels/{split}.tsv"):
        if not (folder / required).is_file():
            raise ValueError(f"{folder} is not a BEIR folder: {required} is missing")
    articles = []
    with (folder / "corpus.jsonl").open(encoding="utf-8") as fh:
        for line in fh:
            doc = json.loads(line)
            title, text = doc.get("title", "").strip(), doc.get("text", "").strip()
            sha = hashlib.sha256(f"{title}\n{text}".encode()).hexdigest()
            articles.append(Article(doc_id=str(doc["_id"]), title=title or str(doc["_id"]),
                                    source=f"beir:{doc['_id']}", text=text, sha256=sha))
    qrels: dict[str, dict[str, int]] = {}
    with (folder / "qrels" / f"{split}.tsv").open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh, delimiter="\t"):
            qrels.setdefault(str(row["query-id"]), {})[str(row["corpus-id"])] = int(row["score"])
    queries = {}
    with (folder / "queries.jsonl").open(encoding="utf-8") as fh:
        for line in fh:
            q = json.loads(line)
            if str(q["_id"]) in qrels:
                queries[str(q["_id"])] = q["text"]
    return articles, queries, qrels


def doc_ranking(hits) -> dict[str, float]:
    """Chunk hits -> document scores for trec_eval: a document ranks at its best chunk."""
    ranking: dict[str, float] = {}
    for rank, hit in enumerate(hits, start=1):
        ranking.setdefault(hit.doc_id, 1.0 / rank)
    return ranking


def evaluate_run(qrels: dict[str, dict[str, int]], run: dict[str, dict[str, float]]) -> dict[str, float]:
    """Mean nDCG@10, recall@10, recall@100 and MRR@10 with trec_eval (pytrec_eval)."""
    import pytrec_eval

    full = pytrec_eval.RelevanceEvaluator(qrels, {"ndcg_cut_10", "recall_10", "recall_100"}).evaluate(run)
    top10 = {q: dict(sorted(docs.items(), key=lambda kv: -kv[1])[:10]) for q, docs in run.items()}
    mrr = pytrec_eval.RelevanceEvaluator(qrels, {"recip_rank"}).evaluate(top10)
    n = max(len(qrels), 1)
    # Queries with no retrieved document count as zero (trec_eval omits them).
    return {
        "ndcg@10": sum(v["ndcg_cut_10"] for v in full.values()) / n,
        "recall@10": sum(v["recall_10"] for v in full.values()) / n,
        "recall@100": sum(v["recall_100"] for v in full.values()) / n,
        "mrr@10": sum(v["recip_rank"] for v in mrr.values()) / n,
    }


def run_beir_benchmark(folder: Path, *, split: str, settings: Settings, index_dir: Path | None = None,
                       limit_queries: int | None = None) -> dict:
    from ragqa.index.ingest import upsert_articles

    articles, queries, qrels = load_beir(folder, split)
    if limit_queries:
        queries = dict(list(queries.items())[:limit_queries])
        qrels = {q: qrels[q] for q in queries}
    embedder = build_embedder(settings)
    index_dir = index_dir or Path(settings.data_dir) / "beir" / f"{folder.resolve().name}"
    settings = settings.model_copy(update={"index_dir": index_dir})
    started = time.perf_counter()
    report = upsert_articles(articles, settings=settings, embedder=embedder, root=f"beir:{folder.name}")
    ingest_s = time.perf_counter() - started
    retriever = open_index(settings, embedder).retriever()
    results: dict[str, dict] = {}
    for mode in MODES:
        started = time.perf_counter()
        run = {qid: doc_ranking(retriever.search(text, k=100, mode=mode)) for qid, text in queries.items()}
        elapsed = time.perf_counter() - started
        results[mode] = evaluate_run(qrels, run) | {"ms_per_query": 1000 * elapsed / max(len(queries), 1)}
    lines = [f"{folder.name} ({split}): {len(articles)} documents, {len(queries)} queries, "
             f"{report.chunks} chunks; ingest {ingest_s:.1f}s ({report.embedded} chunks embedded now)",
             f"{'method':<8} {'nDCG@10':>8} {'R@10':>7} {'R@100':>7} {'MRR@10':>7} {'ms/query':>9}"]
    for mode, m in results.items():
        lines.append(f"{mode:<8} {m['ndcg@10']:>8.3f} {m['recall@10']:>7.3f} {m['recall@100']:>7.3f} "
                     f"{m['mrr@10']:>7.3f} {m['ms_per_query']:>9.1f}")
    stages = stage_contributions(folder, retriever, settings, limit_queries)
    if stages:
        lines += ["", "hybrid stages (each row adds one stage to the row above; nDCG@10):",
                  f"{'stage':<34} " + " ".join(f"{name:>8}" for name in stages[0]["ndcg@10"])]
        lines += [f"{row['stage']:<34} " + " ".join(f"{v:>8.3f}" for v in row["ndcg@10"].values()) for row in stages]
    return {"dataset": folder.name, "split": split, "documents": len(articles), "queries": len(queries),
            "chunks": report.chunks, "ingest_s": ingest_s, "results": results, "stages": stages,
            "table": "\n".join(lines)}


def fusion_stages(settings: Settings) -> list[tuple[str, dict]]:
    """(label, settings overrides) of each hybrid stage, from rank fusion to the configured default."""
    s = settings
    return [
        ("RRF (ranks of dense and BM25)", {"fusion": "rrf", "rerank": "none"}),
        ("+ score fusion (cosine, BM25)", {"fusion": "scores", "rerank": "none", "fusion_sentence_weight": 0.0,
                                           "fusion_dense_weight": s.fusion_dense_weight + s.fusion_sentence_weight}),
        ("+ best-sentence cosine", {"fusion": "scores", "rerank": "none"}),
        (f"+ MaxSim rerank of the top {s.rerank_depth}", {"fusion": "scores", "rerank": "maxsim"}),
    ]


def stage_contributions(folder: Path, retriever, settings: Settings, limit_queries: int | None) -> list[dict]:
    """nDCG@10 of each hybrid stage on every split the dataset has (train is where the weights were chosen)."""
    from ragqa.index.retrieve import Retriever

    splits = [s for s in ("train", "dev", "test") if (folder / "qrels" / f"{s}.tsv").is_file()]
    data = {}
    for split in splits:
        _, queries, qrels = load_beir(folder, split)
        if limit_queries:
            queries = dict(list(queries.items())[:limit_queries])
            qrels = {q: qrels[q] for q in queries}
        data[split] = (queries, qrels)
    rows = []
    for label, overrides in fusion_stages(settings):
        variant = Retriever(retriever.version, retriever.embedder, settings.model_copy(update=overrides))
        scores = {}
        for split, (queries, qrels) in data.items():
            run = {qid: doc_ranking(variant.search(text, k=100, mode="hybrid")) for qid, text in queries.items()}
            scores[split] = evaluate_run(qrels, run)["ndcg@10"]
        rows.append({"stage": label, "overrides": overrides, "ndcg@10": scores})
    return rows
