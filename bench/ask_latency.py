"""`POST /v1/ask` (extractive answerer) over HTTP against a real `ragqa serve` vs the same call in process.

Also: time from starting the server to ready and to its first answer, and the server's resident memory.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

from bench.common import REPO, percentiles, rss_mb, table, timed


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _tree_rss_mb(pid: int) -> float | None:
    """RSS of the server and its children (uvicorn may fork workers)."""
    total = rss_mb(pid)
    try:
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    except OSError:
        children = []
    for child in children:
        total = (total or 0) + (rss_mb(int(child)) or 0)
    return total


def serve(index_dir: Path, data_dir: Path, backend: str, log: Path) -> tuple[subprocess.Popen, str, dict]:
    """Start `ragqa serve` on a free loopback port; returns the process, its URL and start-up timings."""
    import httpx

    port = _free_port()
    env = os.environ | {
        "RAGQA_INDEX_DIR": str(index_dir), "RAGQA_DATA_DIR": str(data_dir), "RAGQA_EMBEDDING_BACKEND": backend,
        "RAGQA_RATE_LIMIT_PER_MINUTE": "1000000", "HF_HUB_OFFLINE": "1", "TOKENIZERS_PARALLELISM": "false",
    }
    command = [sys.executable, "-m", "service.cli", "serve", "--host", "127.0.0.1", "--port", str(port)]
    started = time.perf_counter()
    proc = subprocess.Popen(command, cwd=REPO, env=env, stdout=log.open("w"), stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    ready_s = None
    with httpx.Client(timeout=5) as client:
        while time.perf_counter() - started < 300:
            if proc.poll() is not None:
                raise RuntimeError(f"ragqa serve exited with {proc.returncode}; see {log}")
            try:
                if client.get(f"{url}/readyz").status_code == 200:
                    ready_s = time.perf_counter() - started
                    break
            except httpx.TransportError:
                pass
            time.sleep(0.05)
        if ready_s is None:
            stop(proc)
            raise RuntimeError(f"ragqa serve was not ready within 300 s; see {log}")
        client.post(f"{url}/v1/ask", json={"question": "What is this knowledge base about?"}, timeout=60)
        first_answer_s = time.perf_counter() - started
    return proc, url, {"ready_s": ready_s, "first_answer_s": first_answer_s}


def stop(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def run(*, index_dir: Path, workdir: Path, embedder, backend: str, questions: list[str]) -> dict:
    import httpx

    from index.store import IndexManager
    from service.answer import AnswerService
    from service.config import Settings

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
        server_rss = _tree_rss_mb(proc.pid)
    finally:
        stop(proc)
    settings = Settings(index_dir=index_dir, data_dir=workdir / "data-inproc")
    service = AnswerService(settings=settings, index=IndexManager(settings, embedder), embedder=embedder)
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
