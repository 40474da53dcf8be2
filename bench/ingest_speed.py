"""Ingest throughput: `ragqa ingest` vs raw encode of the same chunks (same backend) vs the LangChain stack.

Also the incremental cost: re-ingest after changing 1% of the articles, as a fraction of the full build.
Throughput is in word pieces per second of the *source text* (the same numerator for every stack, so ratios
compare like with like) and of the word pieces actually embedded.
"""

from __future__ import annotations

import math
import shutil
import time
from pathlib import Path

from bench.common import table, timed
from bench.embedders import make_embedder, word_piece_counter


def _chunk_texts(index_dir: Path) -> list[str]:
    """What ingest embedded, in index order: title/heading prefix + chunk text."""
    from ragqa.index.chunking import contextual_text
    from ragqa.index.reader import open_current

    version = open_current(index_dir, verify_checksums=False)
    try:
        titles = {r.article.doc_id: r.article.title for r in version.article_records(with_text=False)}
        return [contextual_text(titles[c.doc_id], c) for c in version.all_chunks()]
    finally:
        version.close()


def bench_ragqa(backend: str, embedder, folder: Path, workdir: Path, source_pieces: int) -> tuple[dict, object]:
    """Full `ragqa ingest` (in process, model already loaded), then raw encode of exactly its chunks."""
    from ragqa.index.ingest import ingest_paths
    from ragqa.settings import Settings

    settings = Settings(index_dir=workdir / f"index-{backend}", data_dir=workdir / f"data-{backend}")
    shutil.rmtree(settings.index_dir, ignore_errors=True)
    cpu = time.process_time()
    with timed() as t_ingest:
        report = ingest_paths([folder], settings=settings, embedder=embedder)
    ingest_cpu = time.process_time() - cpu
    texts = _chunk_texts(settings.index_dir)
    cpu = time.process_time()
    with timed() as t_raw:
        embedder.embed_documents(texts)
    raw_cpu = time.process_time() - cpu
    counts = [embedder.count_tokens(t) for t in texts]
    limit = embedder.max_seq_length
    pieces = sum(min(c, limit) for c in counts)
    row = {
        "stack": f"ragqa ingest ({backend})", "backend": backend, "articles": report.added, "chunks": len(texts),
        "ingest_s": t_ingest["s"], "raw_encode_s": t_raw["s"], "embedded_pieces": pieces,
        # CPU seconds of this process (all threads): less sensitive than wall time to other jobs on the
        # machine, though ONNX Runtime's spinning worker threads count too.
        "ingest_cpu_s": ingest_cpu, "raw_encode_cpu_s": raw_cpu,
        "chunks_truncated": sum(c > limit for c in counts),
        "text_seen_share": pieces / max(sum(counts), 1),
        "index_dir": str(settings.index_dir),
    }
    return row, settings


def bench_langchain(folder: Path, source_pieces: int, count_tokens, limit: int) -> dict:
    """RecursiveCharacterTextSplitter(1000, 200) + HuggingFaceEmbeddings + FAISS.from_documents, as usually wired."""
    try:
        from langchain_community.vectorstores import FAISS
        from langchain_core.documents import Document
        from langchain_huggingface import HuggingFaceEmbeddings
        from langchain_text_splitters import RecursiveCharacterTextSplitter
    except ImportError as exc:
        return {"stack": "LangChain", "skipped": f"{exc}: pip install -e '.[bench]'"}
    from ragqa.index.embedding import resolve_model_path

    embeddings = HuggingFaceEmbeddings(model_name=str(resolve_model_path("")),
                                       model_kwargs={"device": "cpu", "local_files_only": True})
    embeddings.embed_documents(["warm-up"])
    with timed() as t:
        docs = [Document(page_content=p.read_text(encoding="utf-8"), metadata={"source": str(p)})
                for p in sorted(folder.glob("*.txt"))]
        splits = RecursiveCharacterTextSplitter(chunk_size=1000, chunk_overlap=200).split_documents(docs)
        store = FAISS.from_documents(splits, embeddings)
    counts = [count_tokens(d.page_content) for d in splits]
    pieces = sum(min(c, limit) for c in counts)
    return {
        "stack": "LangChain (torch)", "backend": "torch", "articles": len(docs), "chunks": store.index.ntotal,
        "ingest_s": t["s"], "embedded_pieces": pieces,
        "chunks_truncated": sum(c > limit for c in counts),
        "chunks_truncated_share": sum(c > limit for c in counts) / max(len(counts), 1),
        "text_seen_share": pieces / max(sum(counts), 1),
    }


