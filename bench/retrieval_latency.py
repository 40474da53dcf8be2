"""Retrieval latency (embed + dense + BM25 + fusion + passage fetch) at 10k / 100k / 1M chunks.

Real embeddings exist only for the SciFact slice the ingest bench embedded, so larger indexes are grown from it:
copy 0 of every chunk keeps its real vector; further copies get a semi-synthetic vector (a mix of two real
chunk vectors plus Gaussian noise, normalised), so the vectors lie near the real embedding manifold rather than
on a uniform sphere. Texts are the real chunk texts repeated (BM25 posting lists grow as in a larger corpus),
each copy with the sentence vectors its text got at ingest (the same text pools to the same vectors).
Each index is published with the store's own publish_version and opened with IndexManager, so the dense index
type (exact below settings.ann_threshold, IVF above) and its parameters are the product's own.
"""

from __future__ import annotations

import gc
import os
import shutil
from pathlib import Path

import numpy as np

from bench.common import percentiles, rss_mb, table, timed
from ragqa.service.composition import open_index, tune_for_serving

# The ranking before issue 20's stages (score fusion, MaxSim rerank): timed beside the configured one.
BASELINE = {"fusion": "rrf", "rerank": "none"}
NOISE = 0.35  # norm of the noise added to a copy's mixed vector (unit vectors), before normalising


def _base(index_dir: Path):
    """Articles, chunks, texts, vectors and sentence vectors of a real (embedded) index version."""
    from ragqa.index.chunking import contextual_text
    from ragqa.index.reader import open_current

    version = open_current(index_dir, verify_checksums=False)
    try:
        records = version.article_records()
        chunks = version.all_chunks()
        titles = {r.article.doc_id: r.article.title for r in records}
        texts = [contextual_text(titles[c.doc_id], c) for c in chunks]
        vectors = version.vectors(list(range(len(chunks))))
        sentences = version.sentence_rows(range(len(chunks)))
    finally:
        version.close()
    return records, chunks, texts, vectors, sentences


def grow(base, n_chunks: int, seed: int = 7):
    """Records, chunks, keyword texts, vectors and sentence vectors of about n_chunks rows, copied from the base
    (see module doc)."""
    from dataclasses import replace

    from ragqa.index.metadata import ArticleRecord

    records, chunks, texts, vectors, sentences = base
    by_doc: dict[str, list[int]] = {}
    for i, c in enumerate(chunks):
        by_doc.setdefault(c.doc_id, []).append(i)
    rng = np.random.default_rng(seed)
    out_records, out_chunks, out_texts, rows = [], [], [], []
    copy = 0
    while len(out_chunks) < n_chunks:
        for record in records:
            if len(out_chunks) >= n_chunks:
                break
            doc_id = record.article.doc_id if copy == 0 else f"{record.article.doc_id}~{copy}"
            out_records.append(ArticleRecord(replace(record.article, doc_id=doc_id), record.root))
            for i in by_doc.get(record.article.doc_id, []):
                c = chunks[i]
                out_chunks.append(replace(c, doc_id=doc_id, chunk_id=f"{doc_id}#{c.ordinal}"))
                out_texts.append(texts[i])
                rows.append(i)
        copy += 1
    rows_arr = np.asarray(rows)
    out_vectors = vectors[rows_arr].copy()
    synthetic = np.flatnonzero(np.arange(len(rows_arr)) >= len(chunks))
    for start in range(0, len(synthetic), 100_000):  # in blocks: bounded memory at 1M rows
        part = synthetic[start:start + 100_000]
        partner = vectors[rng.integers(0, len(vectors), len(part))]
        noise = rng.standard_normal((len(part), vectors.shape[1])).astype(np.float32)
        noise *= NOISE / np.linalg.norm(noise, axis=1, keepdims=True)
        mixed = out_vectors[part] + 0.5 * partner + noise
        out_vectors[part] = mixed / np.linalg.norm(mixed, axis=1, keepdims=True)
    order = sorted(range(len(out_records)), key=lambda j: out_records[j].article.doc_id)
    out_sentences = [sentences[i] for i in rows]
    return [out_records[j] for j in order], _reorder(out_chunks, out_texts, out_vectors, out_sentences,
                                                     out_records, order)


