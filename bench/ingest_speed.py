"""Ingest throughput: `ragqa ingest` vs raw encode of the same chunks (same backend) vs the LangChain stack.

Also the incremental cost: re-ingest after changing 1% of the articles, as a fraction of the full build.
Throughput is in word pieces per second of the *source text* (the same numerator for every stack, so ratios
compare like with like) and of the word pieces actually embedded.
"""

from __future__ import annotations

import math
import shutil
from pathlib import Path

from bench.common import table, timed
from bench.embedders import make_embedder, word_piece_counter


def _chunk_texts(index_dir: Path) -> list[str]:
    """What ingest embedded, in index order: title/heading prefix + chunk text."""
    from index.chunking import contextual_text
    from index.store import open_current

    version = open_current(index_dir, verify_checksums=False)
    try:
        titles = {r.article.doc_id: r.article.title for r in version.article_records(with_text=False)}
        return [contextual_text(titles[c.doc_id], c) for c in version.all_chunks()]
    finally:
        version.close()


def bench_ragqa(backend: str, folder: Path, workdir: Path, source_pieces: int,
                repeat: int = 1) -> tuple[dict, object]:
    """Full `ragqa ingest` (in process, model already loaded), then raw encode of exactly its chunks.

    With repeat > 1 the two alternate and the fastest of each counts (the machine is shared; the minimum is
    the least disturbed run).
    """
    from index.ingest import ingest_paths
    from service.config import Settings

    embedder = make_embedder(backend)
    settings = Settings(index_dir=workdir / f"index-{backend}", data_dir=workdir / f"data-{backend}")
    ingest_s, raw_s = [], []
    for _ in range(repeat):
        shutil.rmtree(settings.index_dir, ignore_errors=True)
        with timed() as t_ingest:
            report = ingest_paths([folder], settings=settings, embedder=embedder)
        texts = _chunk_texts(settings.index_dir)
        with timed() as t_raw:
            embedder.embed_documents(texts)
        ingest_s.append(t_ingest["s"])
        raw_s.append(t_raw["s"])
    counts = [embedder.count_tokens(t) for t in texts]
    limit = embedder.max_seq_length
    pieces = sum(min(c, limit) for c in counts)
    best_ingest, best_raw = min(ingest_s), min(raw_s)
    row = {
        "stack": f"ragqa ingest ({backend})", "backend": backend, "articles": report.added, "chunks": len(texts),
        "ingest_s": best_ingest, "raw_encode_s": best_raw, "ingest_runs_s": ingest_s, "raw_runs_s": raw_s,
        "source_pieces_per_s": source_pieces / best_ingest,
        "embedded_pieces": pieces, "embedded_pieces_per_s": pieces / best_ingest,
        "raw_embedded_pieces_per_s": pieces / best_raw,
        "vs_raw_encode": best_raw / best_ingest,
        "chunks_truncated": sum(c > limit for c in counts),
        "text_seen_share": pieces / max(sum(counts), 1),
        "index_dir": str(settings.index_dir),
    }
    return row, (embedder, settings)


def bench_langchain(folder: Path, source_pieces: int, count_tokens, limit: int, repeat: int = 1) -> dict:
    """RecursiveCharacterTextSplitter(1000, 200) + HuggingFaceEmbeddings + FAISS.from_documents, as usually wired."""
    try:
        from langchain_community.vectorstores import FAISS
        from langchain_core.documents import Document
        from langchain_huggingface import HuggingFaceEmbeddings
        from langchain_text_splitters import RecursiveCharacterTextSplitter
    except ImportError as exc:
        return {"stack": "LangChain", "skipped": f"{exc}: pip install -e '.[bench]'"}
    from index.embedding import resolve_model_path

    embeddings = HuggingFaceEmbeddings(model_name=str(resolve_model_path("")),
                                       model_kwargs={"device": "cpu", "local_files_only": True})
    embeddings.embed_documents(["warm-up"])
    runs = []
    for _ in range(repeat):
        with timed() as t:
            docs = [Document(page_content=p.read_text(encoding="utf-8"), metadata={"source": str(p)})
                    for p in sorted(folder.glob("*.txt"))]
            splits = RecursiveCharacterTextSplitter(chunk_size=1000, chunk_overlap=200).split_documents(docs)
            store = FAISS.from_documents(splits, embeddings)
        runs.append(t["s"])
    t = {"s": min(runs)}
    counts = [count_tokens(d.page_content) for d in splits]
    pieces = sum(min(c, limit) for c in counts)
    return {
        "stack": "LangChain (torch)", "backend": "torch", "articles": len(docs), "chunks": store.index.ntotal,
        "ingest_s": t["s"], "ingest_runs_s": runs, "source_pieces_per_s": source_pieces / t["s"],
        "embedded_pieces": pieces, "embedded_pieces_per_s": pieces / t["s"],
        "chunks_truncated": sum(c > limit for c in counts),
        "chunks_truncated_share": sum(c > limit for c in counts) / max(len(counts), 1),
        "text_seen_share": pieces / max(sum(counts), 1),
    }


