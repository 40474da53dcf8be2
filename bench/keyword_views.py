"""BM25 search latency per reader view: unrestricted, and readers who may see a share of the rows.

Readers who may not see every row get BM25 statistics of their own rows (index/keyword.py), recomputed at query
time from the stored term frequencies; this bench prints what that costs against the unrestricted search.
Texts are SciFact abstracts repeated to the wanted size (posting lists grow as in a larger corpus).

    python -m bench.keyword_views [N_ROWS]
"""

from __future__ import annotations

import statistics
import sys
import time

import numpy as np

from bench.common import scifact_docs, scifact_queries, table

SHARES = [None, 1.0, 0.9, 0.5, 0.1]  # None: unrestricted (CLI, admin); 1.0: a group that may read every row


def main(n_rows: int = 100_000, rounds: int = 3) -> None:
    from ragqa.index.keyword import KeywordIndex

    docs = [f"{d['title']}\n{d['text']}" for d in scifact_docs()]
    texts = [docs[i % len(docs)] for i in range(n_rows)]
    started = time.perf_counter()
    index = KeywordIndex.build(texts)
    build_s = time.perf_counter() - started
    queries = scifact_queries(300)
    rng = np.random.default_rng(5)
    rows = []
    base = None
    for share in SHARES:
        mask = None if share is None else rng.random(n_rows) < share
        for q in queries[:20]:  # warm: the view's statistics are computed once per mask, then cached
            index.search(q, 100, mask)
        samples = []
        for _ in range(rounds):
            for q in queries:
                t = time.perf_counter()
                index.search(q, 100, mask)
                samples.append((time.perf_counter() - t) * 1000)
        p50 = statistics.median(samples)
        base = base or p50
        rows.append(["all (unrestricted)" if share is None else f"{share:.0%} of rows", f"{p50:.3f}",
                     f"{np.percentile(samples, 95):.3f}", f"{p50 / base:.2f}x"])
    print(f"{n_rows} rows, built in {build_s:.1f} s; {len(queries)} SciFact queries x {rounds}, k=100")
    print(table(["reader may see", "p50 ms", "p95 ms", "p50 vs unrestricted"], rows))


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 100_000)
