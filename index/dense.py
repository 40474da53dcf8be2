"""The dense (FAISS) index of a version: exact while small, approximate past a threshold; built, opened, searched.

- flat: exact inner-product search over the memory-mapped vectors (built in memory at open: cheap when small).
- ivf (default past `ann_threshold`): an inverted file of `nlist` k-means cells trained on the version's own
  vectors; a query scans the `nprobe` nearest cells exactly. How deep to scan depends on the data (tightly
  clustered vectors need 1% of the cells; real MiniLM embeddings of varied text need far more), so it is
  calibrated at build: twice the smallest nprobe whose recall@10 against exact search, on stand-in queries
  made from the version's own vectors, reaches `ivf_target_recall` (see calibrate_nprobe). The depth and the
  recall measured are recorded in the manifest. IVF builds several times faster than HNSW (BENCHMARKS.md).
- hnsw: `RAGQA_ANN_INDEX=hnsw` (fixed efSearch; HNSW loses recall on corpora with many near-duplicates).
Approximate indexes are written by us (`faiss.serialize_index`, fsynced by the store) and opened memory-mapped,
so a million-vector version opens in milliseconds and processes share its pages.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import TYPE_CHECKING

import faiss
import numpy as np

if TYPE_CHECKING:
    from ragqa.settings import Settings

TRAIN_POINTS_PER_LIST = 64  # k-means sample size per cell (faiss warns below 39)
TRAIN_SEED = 1234
CALIBRATION_QUERIES = 256  # stand-in queries used to choose nprobe
NPROBE_SAFETY = 2
NPROBE_LADDER = (4, 6, 8, 12, 16, 24, 32, 48, 64, 96, 128, 192, 256, 384, 512, 768, 1024, 1536, 2048)


def dense_params(n: int, settings: Settings) -> dict:
    """The dense index a version of `n` chunks gets, as recorded in its manifest."""
    if n <= settings.ann_threshold:
        return {"type": "flat", "metric": "inner_product"}
    if settings.ann_index == "hnsw":
        return {"type": "hnsw", "metric": "inner_product", "m": settings.hnsw_m,
                "ef_construction": settings.hnsw_ef_construction, "ef_search": settings.hnsw_ef_search}
    nlist = int(min(settings.ivf_lists or max(16, round(4 * math.sqrt(n))), n))
    return {"type": "ivf", "metric": "inner_product", "nlist": nlist,
            "nprobe": int(min(settings.ivf_nprobe, nlist)) if settings.ivf_nprobe else None,  # None: calibrate
            "target_recall_at_10": settings.ivf_target_recall,
            "train_points": int(min(n, TRAIN_POINTS_PER_LIST * nlist)), "train_seed": TRAIN_SEED}


def build_dense(vectors: np.ndarray, params: dict) -> bytes | None:
    """The serialised approximate index for `vectors` (None for flat: the vectors file is the index).

    For IVF without a fixed nprobe, `params` gains the calibrated "nprobe" and "calibrated_recall_at_10".
    """
    dim = vectors.shape[1]
    if params["type"] == "flat":
        return None
    if params["type"] == "hnsw":
        index = faiss.IndexHNSWFlat(dim, params["m"], faiss.METRIC_INNER_PRODUCT)
        index.hnsw.efConstruction = params["ef_construction"]
    else:
        index = faiss.IndexIVFFlat(faiss.IndexFlatIP(dim), dim, params["nlist"], faiss.METRIC_INNER_PRODUCT)
        rng = np.random.default_rng(params["train_seed"])
        sample = np.sort(rng.choice(len(vectors), params["train_points"], replace=False))
        index.train(np.ascontiguousarray(vectors[sample]))
    for start in range(0, len(vectors), 100_000):  # in blocks: the vectors may be a memory map
        index.add(np.ascontiguousarray(vectors[start:start + 100_000]))
    if params["type"] == "ivf" and not params.get("nprobe"):
        params["nprobe"], params["calibrated_recall_at_10"] = calibrate_nprobe(index, vectors, params)
    return faiss.serialize_index(index).tobytes()


def calibrate_nprobe(index: faiss.IndexIVF, vectors: np.ndarray, params: dict) -> tuple[int, float]:
    """NPROBE_SAFETY x the smallest nprobe whose recall@10 on stand-in queries reaches the target; and that recall.

    Real questions are not known at build. Stand-ins: the normalised sum of three random stored vectors, a point
    between regions of the corpus as questions are. Measured (BENCHMARKS.md) they still overestimate recall at a
    given depth (real SciFact questions lie further from every chunk), hence the safety factor.
    """
    rng = np.random.default_rng(params["train_seed"] + 1)
    picks = rng.integers(0, len(vectors), size=(CALIBRATION_QUERIES, 3))
    queries = np.asarray(vectors[picks.ravel()], dtype=np.float32).reshape(CALIBRATION_QUERIES, 3, -1).sum(axis=1)
    queries = np.ascontiguousarray(queries / np.clip(np.linalg.norm(queries, axis=1, keepdims=True), 1e-12, None))
    truth = _exact_knn(queries, vectors, 10)
    recall, nprobe = 0.0, params["nlist"]
    for nprobe in [p for p in NPROBE_LADDER if p < params["nlist"]] + [params["nlist"]]:
        index.nprobe = nprobe
        _, found = index.search(queries, 10)
        recall = float(np.mean([len(set(a) & set(b)) / 10 for a, b in zip(found.tolist(), truth.tolist(),
                                                                         strict=True)]))
        if recall >= params["target_recall_at_10"]:
            break
    return int(min(params["nlist"], NPROBE_SAFETY * nprobe)), round(recall, 4)


def _exact_knn(queries: np.ndarray, vectors: np.ndarray, k: int) -> np.ndarray:
    """Exact top-k rows by inner product, over the vectors in blocks (they may be a memory map)."""
    best_scores = np.full((len(queries), 0), -np.inf, dtype=np.float32)
    best_rows = np.zeros((len(queries), 0), dtype=np.int64)
    for start in range(0, len(vectors), 200_000):
        block = np.ascontiguousarray(vectors[start:start + 200_000])
        scores, rows = faiss.knn(queries, block, min(k, len(block)), metric=faiss.METRIC_INNER_PRODUCT)
        best_scores = np.hstack([best_scores, scores])
        best_rows = np.hstack([best_rows, rows + start])
        keep = np.argsort(-best_scores, axis=1, kind="stable")[:, :k]
        best_scores = np.take_along_axis(best_scores, keep, axis=1)
        best_rows = np.take_along_axis(best_rows, keep, axis=1)
    return best_rows


def serve_single_threaded() -> None:
    """One OpenMP thread for FAISS in a serving process: each search is one query, and requests run in parallel.

    With FAISS's default of one thread per core, a single-query search waits on OpenMP barriers that spin while
    the embedding model or other requests hold the cores (BENCHMARKS.md, "Figures behind design choices").
    """
    faiss.omp_set_num_threads(1)


def open_dense(path: Path, params: dict, vectors: np.ndarray) -> faiss.Index:
    """The searchable index: a memory-mapped approximate index, or an exact one over `vectors`."""
    if params["type"] == "flat":
        index = faiss.IndexFlatIP(vectors.shape[1])
        if len(vectors):
            index.add(np.ascontiguousarray(vectors))
        return index
    flags = faiss.IO_FLAG_MMAP_IFC if params["type"] == "hnsw" else faiss.IO_FLAG_MMAP
    index = faiss.read_index(str(path), flags)
    if params["type"] == "hnsw":
        index.hnsw.efSearch = params["ef_search"]
    else:
        index.nprobe = params["nprobe"]
        _no_prefetch_threads(index)
    return index


def _no_prefetch_threads(index: faiss.Index) -> None:
    """Stop a memory-mapped IVF from starting threads on every search.

    FAISS opens a memory-mapped IVF as OnDiskInvertedLists. Before each search, that class starts
    `prefetch_nthread` threads (32 by default) to read the probed lists ahead from disk. Our lists are already
    in the page cache, so this only costs time. Reading the whole index into memory would be as fast, but slow
    to open and a private copy per process (BENCHMARKS.md, retrieval latency).
    """
    lists = faiss.downcast_InvertedLists(faiss.extract_index_ivf(index).invlists)
    if hasattr(lists, "prefetch_nthread"):
        lists.prefetch_nthread = 0


def search_params(params: dict, selector: faiss.IDSelector | None) -> faiss.SearchParameters | None:
    """Per-query parameters: the manifest's search depth, and the permission filter applied inside the search."""
    if params["type"] == "hnsw":
        return faiss.SearchParametersHNSW(sel=selector, efSearch=params["ef_search"]) if selector else \
            faiss.SearchParametersHNSW(efSearch=params["ef_search"])
    if params["type"] == "ivf":
        return faiss.SearchParametersIVF(sel=selector, nprobe=params["nprobe"]) if selector else \
            faiss.SearchParametersIVF(nprobe=params["nprobe"])
    return faiss.SearchParameters(sel=selector) if selector else None