def bench_incremental(folder: Path, embedder, settings, full_build_s: float, fraction: float = 0.01) -> dict:
    """Change `fraction` of the articles (append a sentence), re-ingest; also a no-change re-ingest."""
    from index.ingest import ingest_paths

    with timed() as t_same:
        same = ingest_paths([folder], settings=settings, embedder=embedder)
    files = sorted(folder.glob("*.txt"))
    changed = files[:: max(1, len(files) // max(1, math.ceil(len(files) * fraction)))][
        : max(1, math.ceil(len(files) * fraction))]
    for path in changed:
        path.write_text(path.read_text(encoding="utf-8") + "\nRevised: this abstract was updated for the bench.\n",
                        encoding="utf-8")
    with timed() as t_inc:
        inc = ingest_paths([folder], settings=settings, embedder=embedder)
    return {
        "articles": len(files), "changed_articles": len(changed), "full_build_s": full_build_s,
        "reingest_s": t_inc["s"], "reingest_fraction_of_full": t_inc["s"] / full_build_s,
        "embedded": inc.embedded, "updated": inc.updated, "unchanged_run_s": t_same["s"],
        "unchanged_run_embedded": same.embedded,
    }


def run(*, docs: int, workdir: Path, backends: list[str], langchain: bool = True, repeat: int = 1) -> dict:
    from bench.common import scifact_docs, write_text_files

    records = scifact_docs(docs)
    folder = write_text_files(records, workdir / "scifact-txt")
    rows, handles = [], {}
    count_tokens, limit = word_piece_counter()
    source_pieces = sum(count_tokens(p.read_text(encoding="utf-8")) for p in folder.glob("*.txt"))
    for backend in backends:
        print(f"  ingest: {backend} ...", flush=True)
        row, handles[backend] = bench_ragqa(backend, folder, workdir, source_pieces, repeat)
        rows.append(row)
    baseline = None
    if langchain:
        print("  ingest: LangChain stack ...", flush=True)
        baseline = bench_langchain(folder, source_pieces, count_tokens, limit, repeat)
        rows.append(baseline)
    if baseline and "skipped" not in baseline:
        for row in rows:
            row["vs_langchain"] = row["source_pieces_per_s"] / baseline["source_pieces_per_s"]
    fastest = min((r for r in rows if r["stack"].startswith("ragqa")), key=lambda r: r["ingest_s"])
    print(f"  incremental: {fastest['backend']} ...", flush=True)
    embedder, settings = handles[fastest["backend"]]
    incremental = bench_incremental(folder, embedder, settings, fastest["ingest_s"]) | {
        "backend": fastest["backend"]}
    return {"docs": len(records), "repeat": repeat, "source_pieces": source_pieces, "source_bytes": sum(
        p.stat().st_size for p in folder.glob("*.txt")), "rows": rows, "incremental": incremental,
        "index_dirs": {b: str(h[1].index_dir) for b, h in handles.items()}}


def render(result: dict) -> str:
    rows = [r for r in result["rows"] if "skipped" not in r]
    t1 = table(
        ["stack", "chunks", "wall s", "source wp/s", "embedded wp/s", "vs raw encode", "vs LangChain",
         "chunks truncated", "text seen"],
        [[r["stack"], r["chunks"], r["ingest_s"], r["source_pieces_per_s"], r["embedded_pieces_per_s"],
          _ratio(r.get("vs_raw_encode")), _ratio(r.get("vs_langchain")), r["chunks_truncated"],
          f"{100 * r['text_seen_share']:.1f}%"] for r in rows],
    )
    t2 = table(
        ["backend", "raw encode s", "raw embedded wp/s"],
        [[r["backend"], r["raw_encode_s"], r["raw_embedded_pieces_per_s"]] for r in rows if "raw_encode_s" in r],
    )
    inc = result["incremental"]
    t3 = table(
        ["backend", "articles", "changed", "full build s", "re-ingest s", "fraction of full", "embedded",
         "no-change run s"],
        [[inc["backend"], inc["articles"], inc["changed_articles"], inc["full_build_s"], inc["reingest_s"],
          f"{100 * inc['reingest_fraction_of_full']:.1f}%", inc["embedded"], inc["unchanged_run_s"]]],
    )
    skipped = [f"{r['stack']} skipped: {r['skipped']}" for r in result["rows"] if "skipped" in r]
    head = (f"SciFact slice: {result['docs']} articles, {result['source_bytes'] / 1e6:.2f} MB, "
            f"{result['source_pieces']:,} word pieces of source text")
    return "\n\n".join([head, t1, t2, t3, *skipped])


def _ratio(value: float | None) -> str | None:
    return None if value is None else f"{value:.2f}x"