def _reorder(chunks, texts, vectors, sentences, records, order):
    """Rows grouped by article in doc_id order, as ingest writes them (the store maps rows to articles)."""
    by_doc: dict[str, list[int]] = {}
    for i, c in enumerate(chunks):
        by_doc.setdefault(c.doc_id, []).append(i)
    rows = [i for j in order for i in by_doc.get(records[j].article.doc_id, [])]
    return ([chunks[i] for i in rows], [texts[i] for i in rows], np.ascontiguousarray(vectors[rows]),
            [sentences[i] for i in rows])


def build_index(base, n_chunks: int, index_dir: Path, settings, embedder) -> dict:
    from ragqa.index.files import WriterLock
    from ragqa.index.writer import publish_version

    shutil.rmtree(index_dir, ignore_errors=True)
    records, (chunks, texts, vectors, sentences) = grow(base, n_chunks)
    n_chunks, n_articles = len(chunks), len(records)
    with timed() as t, WriterLock(index_dir):
        publish_version(index_dir, records=records, chunks=chunks, vectors=vectors, keyword_texts=texts,
                        settings=settings, embedder=embedder, parent=None, sentences=sentences)
    del records, chunks, texts, vectors, sentences
    # The build leaves dirty pages (hundreds of MB at 1M chunks) and garbage; the kernel's write-back and the
    # collector would otherwise run during the timed searches that follow.
    gc.collect()
    os.sync()
    return {"chunks": n_chunks, "articles": n_articles, "build_s": t["s"]}


def measure(settings, embedder, queries: list[str], k: int, exact_recall: bool) -> dict:
    """Open the index as the server does, then time searches over distinct real questions."""
    import faiss


    _forget_query_embeddings(embedder)  # an earlier scale (or bench) embedded these questions already
    rss_before = rss_mb()
    with timed() as t_open:
        manager = open_index(settings, embedder)
        retriever = manager.retriever()
    version = retriever.version
    warm, timed_q = queries[:20], queries[20:]
    for q in warm:
        retriever.search(q, k=k)
    total, embed, dense, keyword = [], [], [], []
    vecs = []
    total, total_baseline = _paired_times(retriever, embedder, timed_q, k, BASELINE)
    depth = max(settings.candidates, k)
    for q in timed_q[:200]:  # components, each alone (the full search runs embed and BM25 in parallel)
        with timed() as t:
            vec = embedder.embed_documents([q])[0]
        embed.append(1000 * t["s"])
        vecs.append(vec)
        with timed() as t:
            version.dense_search(vec, depth, None)
        dense.append(1000 * t["s"])
        with timed() as t:
            version.keyword_search(q, depth, None)
        keyword.append(1000 * t["s"])
    result = {
        "dense_index": version.manifest["dense"], "open_s": t_open["s"],
        "rss_mb_index": (rss_mb() or 0) - (rss_before or 0),
        "search": percentiles(total), "search_baseline": percentiles(total_baseline),
        "embed": percentiles(embed), "dense": percentiles(dense),
        "keyword": percentiles(keyword),
    }
    if exact_recall and version.manifest["dense"]["type"] != "flat":
        qs = np.stack(vecs[:100]).astype(np.float32)
        exact = faiss.IndexFlatIP(version.dim)
        for start in range(0, version.num_chunks, 200_000):
            rows = list(range(start, min(start + 200_000, version.num_chunks)))
            exact.add(version.vectors(rows))
        with timed() as t_exact:
            _, truth = exact.search(qs, 10)
        approx = np.stack([version.dense_search(v, 10, None)[0][:10] for v in qs])
        result["recall_at_10_vs_exact"] = float(np.mean([len(set(a) & set(b)) / 10 for a, b in zip(
            approx.tolist(), truth.tolist(), strict=True)]))
        result["exact_dense_ms_per_query"] = 1000 * t_exact["s"] / len(qs)
    return result