def bench_incremental(folder: Path, embedder, settings, full_build_s: float, fraction: float = 0.01,
                      trials: int = 3) -> dict:
    """Change `fraction` of the articles (append a sentence), re-ingest; `trials` times, each time the original
    text plus another sentence, so every trial embeds the same chunks (the fastest counts, as for the full
    build). Also a no-change re-ingest, and two floors: raw encode of just the chunks the last re-ingest embedded
    (their text changed), and of every chunk of the changed articles (what re-embedding whole articles costs)."""
    from ragqa.index.ingest import ingest_paths

    with timed() as t_same:
        same = ingest_paths([folder], settings=settings, embedder=embedder)
    files = sorted(folder.glob("*.txt"))
    n_changed = max(1, math.ceil(len(files) * fraction))
    changed = files[:: max(1, len(files) // n_changed)][:n_changed]
    ids = {p.stem for p in changed}
    originals = {path: path.read_text(encoding="utf-8") for path in changed}
    runs, embedded, reused = [], [], []
    for trial in range(trials):
        before = _texts_of(settings.index_dir, ids)
        for path, text in originals.items():
            path.write_text(text + f"\nRevised ({trial}): this abstract was updated for the bench.\n",
                            encoding="utf-8")
        with timed() as t_inc:
            inc = ingest_paths([folder], settings=settings, embedder=embedder)
        runs.append(t_inc["s"])
        embedded.append(inc.embedded)
        reused.append(inc.reused)
    texts = _texts_of(settings.index_dir, ids)
    seen = set(before)
    new_texts = [t for t in texts if t not in seen]
    with timed() as t_floor:
        embedder.embed_documents(new_texts)
    with timed() as t_articles:
        embedder.embed_documents(texts)
    return {
        "articles": len(files), "changed_articles": n_changed, "full_build_s": full_build_s,
        "reingest_s": min(runs), "reingest_runs_s": runs, "reingest_fraction_of_full": min(runs) / full_build_s,
        "reingest_fractions_of_full": [r / full_build_s for r in runs],
        "embedded": embedded[-1], "embedded_runs": embedded, "reused": reused[-1], "reused_runs": reused,
        "updated": inc.updated, "changed_article_chunks": len(texts),
        "embed_only_s": t_floor["s"], "embed_only_fraction_of_full": t_floor["s"] / full_build_s,
        "embed_articles_s": t_articles["s"], "embed_articles_fraction_of_full": t_articles["s"] / full_build_s,
        "unchanged_run_s": t_same["s"], "unchanged_run_embedded": same.embedded,
    }


def _texts_of(index_dir: Path, doc_ids: set[str]) -> list[str]:
    """The embedded (contextual) texts of these articles' chunks in the current version, in row order."""
    from ragqa.index.chunking import contextual_text
    from ragqa.index.reader import open_current

    version = open_current(index_dir, verify_checksums=False)
    try:
        titles = {r.article.doc_id: r.article.title for r in version.article_records(with_text=False)}
        return [contextual_text(titles[c.doc_id], c) for c in version.all_chunks() if c.doc_id in doc_ids]
    finally:
        version.close()


def run(*, docs: int, workdir: Path, backends: list[str], langchain: bool = True, repeat: int = 1) -> dict:
    """Each round runs every stack once, so a busy spell on this shared machine hits all stacks alike; the
    fastest round of each stack counts (the least disturbed one)."""
    from bench.common import scifact_docs, write_text_files

    records = scifact_docs(docs)
    folder = write_text_files(records, workdir / "scifact-txt")
    count_tokens, limit = word_piece_counter()
    source_pieces = sum(count_tokens(p.read_text(encoding="utf-8")) for p in folder.glob("*.txt"))
    embedders = {b: make_embedder(b) for b in backends}
    runs: dict[str, list[dict]] = {}
    settings_of = {}
    for round_ in range(1, repeat + 1):
        for backend in backends:
            print(f"  ingest round {round_}/{repeat}: {backend} ...", flush=True)
            row, settings_of[backend] = bench_ragqa(backend, embedders[backend], folder, workdir, source_pieces)
            runs.setdefault(backend, []).append(row)
        if langchain:
            print(f"  ingest round {round_}/{repeat}: LangChain stack ...", flush=True)
            runs.setdefault("langchain", []).append(bench_langchain(folder, source_pieces, count_tokens, limit))
    rows = [_best(r, source_pieces) for r in runs.values()]
    baseline = next((r for r in rows if r["stack"].startswith("LangChain")), None)
    if baseline and "skipped" not in baseline:
        for row in rows:
            row["vs_langchain"] = row["source_pieces_per_s"] / baseline["source_pieces_per_s"]
    fastest = min((r for r in rows if r["stack"].startswith("ragqa")), key=lambda r: r["ingest_s"])
    print(f"  incremental: {fastest['backend']} ...", flush=True)
    incremental = bench_incremental(folder, embedders[fastest["backend"]], settings_of[fastest["backend"]],
                                    fastest["ingest_s"]) | {"backend": fastest["backend"]}
    return {"docs": len(records), "repeat": repeat, "source_pieces": source_pieces, "source_bytes": sum(
        p.stat().st_size for p in folder.glob("*.txt")), "rows": rows, "incremental": incremental,
        "index_dirs": {b: str(s.index_dir) for b, s in settings_of.items()}}


def _best(runs: list[dict], source_pieces: int) -> dict:
    """The fastest round of one stack, with throughputs and the ratio to its own raw encode."""
    if "skipped" in runs[0]:
        return runs[0]
    row = dict(min(runs, key=lambda r: r["ingest_s"]))
    row["ingest_runs_s"] = [r["ingest_s"] for r in runs]
    row["source_pieces_per_s"] = source_pieces / row["ingest_s"]
    row["embedded_pieces_per_s"] = row["embedded_pieces"] / row["ingest_s"]
    if "raw_encode_s" in row:
        row["raw_runs_s"] = [r["raw_encode_s"] for r in runs]
        row["raw_encode_s"] = min(row["raw_runs_s"])
        row["raw_embedded_pieces_per_s"] = row["embedded_pieces"] / row["raw_encode_s"]
        row["vs_raw_encode"] = row["raw_encode_s"] / row["ingest_s"]
        # The same ratio per round (each ingest against the raw encode right after it) and in CPU seconds.
        row["vs_raw_encode_runs"] = [r["raw_encode_s"] / r["ingest_s"] for r in runs]
        row["ingest_cpu_s"] = min(r["ingest_cpu_s"] for r in runs)
        row["raw_encode_cpu_s"] = min(r["raw_encode_cpu_s"] for r in runs)
        row["vs_raw_encode_cpu"] = row["raw_encode_cpu_s"] / row["ingest_cpu_s"]
    return row


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
        ["backend", "raw encode s", "raw embedded wp/s", "ratio per round", "ingest cpu s", "raw cpu s",
         "vs raw (cpu)"],
        [[r["backend"], r["raw_encode_s"], r["raw_embedded_pieces_per_s"],
          " ".join(f"{x:.2f}x" for x in r.get("vs_raw_encode_runs", [])), r.get("ingest_cpu_s"),
          r.get("raw_encode_cpu_s"), _ratio(r.get("vs_raw_encode_cpu"))] for r in rows if "raw_encode_s" in r],
    )
    inc = result["incremental"]
    t3 = table(
        ["backend", "articles", "changed", "full build s", "re-ingest s (runs)", "fraction of full",
         "embedded / reused", "embed-only floor", "whole articles' embed", "no-change run s"],
        [[inc["backend"], inc["articles"], inc["changed_articles"], inc["full_build_s"],
          f"{inc['reingest_s']:.3f} ({' '.join(f'{x:.3f}' for x in inc.get('reingest_runs_s', []))})",
          f"{100 * inc['reingest_fraction_of_full']:.1f}%", f"{inc['embedded']} / {inc.get('reused', 0)}",
          _seconds_and_share(inc, "embed_only"), _seconds_and_share(inc, "embed_articles"),
          inc["unchanged_run_s"]]],
    )
    skipped = [f"{r['stack']} skipped: {r['skipped']}" for r in result["rows"] if "skipped" in r]
    head = (f"SciFact slice: {result['docs']} articles, {result['source_bytes'] / 1e6:.2f} MB, "
            f"{result['source_pieces']:,} word pieces of source text")
    return "\n\n".join([head, t1, t2, t3, *skipped])


def _seconds_and_share(inc: dict, key: str) -> str | None:
    if f"{key}_s" not in inc:
        return None
    return f"{inc[f'{key}_s']:.3f} s ({100 * inc[f'{key}_fraction_of_full']:.1f}%)"


def _ratio(value: float | None) -> str | None:
    return None if value is None else f"{value:.2f}x"
