"""The dense (FAISS) index of a version: exact while small, approximate past a threshold; built, opened, searched.

- flat: exact inner-product search over the memory-mapped vectors (built in memory at open: cheap when small).
- ivf (default past `ann_threshold`): an inverted file of `nlist` k-means cells trained on the version's own
  vectors; a query scans the `nprobe` nearest cells exactly. On real MiniLM embeddings, and on the 1M-vector
  benchmark, nprobe 64 keeps recall@10 against exact search >= 0.99 while scanning 2-10% of the vectors; it
  trains and builds 4x faster than HNSW (95 s against 380 s at 1M vectors on 2 cores).
- hnsw: kept for versions built with `RAGQA_ANN_INDEX=hnsw`.
Approximate indexes are written by us (`faiss.serialize_index`, fsynced by the store) and opened memory-mapped,
so a million-vector version opens in milliseconds and processes share its pages. Parameters go in the manifest.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import TYPE_CHECKING

import faiss
import numpy as np

if TYPE_CHECKING:
    from service.config import Settings

TRAIN_POINTS_PER_LIST = 64  # k-means sample size per cell (faiss warns below 39)
TRAIN_SEED = 1234


def dense_params(n: int, settings: Settings) -> dict:
    """The dense index a version of `n` chunks gets, as recorded in its manifest."""
    if n <= settings.ann_threshold:
        return {"type": "flat", "metric": "inner_product"}
    if settings.ann_index == "hnsw":
        return {"type": "hnsw", "metric": "inner_product", "m": settings.hnsw_m,
                "ef_construction": settings.hnsw_ef_construction, "ef_search": settings.hnsw_ef_search}
    nlist = settings.ivf_lists or max(16, round(4 * math.sqrt(n)))
    return {"type": "ivf", "metric": "inner_product", "nlist": int(min(nlist, n)),
            "nprobe": int(min(settings.ivf_nprobe, nlist)), "train_points": int(min(n, TRAIN_POINTS_PER_LIST * nlist)),
            "train_seed": TRAIN_SEED}


def build_dense(vectors: np.ndarray, params: dict) -> bytes | None:
    """The serialised approximate index for `vectors` (None for flat: the vectors file is the index)."""
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
    return faiss.serialize_index(index).tobytes()


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
    return index


def search_params(params: dict, selector: faiss.IDSelector | None) -> faiss.SearchParameters | None:
    """Per-query parameters: the manifest's search depth, and the permission filter applied inside the search."""
    if params["type"] == "hnsw":
        return faiss.SearchParametersHNSW(sel=selector, efSearch=params["ef_search"]) if selector else \
            faiss.SearchParametersHNSW(efSearch=params["ef_search"])
    if params["type"] == "ivf":
        return faiss.SearchParametersIVF(sel=selector, nprobe=params["nprobe"]) if selector else \
            faiss.SearchParametersIVF(nprobe=params["nprobe"])
    return faiss.SearchParameters(sel=selector) if selector else None
