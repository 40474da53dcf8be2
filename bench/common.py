"""Shared bench helpers: SciFact text as files, timing, percentiles, tables, JSON results, machine facts."""

from __future__ import annotations

import json
import os
import platform
import re
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
SCIFACT = SHARED / "datasets" / "scifact"
RESULTS = REPO / "bench" / "results"


class BenchSkipped(RuntimeError):
    """A bench cannot run here (data or a component is missing); the message says which."""


def scifact_docs(limit: int | None = None) -> list[dict]:
    """The first `limit` SciFact corpus records ({_id, title, text}), in file order."""
    corpus = SCIFACT / "corpus.jsonl"
    if not corpus.is_file():
        raise BenchSkipped(f"{corpus} is missing: the ingest benches read SciFact from ../shared")
    docs = []
    with corpus.open(encoding="utf-8") as fh:
        for line in fh:
            if limit is not None and len(docs) >= limit:
                break
            doc = json.loads(line)
            if doc.get("text", "").strip():
                docs.append(doc)
    return docs


def scifact_queries(limit: int | None = None) -> list[str]:
    """SciFact query texts (all splits): real, distinct questions, so the query cache never hides the embed."""
    path = SCIFACT / "queries.jsonl"
    if not path.is_file():
        raise BenchSkipped(f"{path} is missing")
    with path.open(encoding="utf-8") as fh:
        texts = [json.loads(line)["text"] for line in fh]
    return texts[:limit] if limit else texts


def write_text_files(docs: list[dict], folder: Path) -> Path:
    """One .txt per record (title line, blank line, abstract): what `ragqa ingest` reads from a folder."""
    folder.mkdir(parents=True, exist_ok=True)
    for stale in folder.glob("*.txt"):  # a previous run's larger slice must not leak into this one
        stale.unlink()
    for doc in docs:
        body = f"{doc['title'].strip()}\n\n{doc['text'].strip()}\n"
        (folder / f"{doc['_id']}.txt").write_text(body, encoding="utf-8")
    return folder


@contextmanager
def timed() -> Iterator[dict]:
    """with timed() as t: ...; t["s"] holds the wall seconds afterwards."""
    box = {"s": 0.0}
    start = time.perf_counter()
    try:
        yield box
    finally:
        box["s"] = time.perf_counter() - start


def percentiles(samples_ms: list[float]) -> dict:
    arr = np.asarray(samples_ms, dtype=np.float64)
    if not len(arr):
        return {"n": 0}
    p50, p95, p99 = np.percentile(arr, [50, 95, 99])
    return {"n": len(arr), "p50_ms": round(float(p50), 2), "p95_ms": round(float(p95), 2),
            "p99_ms": round(float(p99), 2), "mean_ms": round(float(arr.mean()), 2)}


def table(headers: list[str], rows: list[list]) -> str:
    """A plain-text table (also valid Markdown) with right-aligned numbers."""
    cells = [[_fmt(v) for v in row] for row in rows]
    widths = [max(len(h), *(len(r[i]) for r in cells)) if cells else len(h) for i, h in enumerate(headers)]
    line = "| " + " | ".join(h.ljust(w) for h, w in zip(headers, widths, strict=True)) + " |"
    rule = "|" + "|".join("-" * (w + 2) for w in widths) + "|"
    body = ["| " + " | ".join(c.rjust(w) if _numeric(c) else c.ljust(w) for c, w in zip(r, widths, strict=True))
            + " |" for r in cells]
    return "\n".join([line, rule, *body])


def _fmt(value) -> str:
    if value is None:
        return "–"
    if isinstance(value, float):
        return f"{value:,.3f}" if abs(value) < 10 else f"{value:,.1f}" if abs(value) < 1000 else f"{value:,.0f}"
    if isinstance(value, int):
        return f"{value:,}"
    return str(value)


def _numeric(text: str) -> bool:
    return bool(re.fullmatch(r"[-–*]?\d[\d,.]*(x|%| ms| chunks)?|–", text))


def machine() -> dict:
    """What the figures were taken on, including how busy the machine was (other processes share it)."""
    info = {"python": platform.python_version(), "cpus": os.cpu_count(), "platform": platform.platform()}
    try:
        info["cpu"] = next(line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                           if line.startswith("model name"))
        flags = next(line for line in Path("/proc/cpuinfo").read_text().splitlines() if line.startswith("flags"))
        info["avx2"], info["avx512"] = " avx2" in flags, " avx512f" in flags
    except (OSError, StopIteration):
        pass
    from ragqa.index.onnx_embedding import physical_cores

    info["physical_cores"] = physical_cores()
    info["load_average"] = list(os.getloadavg())
    return info


def rss_mb(pid: int | None = None) -> float | None:
    """Resident memory of a process in MiB (VmRSS), or None when it cannot be read."""
    try:
        status = Path(f"/proc/{pid or 'self'}/status").read_text()
    except OSError:
        return None
    for line in status.splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return None


def save(name: str, data: dict, tag: str = "") -> Path:
    """bench/results/<name>[-tag].json (gitignored), with the machine's state at the time of writing."""
    RESULTS.mkdir(parents=True, exist_ok=True)
    path = RESULTS / f"{name}{'-' + tag if tag else ''}.json"
    path.write_text(json.dumps(data | {"machine_at_end": machine()}, indent=2, default=str))
    return path


# --- a real `ragqa serve` for the HTTP benches ------------------------------------------------------------

FIRST_QUESTION = "What is this knowledge base about?"  # serve() asks it once, as the first client would


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def tree_rss_mb(pid: int) -> float | None:
    """RSS of the server and its children (uvicorn may fork workers)."""
    total = rss_mb(pid)
    try:
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    except OSError:
        children = []
    for child in children:
        total = (total or 0) + (rss_mb(int(child)) or 0)
    return total


def serve(index_dir: Path, data_dir: Path, backend: str, log: Path, *, env: dict | None = None,
          headers: dict | None = None) -> tuple[subprocess.Popen, str, dict]:
    """Start `ragqa serve` on a free loopback port; returns the process, its URL and start-up timings.

    The rate limit is raised out of the way (RAGQA_RATE_LIMIT_PER_MINUTE): the benches measure latency, not 429s.
    `env` adds settings (a shared database, say); `headers` go with the first question (a key).
    """
    import httpx

    port = free_port()
    env = os.environ | {
        "RAGQA_INDEX_DIR": str(index_dir), "RAGQA_DATA_DIR": str(data_dir), "RAGQA_EMBEDDING_BACKEND": backend,
        "RAGQA_RATE_LIMIT_PER_MINUTE": "1000000", "HF_HUB_OFFLINE": "1", "TOKENIZERS_PARALLELISM": "false",
    } | (env or {})
    command = [sys.executable, "-m", "ragqa.service.cli", "serve", "--host", "127.0.0.1", "--port", str(port)]
    started = time.perf_counter()
    with log.open("w") as log_file:  # the child keeps its own descriptor
        proc = subprocess.Popen(command, cwd=REPO, env=env, stdout=log_file, stderr=subprocess.STDOUT)
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
        client.post(f"{url}/v1/ask", json={"question": FIRST_QUESTION}, headers=headers, timeout=60)
        first_answer_s = time.perf_counter() - started
    return proc, url, {"ready_s": ready_s, "first_answer_s": first_answer_s}


def stop(proc: subprocess.Popen) -> None:
    """SIGTERM (graceful), then SIGKILL after 30 s."""
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
