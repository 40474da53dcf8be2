"""`make bench`: every speed benchmark in one run, printed as tables and saved to bench/results/ as JSON.

    python -m bench.run_all            # full: 600-article ingest slice, 10k/100k/1M chunks (about an hour)
    python -m bench.run_all --quick    # smoke: 120 articles, 10k chunks, no LangChain repeat (~5-10 min)
    python -m bench.http_latency       # the HTTP bench alone, on the sample corpus (`make bench-http`)

Flags override either profile (--docs, --scales, --queries, --repeat, --skip). Figures are only comparable
within one run: every ratio is taken against a baseline measured in the same run, on the same text.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import tempfile
import time
import traceback
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

from bench.common import RESULTS, BenchSkipped, machine, save, scifact_queries

PROFILES = {
    "quick": {"docs": 120, "scales": [10_000], "queries": 150, "repeat": 1, "ask_questions": 60,
              "quality_distractors": 0, "http_requests": 40, "scale_requests": 60, "log_requests": 60,
              "scale_docs": 120},
    "full": {"docs": 600, "scales": [10_000, 100_000, 1_000_000], "queries": 420, "repeat": 2,
             "ask_questions": 205, "quality_distractors": 500, "http_requests": 150, "scale_requests": 80,
             "log_requests": 200, "scale_docs": 1500},  # Ray: enough work that each job's model load is amortised
}
BENCHES = ("ingest", "batch", "ann", "retrieval", "ask", "http", "scale", "answer_log", "quality", "scale_ray")
TARGETS_TITLE = "Targets (issue 7; HTTP: issue 4; answer log: issue 17; scale: issue 19)"
QUERY_BACKEND = "onnx"  # the query path's backend: fp32 ONNX (identical vectors to torch, 2-4x faster)


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="python -m bench.run_all", description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--quick", action="store_true", help="small sizes: a smoke run in minutes")
    p.add_argument("--docs", type=int, help="SciFact articles in the ingest slice")
    p.add_argument("--scales", help="comma-separated chunk counts for the retrieval bench, e.g. 10000,100000")
    p.add_argument("--queries", type=int, help="distinct questions per retrieval measurement (first 20 warm up)")
    p.add_argument("--repeat", type=int, help="ingest runs per stack (the fastest counts; default 2, quick 1)")
    p.add_argument("--backends", default="torch,onnx,onnx-int8", help="embedding backends for the ingest bench")
    p.add_argument("--skip", default="", help=f"comma-separated benches to skip: {', '.join(BENCHES)}")
    p.add_argument("--workdir", type=Path, help="scratch folder (default: a temp dir, removed afterwards)")
    p.add_argument("--ann-threshold", type=int,
                   help="override RAGQA_ANN_THRESHOLD for the retrieval bench (chunks above it use HNSW)")
    p.add_argument("--tag", default="", help="suffix for the result files (keeps several runs side by side)")
    p.add_argument("--quality-backends", default="onnx,onnx-int8",
                   help="backends for the nDCG bench; the first is the reference (fp32 ONNX = torch vectors)")
    p.add_argument("--http-requests", type=int, help="timed requests per endpoint and concurrency level in the "
                   "HTTP bench (default 150, quick 40)")
    p.add_argument("--ask-scale", type=int, help="index size (chunks) for the /v1/ask bench (default 100000, "
                   "or the largest scale below it)")
    return p.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    profile = dict(PROFILES["quick" if args.quick else "full"])
    for key in ("docs", "queries", "repeat", "http_requests"):
        if getattr(args, key) is not None:
            profile[key] = getattr(args, key)
    if args.scales:
        profile["scales"] = [int(s) for s in args.scales.split(",") if s.strip()]
    skip = {s.strip() for s in args.skip.split(",") if s.strip()}
    backends = [b.strip() for b in args.backends.split(",") if b.strip()]
    overrides = {"ann_threshold": args.ann_threshold} if args.ann_threshold else None
    ask_scale = args.ask_scale or max([s for s in profile["scales"] if s <= 100_000] or profile["scales"][:1])
    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="ragqa-bench-"))
    workdir.mkdir(parents=True, exist_ok=True)
    RESULTS.mkdir(parents=True, exist_ok=True)
    command = "python -m bench.run_all " + " ".join(argv if argv is not None else sys.argv[1:])
    summary = {"command": command.strip(), "profile": profile, "settings_overrides": overrides,
               "machine_at_start": machine(),
               "started": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()), "results": {}, "errors": {}}
    report: list[str] = [f"# ragqa bench: {summary['command']}", f"machine: {json.dumps(summary['machine_at_start'])}"]

    def section(name: str, title: str, fn) -> object:
        if name in skip:
            return None
        print(f"\n== {title} ==", flush=True)
        started = time.perf_counter()
        try:
            result, text = fn()
        except BenchSkipped as exc:
            print(f"skipped: {exc}")
            summary["errors"][name] = f"skipped: {exc}"
            return None
        except Exception as exc:  # one failing bench must not lose the others' figures
            traceback.print_exc()
            summary["errors"][name] = f"{type(exc).__name__}: {exc}"
            return None
        result["elapsed_s"] = time.perf_counter() - started
        save(name, result, args.tag)
        summary["results"][name] = result
        print(text, flush=True)
        report.extend([f"\n## {title}\n", text])
        return result

    try:
        from bench import (
            ann_recall,
            answer_log,
            ask_latency,
            batch_size,
            http_latency,
            ingest_speed,
            quality,
            retrieval_latency,
            scale_ray,
            scale_replicas,
        )
        from bench.embedders import make_embedder
        from ragqa.settings import Settings

        ingest = section("ingest", "Ingest throughput and incremental re-ingest", lambda: _pair(
            ingest_speed.run(docs=profile["docs"], workdir=workdir, backends=backends, repeat=profile["repeat"]),
            ingest_speed.render))
        base_index = _base_index(ingest, workdir, profile["docs"], skip)
        section("batch", "Embedding batch size", lambda: _pair(
            batch_size.run(base_index=base_index, backends=[b for b in backends if b != "torch"] or backends),
            batch_size.render))
        query_embedder = make_embedder(QUERY_BACKEND)
        questions = scifact_queries()
        settings = Settings()
        section("ann", "Approximate dense index recall on real embeddings", lambda: _pair(
            ann_recall.run(base_index=base_index, embedder=query_embedder, queries=questions[:300],
                           settings=settings), ann_recall.render))
        retrieval = section("retrieval", "Retrieval latency by index size", lambda: _pair(
            retrieval_latency.run(base_index=base_index, scales=profile["scales"], workdir=workdir,
                                  embedder=query_embedder, queries=questions[:profile["queries"]], keep=ask_scale,
                                  settings_overrides=overrides),
            retrieval_latency.render))
        if retrieval and retrieval.get("kept"):
            section("ask", f"/v1/ask latency at {ask_scale:,} chunks", lambda: _pair(
                ask_latency.run(index_dir=Path(retrieval["kept"]), workdir=workdir, embedder=query_embedder,
                                backend=QUERY_BACKEND, questions=questions[-profile["ask_questions"]:]),
                lambda r: ask_latency.render(r, ask_scale)))
            # SciFact questions after the retrieval bench's and before the ask bench's: new to every cache.
            http_questions = questions[profile["queries"]:profile["queries"] + http_latency.WARMUP
                                       + 2 * profile["http_requests"]]
            section("http", f"HTTP service: /v1/search and /v1/ask at concurrency 1, 4, 8 ({ask_scale:,} chunks)",
                    lambda: _pair(http_latency.run(index_dir=Path(retrieval["kept"]), workdir=workdir,
                                                   backend=QUERY_BACKEND, questions=http_questions,
                                                   requests=profile["http_requests"]), http_latency.render))
            # Replicas (issue 19): fresh SciFact questions again, after the HTTP bench's.
            scale_first = profile["queries"] + http_latency.WARMUP + 2 * profile["http_requests"]
            scale_questions = questions[scale_first:scale_first + 2 * scale_replicas.WARMUP
                                        + len(scale_replicas.ORDER) * profile["scale_requests"]]
            section("scale", f"Replicas: two against one under concurrent /v1/ask ({ask_scale:,} chunks)",
                    lambda: _pair(scale_replicas.run(index_dir=Path(retrieval["kept"]), workdir=workdir,
                                                     questions=scale_questions, backend=QUERY_BACKEND,
                                                     requests=profile["scale_requests"]), scale_replicas.render))
            section("answer_log", f"/v1/ask with the answer log on vs off ({ask_scale:,} chunks)", lambda: _pair(
                answer_log.run(index_dir=Path(retrieval["kept"]), workdir=workdir, backend=QUERY_BACKEND,
                               questions=http_questions, requests=profile["log_requests"]), answer_log.render))
        if profile["quality_distractors"]:
            section("quality", "Embedding backends: SciFact nDCG@10", lambda: _pair(
                quality.run(workdir=workdir, backends=args.quality_backends.split(","),
                            distractors=profile["quality_distractors"]), quality.render))
        # Scale (issue 19): ingest on a Ray cluster, 2 worker nodes against 1, 1 CPU each.
        section("scale_ray", "Scale: ingest on Ray, 2 worker nodes vs 1 (1 CPU each)", lambda: _pair(
            scale_ray.run(docs=profile["scale_docs"], workdir=workdir, repeat=profile["repeat"],
                          backend=QUERY_BACKEND), scale_ray.render))
    finally:
        summary["finished"] = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
        targets = check_targets(summary["results"])
        summary["targets"] = targets
        report.extend([f"\n## {TARGETS_TITLE}\n", render_targets(targets)])
        tag = f"-{args.tag}" if args.tag else ""
        (RESULTS / f"summary{tag}.json").write_text(json.dumps(summary | {"machine_at_end": machine()}, indent=2,
                                                         default=str))
        (RESULTS / f"summary{tag}.md").write_text("\n".join(report) + "\n")
        print(f"\n== {TARGETS_TITLE} ==\n" + render_targets(targets))
        print(f"\nresults: {RESULTS}/*{tag}.json, tables: {RESULTS}/summary{tag}.md")
        if args.workdir is None:
            shutil.rmtree(workdir, ignore_errors=True)
    return 1 if summary["errors"] and not summary["results"] else 0


def _pair(result, render):
    return result, render(result)


def _base_index(ingest: dict | None, workdir: Path, docs: int, skip: set[str]) -> Path:
    """The real embeddings the later benches grow from: the fp32 ONNX index of the ingest slice."""
    if ingest:
        dirs = ingest["index_dirs"]
        return Path(dirs.get(QUERY_BACKEND) or next(iter(dirs.values())))
    from bench.common import scifact_docs, write_text_files
    from bench.embedders import make_embedder
    from ragqa.index.ingest import ingest_paths
    from ragqa.settings import Settings

    folder = write_text_files(scifact_docs(docs), workdir / "scifact-txt")
    settings = Settings(index_dir=workdir / f"index-{QUERY_BACKEND}", data_dir=workdir / "data")
    ingest_paths([folder], settings=settings, embedder=make_embedder(QUERY_BACKEND))
    return settings.index_dir


def check_targets(results: dict) -> list[dict]:
    """The issue's "done when" list, each with the measured figure and whether it is met."""
    out = []
    ingest = results.get("ingest")
    if ingest:
        rows = {r.get("backend") + ("/lc" if r["stack"].startswith("LangChain") else ""): r for r in ingest["rows"]
                if "skipped" not in r}
        for backend in ("torch", "onnx", "onnx-int8"):
            if backend in rows:
                r = rows[backend]
                out.append(_target(f"ingest >= 0.9x raw encode ({backend})", r["vs_raw_encode"], ">=", 0.9, "x"))
        accurate = _accurate_backends(results)
        candidates = [rows[b] for b in accurate if b in rows and "vs_langchain" in rows[b]]
        if candidates:
            best = max(candidates, key=lambda r: r["vs_langchain"])
            out.append(_target(f"fastest accurate backend ({best['backend']}) >= 1.2x LangChain",
                               best["vs_langchain"], ">=", 1.2, "x"))
            out.append(_target(f"and truncates no chunk ({best['backend']})", best["chunks_truncated"],
                               "<=", 0, " chunks"))
        inc = ingest["incremental"]
        out.append(_target("re-ingest after 1% change <= 3% of full build", 100 * inc["reingest_fraction_of_full"],
                           "<=", 3.0, "%"))
    scales = (results.get("retrieval") or {}).get("scales", {})
    for n, limit in (("100000", 10.0), ("1000000", 20.0)):
        if n in scales:
            out.append(_target(f"retrieval p50 at {int(n):,} chunks <= {limit:g} ms", scales[n]["search"]["p50_ms"],
                               "<=", limit, " ms"))
    if "100000" in scales:  # issue 20: the budget of the default search with score fusion and the MaxSim rerank
        out.append(_target("retrieval p50 at 100,000 chunks with score fusion and rerank <= 15 ms",
                           scales["100000"]["search"]["p50_ms"], "<=", 15.0, " ms"))
    for n, r in scales.items():
        if "recall_at_10_vs_exact" in r:
            out.append(_target(f"recall@10 vs exact at {int(n):,} chunks (semi-synthetic) >= 0.95",
                               r["recall_at_10_vs_exact"], ">=", 0.95, ""))
    ann = results.get("ann")
    if ann:
        from bench.ann_recall import product_recall

        recall = product_recall(ann)
        if recall is not None:
            out.append(_target(f"recall@10 vs exact, real embeddings ({ann['vectors']:,} vectors) >= 0.95",
                               recall, ">=", 0.95, ""))
    ask = results.get("ask")
    if ask and ask["http"].get("n"):
        out.append(_target("/v1/ask p50 over HTTP <= 50 ms", ask["http"]["p50_ms"], "<=", 50.0, " ms"))
    http = results.get("http")
    if http:  # issue 4
        from bench.http_latency import RATIO_BOUND, non_200, ratios

        for name, r in ratios(http).items():
            out.append(_target(f"HTTP p50 within 2x of in-process at concurrency 1 ({http['endpoints'][name]['path']})",
                               r["ratio"], "<=", RATIO_BOUND, "x"))
        out.append(_target("HTTP bench: every request answered 200", non_200(http), "<=", 0, " non-200"))
    logged = results.get("answer_log")
    if logged and logged.get("ratio_p50"):  # issue 17
        from bench.answer_log import RATIO_BOUND as LOG_BOUND

        out.append(_target("/v1/ask p50 with the answer log on / off", logged["ratio_p50"], "<=", LOG_BOUND, "x"))
    ray = results.get("scale_ray")
    if ray:  # issue 19; the machine's cores beside it: both nodes share them with the driver
        out.append(_target(f"Ray ingest 2 workers vs 1 ({ray['machine_cpus']} CPUs on this machine)",
                           ray["ratio_2_vs_1"], ">=", ray["target_ratio"], "x"))
    return out


def _accurate_backends(results: dict) -> list[str]:
    """torch and fp32 ONNX always; int8 when the quality bench shows dense nDCG@10 within 0.01 of torch
    (or of fp32 ONNX, whose vectors the test suite holds to cosine >= 0.999 of torch's)."""
    accurate = ["torch", "onnx"]
    q = (results.get("quality") or {}).get("backends", {})
    ref = q.get("torch") or q.get("onnx")
    if ref and "onnx-int8" in q and abs(q["onnx-int8"]["dense"] - ref["dense"]) <= 0.01:
        accurate.append("onnx-int8")
    return accurate


def _target(name: str, value: float, op: str, bound: float, unit: str) -> dict:
    met = value >= bound if op == ">=" else value <= bound
    return {"target": name, "measured": value, "bound": f"{op} {bound:g}{unit}", "met": met, "unit": unit}


def render_targets(targets: list[dict]) -> str:
    from bench.common import table

    if not targets:
        return "(no results)"
    return table(["target", "measured", "bound", "met"],
                 [[t["target"], f"{t['measured']:.3g}{t['unit']}", t["bound"], "yes" if t["met"] else "NO"]
                  for t in targets])


if __name__ == "__main__":
    sys.exit(main())
