"""`POST /v1/ask` (extractive answerer) over HTTP against a real `ragqa serve` vs the same call in process.

Also: time from starting the server to ready and to its first answer, and the server's resident memory.
"""

from __future__ import annotations

from pathlib import Path

from bench.common import percentiles, serve, stop, table, timed, tree_rss_mb
from ragqa.service.composition import build_components, tune_for_serving


def run(*, index_dir: Path, workdir: Path, embedder, backend: str, questions: list[str]) -> dict:
    tune_for_serving()  # timed like a serving process
    import httpx

    from ragqa.settings import Settings

    proc, url, startup = serve(index_dir, workdir / "data-serve", backend, workdir / "serve.log")
    http_ms, server_ms, statuses, abstained, stages = [], [], {}, 0, {}
    try:
        with httpx.Client(timeout=60) as client:
            for q in questions[:5]:  # warm-up: connection, first-use allocations
                client.post(f"{url}/v1/ask", json={"question": q})
            for q in questions[5:]:
                with timed() as t:
                    response = client.post(f"{url}/v1/ask", json={"question": q})
                statuses[response.status_code] = statuses.get(response.status_code, 0) + 1
                if response.status_code == 200:
                    http_ms.append(1000 * t["s"])
                    body = response.json()
                    abstained += bool(body.get("abstained"))
                    server_ms.append(float(body.get("timings_ms", {}).get("total", 0.0)))
                    for stage, ms in body.get("timings_ms", {}).items():
                        stages.setdefault(stage, []).append(float(ms))
        server_rss = tree_rss_mb(proc.pid)
    finally:
        stop(proc)
    settings = Settings(index_dir=index_dir, data_dir=workdir / "data-inproc")
    service = build_components(settings, embedder=embedder).answers
    for q in questions[:5]:
        service.answer(q)
    inproc_ms = []
    for q in questions[5:]:
        with timed() as t:
            service.answer(q)
        inproc_ms.append(1000 * t["s"])
    return {
        "backend": backend, "startup": startup, "server_rss_mb": server_rss, "statuses": statuses,
        "abstained": abstained, "http": percentiles(http_ms), "server_reported_total": percentiles(server_ms),
        "in_process": percentiles(inproc_ms),
        "server_stages_p50_ms": {k: percentiles(v)["p50_ms"] for k, v in stages.items()},
    }


def render(result: dict, chunks: int | None = None) -> str:
    h, s, i = result["http"], result["server_reported_total"], result["in_process"]
    start = result["startup"]
    size = f"{chunks:,} chunks, " if chunks else ""
    head = (f"{size}embedding backend {result['backend']}; server ready {start['ready_s']:.1f}s after start, "
            f"first answer at {start['first_answer_s']:.1f}s; server RSS {result['server_rss_mb']:.0f} MiB; "
            f"HTTP statuses {result['statuses']}; "
            f"{result['abstained']} of {h.get('n', 0)} abstained")
    rows = [[name, p.get("n"), p.get("p50_ms"), p.get("p95_ms"), p.get("p99_ms")] for name, p in
            [("POST /v1/ask over HTTP", h), ("server-reported total", s), ("AnswerService.answer in process", i)]]
    stages = ", ".join(f"{k} {v:g}" for k, v in result.get("server_stages_p50_ms", {}).items())
    return (head + "\n\n" + table(["path", "n", "p50 ms", "p95 ms", "p99 ms"], rows)
            + (f"\n\nserver-reported p50 by stage (ms): {stages}" if stages else ""))
