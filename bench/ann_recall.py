"""Recall@10 of the HNSW index against exact search, on real embeddings (SciFact chunks and real questions)."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from bench.common import table, timed

EF_SEARCH = (16, 32, 64, 128, 256)


def run(*, base_index: Path, embedder, queries: list[str], settings) -> dict:
    import faiss

    from index.store import open_current

    version = open_current(base_index, verify_checksums=False)
    try:
        vectors = np.ascontiguousarray(version.vectors(list(range(version.num_chunks))))
    finally:
        version.close()
    qs = np.ascontiguousarray(embedder.embed_documents(queries), dtype=np.float32)
    exact = faiss.IndexFlatIP(vectors.shape[1])
    exact.add(vectors)
    with timed() as t_exact:
        _, truth = exact.search(qs, 10)
    hnsw = faiss.IndexHNSWFlat(vectors.shape[1], settings.hnsw_m, faiss.METRIC_INNER_PRODUCT)
    hnsw.hnsw.efConstruction = settings.hnsw_ef_construction
    with timed() as t_build:
        hnsw.add(vectors)
    rows = []
    for ef in EF_SEARCH:
        hnsw.hnsw.efSearch = ef
        with timed() as t:
            _, found = hnsw.search(qs, 10)
        recall = float(np.mean([len(set(a) & set(b)) / 10 for a, b in zip(found.tolist(), truth.tolist(),
                                                                          strict=True)]))
        rows.append({"ef_search": ef, "recall_at_10": recall, "ms_per_query": 1000 * t["s"] / len(qs)})
    return {"vectors": len(vectors), "queries": len(qs), "m": settings.hnsw_m,
            "ef_construction": settings.hnsw_ef_construction, "build_s": t_build["s"],
            "exact_ms_per_query": 1000 * t_exact["s"] / len(qs), "sweep": rows,
            "product_ef_search": settings.hnsw_ef_search}


def render(result: dict) -> str:
    head = (f"{result['vectors']:,} real chunk embeddings, {result['queries']} real questions; HNSW M="
            f"{result['m']}, efConstruction={result['ef_construction']} (built in {result['build_s']:.1f}s); "
            f"exact search {result['exact_ms_per_query']:.2f} ms/query")
    rows = [[("*" if r["ef_search"] == result["product_ef_search"] else "") + str(r["ef_search"]),
             r["recall_at_10"], r["ms_per_query"]] for r in result["sweep"]]
    return head + "\n\n" + table(["efSearch (* = product setting)", "recall@10 vs exact", "ms/query"], rows)