def _paired_times(retriever, embedder, queries: list[str], k: int, overrides: dict
                  ) -> tuple[list[float], list[float]]:
    """Search times (ms) of each question with the configured settings and with `overrides`, taken in turn (the
    order alternating), each embedding its question afresh: the VM's drift hits both alike."""
    from ragqa.index.retrieve import Retriever

    variant = Retriever(retriever.version, embedder, retriever.settings.model_copy(update=overrides))
    times: tuple[list[float], list[float]] = ([], [])
    for i, q in enumerate(queries):
        for which in ((0, 1) if i % 2 == 0 else (1, 0)):
            _forget_query_embeddings(embedder)
            with timed() as t:
                (retriever, variant)[which].search(q, k=k)
            times[which].append(1000 * t["s"])
    return times


def _forget_query_embeddings(embedder) -> None:
    """Empty the embedder's cache of recent query vectors, so each timed search embeds its question."""
    from ragqa.index.embedding import _QueryCache

    if isinstance(getattr(embedder, "_cache", None), _QueryCache):
        embedder._cache = _QueryCache()


def run(*, base_index: Path, scales: list[int], workdir: Path, embedder, queries: list[str],
        keep: int | None = None, settings_overrides: dict | None = None) -> dict:
    """One index per scale; the one of size `keep` is left on disk (for the /v1/ask bench)."""
    tune_for_serving()  # timed like a serving process
    from ragqa.settings import Settings

    base = _base(base_index)
    out = {"base_chunks": len(base[1]), "noise": NOISE, "scales": {}, "kept": None}
    for n in scales:
        print(f"  retrieval: {n:,} chunks: building ...", flush=True)
        index_dir = workdir / f"scaled-{n}"
        settings = Settings(index_dir=index_dir, data_dir=workdir / "data-scaled", **(settings_overrides or {}))
        built = build_index(base, n, index_dir, settings, embedder)
        print(f"  retrieval: {n:,} chunks: built in {built['build_s']:.0f}s; measuring ...", flush=True)
        out["scales"][str(n)] = built | measure(settings, embedder, queries, settings.top_k, exact_recall=True)
        if n == keep:
            out["kept"] = str(index_dir)
        else:
            shutil.rmtree(index_dir, ignore_errors=True)
    return out


def render(result: dict) -> str:
    rows = []
    for n, r in result["scales"].items():
        d = r["dense_index"]
        kind = {"flat": "flat (exact)", "ivf": f"ivf{d.get('nlist')} nprobe{d.get('nprobe')}",
                "hnsw": f"hnsw M{d.get('m')} efS{d.get('ef_search')}"}[d["type"]]
        baseline = r.get("search_baseline", {}).get("p50_ms")
        rows.append([int(n), kind, r["search"]["p50_ms"], baseline, r["search"]["p95_ms"], r["search"]["p99_ms"],
                     r["embed"]["p50_ms"], r["dense"]["p50_ms"], r["keyword"]["p50_ms"],
                     r.get("recall_at_10_vs_exact"), r.get("exact_dense_ms_per_query"), r["build_s"], r["open_s"]])
    return (f"Indexes grown from {result['base_chunks']:,} real SciFact chunk embeddings (copies: semi-synthetic "
            "vectors, see bench/retrieval_latency.py)\n\n" + table(
                ["chunks", "dense index", "search p50 ms", "RRF, no rerank p50", "p95", "p99",
                 "embed p50", "dense p50", "BM25 p50",
                 "recall@10 vs exact", "exact ms/q", "build s", "open s"], rows))
