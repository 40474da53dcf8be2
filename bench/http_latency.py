"""`POST /v1/search` and `POST /v1/ask` over HTTP at concurrency 1, 4 and 8 against a real `ragqa serve`, beside
the in-process time of the same queries (Retriever.search, AnswerService.answer) measured in the same run.

Each concurrency level runs against a freshly started server and sends the same questions, so every level meets
a cold query-embedding cache; search and ask get disjoint questions (they share the server's cache). At
concurrency 1 each HTTP request alternates with the same call in this process (its own embedder on the server's
backend, also cold), so load from other jobs on a shared machine falls on both sides alike: the ratio
HTTP p50 / in-process p50 is the figure to read (issue 4: within 2x at concurrency 1).

    python -m bench.http_latency                    # indexes corpus/ in a temp dir, asks eval/questions.jsonl
    python -m bench.http_latency --index DIR [--questions sample|scifact|FILE.jsonl] [--backend torch|onnx]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path

from bench.common import FIRST_QUESTION, REPO, percentiles, serve, stop, table, timed, tree_rss_mb
from ragqa.service.composition import build_answer_service, build_embedder, open_index, tune_for_serving

ENDPOINTS = {"search": ("/v1/search", "query"), "ask": ("/v1/ask", "question")}
IN_PROCESS = {"search": "Retriever.search", "ask": "AnswerService.answer"}
LEVELS = (1, 4, 8)
WARMUP = 5  # questions each endpoint sends (untimed) before the timed ones, on every server and in process
ANONYMOUS = frozenset()  # the loopback demo's anonymous caller reads public articles only; in process does too
RATIO_BOUND = 2.0


def load_questions(spec: str = "sample") -> list[str]:
    """sample: eval/questions.jsonl (the sample corpus); scifact: SciFact queries; else a JSONL file's
    `question` (or `text`) fields."""
    if spec == "scifact":
        from bench.common import scifact_queries

        return scifact_queries()
    path = REPO / "eval" / "questions.jsonl" if spec == "sample" else Path(spec)
    out = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            record = json.loads(line)
            out.append(record.get("question") or record["text"])
    return list(dict.fromkeys(out))  # distinct, in file order


def _post(client, url: str, endpoint: str, text: str) -> tuple[float, str, float | None]:
    """(client-side ms, status or error name, server-reported ms) of one request."""
    import httpx

    path, field = ENDPOINTS[endpoint]
    response = None
    with timed() as t:
        try:
            response = client.post(url + path, json={field: text})
        except httpx.HTTPError as exc:
            status = type(exc).__name__
    server_ms = None
    if response is not None:
        status = str(response.status_code)
        if response.status_code == 200:
            timings = response.json().get("timings_ms", {})
            server_ms = timings.get("total", timings.get("retrieve"))
    return 1000 * t["s"], status, server_ms


def _summary(samples: list[tuple[float, str, float | None]], wall_s: float, concurrency: int) -> dict:
    statuses: dict[str, int] = {}
    for _, status, _ in samples:
        statuses[status] = statuses.get(status, 0) + 1
    ok = [s for s in samples if s[1] == "200"]
    return {
        "concurrency": concurrency, "n": len(samples), "statuses": statuses,
        "latency": percentiles([ms for ms, _, _ in ok]),
        "server": percentiles([s for _, _, s in ok if s is not None]),
        "wall_s": round(wall_s, 3), "rps": round(len(ok) / wall_s, 2) if wall_s > 0 else None,
    }


def _drive_alone(url: str, endpoint: str, texts: list[str], in_process: Callable[[str], object],
                 max_s: float) -> tuple[dict, list[float]]:
    """Concurrency 1: each request alternates with the same call in process (which goes first alternates too).

    req/s is requests over the summed request times: the client is sequential, the in-process calls between
    requests are not server time.
    """
    import httpx

    samples, local_ms = [], []
    deadline = time.perf_counter() + max_s
    with httpx.Client(timeout=60) as client:
        client.get(url + "/healthz")  # open the connection before the clock starts
        for i, text in enumerate(texts):
            if time.perf_counter() > deadline:
                break
            if i % 2:
                with timed() as t:
                    in_process(text)
                samples.append(_post(client, url, endpoint, text))
            else:
                samples.append(_post(client, url, endpoint, text))
                with timed() as t:
                    in_process(text)
            local_ms.append(1000 * t["s"])
    wall_s = sum(ms for ms, _, _ in samples) / 1000
    return _summary(samples, wall_s, 1), local_ms


def _drive(url: str | list[str], endpoint: str, texts: list[str], concurrency: int, max_s: float,
           headers: dict | None = None) -> dict:
    """`concurrency` threads, one httpx client each, take the next text until none is left or time is up.

    Several URLs (replicas): thread i sends to url i mod n, as a round-robin load balancer would.
    """
    import httpx

    urls = [url] if isinstance(url, str) else list(url)
    lock = threading.Lock()
    pending = iter(texts)
    samples: list[tuple[float, str, float | None]] = []
    start = threading.Barrier(concurrency + 1, timeout=60)
    deadline = [0.0]

    def worker(url: str) -> None:
        with httpx.Client(timeout=60, headers=headers) as client:
            try:
                client.get(url + "/healthz")  # open the connection before the clock starts
            except Exception:
                start.abort()
                raise
            start.wait()
            while time.perf_counter() < deadline[0]:
                with lock:
                    text = next(pending, None)
                if text is None:
                    return
                sample = _post(client, url, endpoint, text)
                with lock:
                    samples.append(sample)

    threads = [threading.Thread(target=worker, args=(urls[i % len(urls)],), daemon=True) for i in range(concurrency)]
    for thread in threads:
        thread.start()
    deadline[0] = time.perf_counter() + max_s
    start.wait()
    began = time.perf_counter()
    for thread in threads:
        thread.join()
    return _summary(samples, time.perf_counter() - began, concurrency)


def _warm(url: str, texts: list[str]) -> None:
    import httpx

    with httpx.Client(timeout=60) as client:
        for endpoint in ENDPOINTS:
            for text in texts:
                _post(client, url, endpoint, text)


def run(*, index_dir: Path, workdir: Path, backend: str, questions: list[str], requests: int = 40,
        levels: tuple[int, ...] = LEVELS, max_seconds: float = 60.0) -> dict:
    """Measure both endpoints at each concurrency level (a fresh server per level) and in process."""
    tune_for_serving()  # the in-process figures are timed like a serving process
    from ragqa.settings import Settings

    questions = list(dict.fromkeys(questions))
    requests = min(requests, (len(questions) - WARMUP) // 2)
    if requests < 1:
        raise ValueError(f"{len(questions)} distinct questions: need at least {WARMUP + 2}")
    warm = questions[:WARMUP]
    texts = {"search": questions[WARMUP:WARMUP + requests], "ask": questions[WARMUP + requests:WARMUP + 2 * requests]}

    # In process: what the server builds from the same settings (same backend, same index), mirrored step by step.
    settings = Settings(index_dir=index_dir, data_dir=workdir / "data-inproc", embedding_backend=backend)
    embedder = build_embedder(settings)
    manager = open_index(settings, embedder)
    service = build_answer_service(settings, manager, embedder)
    k = settings.top_k
    local: dict[str, Callable[[str], object]] = {
        "search": lambda q: manager.retriever().search(" ".join(q.split()), k=k, groups=ANONYMOUS),
        "ask": lambda q: service.answer(q, top_k=k, groups=ANONYMOUS),
    }
    status = manager.status()
    local["ask"](FIRST_QUESTION)
    for endpoint in ENDPOINTS:
        for text in warm:
            local[endpoint](text)

    endpoints = {name: {"path": path, "in_process_call": IN_PROCESS[name], "levels": {}}
                 for name, (path, _) in ENDPOINTS.items()}
    startup, server_rss = {}, {}
    for level in levels:
        proc, url, startup[str(level)] = serve(index_dir, workdir / f"data-serve-{level}", backend,
                                               workdir / f"serve-c{level}.log")
        try:
            _warm(url, warm)
            for endpoint in ENDPOINTS:
                if level == 1:
                    summary, local_ms = _drive_alone(url, endpoint, texts[endpoint], local[endpoint], max_seconds)
                    endpoints[endpoint]["in_process"] = percentiles(local_ms)
                    endpoints[endpoint]["in_process"]["rps"] = (
                        round(1000 * len(local_ms) / sum(local_ms), 2) if local_ms else None)
                else:
                    summary = _drive(url, endpoint, texts[endpoint], level, max_seconds)
                endpoints[endpoint]["levels"][str(level)] = summary
            server_rss[str(level)] = tree_rss_mb(proc.pid)
        finally:
            stop(proc)
    result = {
        "backend": backend, "embedder": type(embedder).__name__, "index_dir": str(index_dir),
        "chunks": status.get("chunks"), "articles": status.get("articles"), "index_version": status.get("serving"),
        "questions": {"warmup": WARMUP, "per_endpoint": requests, "distinct": len(questions)},
        "levels": list(levels), "max_seconds": max_seconds, "startup": startup, "server_rss_mb": server_rss,
        "endpoints": endpoints,
    }
    result["ratio_c1"] = ratios(result)
    return result


def ratios(result: dict) -> dict:
    """Per endpoint: HTTP p50 at concurrency 1 over the in-process p50, and whether it is within 2x."""
    out = {}
    for name, e in result.get("endpoints", {}).items():
        http = e.get("levels", {}).get("1", {}).get("latency", {}).get("p50_ms")
        local = (e.get("in_process") or {}).get("p50_ms")
        if http is None or not local:
            continue
        ratio = http / local
        out[name] = {"http_p50_ms": http, "in_process_p50_ms": local, "ratio": round(ratio, 3),
                     "within_2x": ratio <= RATIO_BOUND}
    return out


def non_200(result: dict) -> int:
    """Requests in any level that did not get 200 (a transport error counts too)."""
    return sum(n for e in result.get("endpoints", {}).values() for level in e.get("levels", {}).values()
               for status, n in level.get("statuses", {}).items() if status != "200")


def render(result: dict) -> str:
    rss = [v for v in result.get("server_rss_mb", {}).values() if v]
    ready = [s["ready_s"] for s in result.get("startup", {}).values()]
    q = result["questions"]
    embedder = f" ({result['embedder']} in process)" if result.get("embedder") else ""
    head = (f"{result.get('chunks') or 0:,} chunks ({result.get('articles') or 0:,} articles), embedding backend "
            f"{result['backend']}{embedder}; {q['per_endpoint']} distinct questions per endpoint "
            f"(+{q['warmup']} warm-up), "
            f"the same at every level, each level on a freshly started server"
            + (f" (ready in {min(ready):.1f}-{max(ready):.1f} s)" if ready else "")
            + (f"; server RSS up to {max(rss):.0f} MiB" if rss else "") + f"; non-200 responses: {non_200(result)}")
    rows = []
    for e in result["endpoints"].values():
        for level, s in e["levels"].items():
            lat = s["latency"]
            statuses = ", ".join(f"{k}: {v}" for k, v in sorted(s["statuses"].items()))
            rows.append([e["path"], "HTTP", int(level), s["n"], lat.get("p50_ms"), lat.get("p95_ms"),
                         lat.get("p99_ms"), s.get("rps"), s["server"].get("p50_ms"), statuses])
            local = e.get("in_process")
            if level == "1" and local:  # measured alongside the concurrency-1 requests
                rows.append([e["path"], f"in process ({e['in_process_call']})", 1, local.get("n"),
                             local.get("p50_ms"), local.get("p95_ms"), local.get("p99_ms"), local.get("rps"), None,
                             None])
    text = table(["endpoint", "measured", "concurrency", "n", "p50 ms", "p95 ms", "p99 ms", "req/s",
                  "server p50 ms", "statuses"], rows)
    parts = [f"{result['endpoints'][name]['path']} {r['ratio']:.2f}x "
             f"({r['http_p50_ms']:g} / {r['in_process_p50_ms']:g} ms, within 2x: {'yes' if r['within_2x'] else 'NO'})"
             for name, r in ratios(result).items()]
    return (head + "\n\n" + text + "\n\nHTTP p50 / in-process p50 at concurrency 1: " + ("; ".join(parts) or "–")
            + "\n(server p50 = the server's own timings_ms: retrieve for search, total for ask; "
            "req/s at concurrency 1 = requests over summed request time)")


def _build_sample_index(workdir: Path, backend: str) -> Path:
    from ragqa.index.ingest import ingest_paths
    from ragqa.settings import Settings

    settings = Settings(index_dir=workdir / "index", data_dir=workdir / "data-ingest", embedding_backend=backend)
    ingest_paths([REPO / "corpus"], settings=settings, embedder=build_embedder(settings))
    return settings.index_dir


def main(argv: list[str] | None = None) -> int:
    from bench.common import machine, save
    from ragqa.settings import Settings

    p = argparse.ArgumentParser(prog="python -m bench.http_latency", description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--index", type=Path, help="an index dir (default: index corpus/ into a temp dir first)")
    p.add_argument("--backend", help="embedding backend for the server and in process, any RAGQA_EMBEDDING_BACKEND "
                   "value (default: Settings().embedding_backend, what `ragqa serve` uses)")
    p.add_argument("--questions", default="sample",
                   help="sample (eval/questions.jsonl), scifact, or a JSONL file with question/text fields")
    p.add_argument("--requests", type=int, default=40, help="timed requests per endpoint and level (default 40)")
    p.add_argument("--levels", default="1,4,8", help="concurrency levels (1 is needed for the ratio)")
    p.add_argument("--max-seconds", type=float, default=60.0, help="time bound per endpoint and level")
    p.add_argument("--workdir", type=Path, help="scratch folder (default: a temp dir, removed afterwards)")
    p.add_argument("--tag", default="", help="suffix for bench/results/http[-TAG].json")
    args = p.parse_args(argv)
    backend = args.backend or Settings().embedding_backend
    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="ragqa-http-bench-"))
    workdir.mkdir(parents=True, exist_ok=True)
    try:
        print(f"machine: {json.dumps(machine())}", flush=True)
        index_dir = args.index
        if index_dir is None:
            with timed() as t:
                index_dir = _build_sample_index(workdir, backend)
            print(f"indexed corpus/ into {index_dir} in {t['s']:.1f} s ({backend})", flush=True)
        started = time.perf_counter()
        result = run(index_dir=index_dir, workdir=workdir, backend=backend, questions=load_questions(args.questions),
                     requests=args.requests, levels=tuple(int(x) for x in args.levels.split(",") if x.strip()),
                     max_seconds=args.max_seconds)
        result["elapsed_s"] = time.perf_counter() - started
        result["command"] = "python -m bench.http_latency " + " ".join(sys.argv[1:] if argv is None else argv)
        print(render(result))
        print(f"\nresults: {save('http', result, args.tag)}")
    finally:
        if args.workdir is None:
            shutil.rmtree(workdir, ignore_errors=True)
    return 0 if non_200(result) == 0 else 1


if __name__ == "__main__":
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    sys.exit(main())
