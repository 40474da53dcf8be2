"""The best embedding batch size for this CPU: raw encode of the same chunks at several batch sizes."""

from __future__ import annotations

from pathlib import Path

from bench.common import table, timed
from bench.embedders import make_embedder

BATCH_SIZES = (8, 16, 32, 64, 128)


def run(*, base_index: Path, backends: list[str], limit: int = 600) -> dict:
    from bench.ingest_speed import _chunk_texts

    texts = _chunk_texts(base_index)[:limit]
    out = {"chunks": len(texts), "backends": {}}
    for backend in backends:
        print(f"  batch size: {backend} ...", flush=True)
        embedder = make_embedder(backend)
        pieces = sum(min(embedder.count_tokens(t), embedder.max_seq_length) for t in texts)
        rows = []
        for size in BATCH_SIZES:
            embedder.batch_size = size
            with timed() as t:
                embedder.embed_documents(texts)
            rows.append({"batch_size": size, "s": t["s"], "pieces_per_s": pieces / t["s"]})
        out["backends"][backend] = rows
    return out


def render(result: dict) -> str:
    rows = []
    for backend, sweep in result["backends"].items():
        best = max(sweep, key=lambda r: r["pieces_per_s"])
        rows.extend([backend, r["batch_size"], r["s"], r["pieces_per_s"], "best" if r is best else ""]
                    for r in sweep)
    return f"raw encode of {result['chunks']} chunks\n\n" + table(
        ["backend", "batch size", "s", "embedded wp/s", ""], rows)
