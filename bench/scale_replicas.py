"""Replicas: `/v1/ask` throughput of two `ragqa serve` replicas against one, on one PostgreSQL and one Redis, plus
the per-part costs the scaling model in docs/scaling.md is built from (measured in the same run).

1. Two replicas up; phases of load on one of them, then on both, then both, then one (interleaved, so the
   machine's drift falls on both alike), each at the same total concurrency with its own fresh questions (cold
   query caches everywhere); clients alternate between the replicas as a round-robin load balancer would.
   Ratio = mean two-replica req/s over mean one-replica req/s. Replicas on one machine
   share its cores, so the ratio is printed next to the core count: it measures scale-out only where each
   replica gets cores of its own.
2. Per part: a key check and a feedback insert on PostgreSQL and on SQLite, a rate-limit check in Redis (single
   client, in this process); one document PUT through a replica (the driver's write of a whole new version)
   and how long the other replica takes to serve it; the version's bytes on disk per chunk.

    python -m bench.scale_replicas                    # indexes corpus/ in a temp dir, asks eval/questions.jsonl
    python -m bench.scale_replicas --index DIR --questions scifact --concurrency 8
"""

from __future__ import annotations

import argparse
import os
import shutil
import tempfile
import time
from contextlib import ExitStack
from pathlib import Path

from bench.common import BenchSkipped, machine, serve, stop, table
from bench.http_latency import _drive, load_questions

WARMUP = 3  # questions each replica answers (untimed) before its timed share
ORDER = (1, 2, 2, 1)  # replicas per phase: interleaved, so drift in the machine's speed falls on both alike
STATE_OPS = 300  # timed operations per state-store figure


def _state_costs(database_url: str, redis_url: str, workdir: Path) -> dict:
    """Milliseconds per operation for each shared part, one client, in this process."""
    from ragqa.service.api.database import open_database
    from ragqa.service.api.feedback import FeedbackStore
    from ragqa.service.api.keys import KeyStore
    from ragqa.service.api.ratelimit import RedisRateLimiter, redis_client

    out = {}
    for engine, url in (("postgresql", database_url), ("sqlite", None)):
        keys = KeyStore(open_database(workdir / f"state-{engine}", "keys", url))
        feedback = FeedbackStore(open_database(workdir / f"state-{engine}", "feedback", url))
        _, key = keys.create(name="bench", scopes=["ask"])
        out[f"key_check_{engine}_ms"] = _per_op(lambda k=key, s=keys: s.verify(k))
        out[f"feedback_insert_{engine}_ms"] = _per_op(
            lambda f=feedback: f.add(request_id="bench", rating="up", comment=None, caller="bench"))
    limiter = RedisRateLimiter(redis_client(redis_url), "bench", per_minute=10**9)
    out["rate_limit_redis_ms"] = _per_op(lambda: limiter.take("bench"))
    return out


def _per_op(call, n: int = STATE_OPS) -> float:
    call()  # connect, migrate
    started = time.perf_counter()
    for _ in range(n):
        call()
    return round(1000 * (time.perf_counter() - started) / n, 3)


def _dir_bytes(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def _publish_costs(index_dir: Path, a: str, b: str, headers: dict) -> dict:
    """A one-article PUT through replica a: its time, the new version's size, and when replica b serves it."""
    import httpx

    text = ("# Bench notice\n\nThe scale benchmark published this notice through one replica to time how long "
            f"the other takes to serve it ({time.time()}).")
    started = time.perf_counter()
    put = httpx.put(f"{a}/v1/documents/bench/notice", json={"text": text}, headers=headers, timeout=600)
    put.raise_for_status()
    publish_s = time.perf_counter() - started
    version = put.json()["index_version"]
    while httpx.get(f"{b}/readyz", timeout=30).json().get("index_version") != version:
        if time.perf_counter() - started > 600:
            raise RuntimeError(f"replica b did not serve {version} within 600 s")
        time.sleep(0.05)
    seen_s = time.perf_counter() - started
    status = httpx.get(f"{a}/readyz", headers=headers, timeout=30).json()
    size = _dir_bytes(index_dir / "versions" / version)
    chunks = status.get("chunks") or 0
    return {"publish_s": round(publish_s, 3), "other_replica_serves_after_s": round(seen_s, 3),
            "version_bytes": size, "chunks": chunks,
            "bytes_per_chunk": round(size / chunks, 1) if chunks else None}


def run(*, index_dir: Path, workdir: Path, questions: list[str], concurrency: int = 8, requests: int = 60,
        max_seconds: float = 60.0, backend: str = "onnx") -> dict:
    from tests.scale.services import ServiceMissing, fresh_database, postgres_server, redis_server

    questions = list(dict.fromkeys(questions))
    requests = min(requests, (len(questions) - 2 * WARMUP) // len(ORDER))
    if requests < concurrency:
        raise ValueError(f"{len(questions)} distinct questions are too few for concurrency {concurrency}")
    # Every phase gets questions no replica has answered (cold query caches on both sides).
    warm = {"a": questions[:WARMUP], "b": questions[WARMUP:2 * WARMUP]}
    rest = questions[2 * WARMUP:]
    phase_questions = [rest[i * requests:(i + 1) * requests] for i in range(len(ORDER))]
    served = workdir / "scale-index"  # a copy: the publish measurement adds an article
    shutil.rmtree(served, ignore_errors=True)
    shutil.copytree(index_dir, served)
    procs = []
    with ExitStack() as services:
        try:  # a missing PostgreSQL or Redis skips the bench, whichever it is
            admin_url = services.enter_context(postgres_server())
            redis_url = services.enter_context(redis_server())
        except ServiceMissing as exc:
            raise BenchSkipped(str(exc)) from None
        services.callback(lambda: [stop(proc) for proc in procs])  # servers stop before the services they use
        database_url = fresh_database(admin_url, "ragqa_bench")
        from ragqa.service.api.database import open_database
        from ragqa.service.api.keys import KeyStore

        _, key = KeyStore(open_database(workdir, "keys", database_url)).create(name="bench", scopes=["ask", "admin"])
        headers = {"Authorization": f"Bearer {key}"}
        env = {"RAGQA_DATABASE_URL": database_url, "RAGQA_REDIS_URL": redis_url, "RAGQA_REQUIRE_AUTH": "true",
               "RAGQA_RELOAD_POLL_S": "0.2"}

        def start(name: str) -> str:
            proc, url, _ = serve(served, workdir / f"data-{name}", backend, workdir / f"scale-{name}.log",
                                 env=env, headers=headers)
            procs.append(proc)
            return url

        a, b = start("a"), start("b")  # both up throughout: "one replica" leaves b idle, as a drained replica
        _warm_ask(a, warm["a"], headers)
        _warm_ask(b, warm["b"], headers)
        phases = []
        for replicas, texts in zip(ORDER, phase_questions, strict=True):
            targets = [a] if replicas == 1 else [a, b]
            phases.append(_drive(targets, "ask", texts, concurrency, max_seconds, headers=headers) | {
                "replicas": replicas})
        publish = _publish_costs(served, a, b, headers)
        state = _state_costs(database_url, redis_url, workdir)
    info = machine()
    return {
        "index_dir": str(index_dir), "backend": backend, "concurrency": concurrency, "requests": requests,
        "cpus": info.get("cpus"), "physical_cores": info.get("physical_cores"),
        "phases": phases, "ratio": _ratio(phases),
        "publish": publish, "state_ms_per_op": state,
    }


def _ratio(phases: list[dict]) -> float | None:
    """Mean req/s of the two-replica phases over that of the one-replica phases."""
    rps = {n: [p["rps"] for p in phases if p["replicas"] == n and p.get("rps")] for n in (1, 2)}
    if not rps[1] or not rps[2]:
        return None
    return round((sum(rps[2]) / len(rps[2])) / (sum(rps[1]) / len(rps[1])), 3)


def _warm_ask(url: str, texts: list[str], headers: dict) -> None:
    import httpx

    with httpx.Client(timeout=120, headers=headers) as client:
        for text in texts:
            client.post(f"{url}/v1/ask", json={"question": text}).raise_for_status()


def render(result: dict) -> str:
    rows = []
    for s in result["phases"]:
        label = "1 replica" if s["replicas"] == 1 else "2 replicas"
        lat = s["latency"]
        statuses = ", ".join(f"{k}: {v}" for k, v in sorted(s["statuses"].items()))
        rows.append([label, s["concurrency"], s["n"], lat.get("p50_ms"), lat.get("p95_ms"), s.get("rps"), statuses])
    text = table(["/v1/ask", "concurrency", "n", "p50 ms", "p95 ms", "req/s", "statuses"], rows)
    state, pub = result["state_ms_per_op"], result["publish"]
    parts = table(["part", "measured"], [
        ["key check, PostgreSQL / SQLite (ms)", f"{state['key_check_postgresql_ms']} / {state['key_check_sqlite_ms']}"],
        ["feedback insert, PostgreSQL / SQLite (ms)",
         f"{state['feedback_insert_postgresql_ms']} / {state['feedback_insert_sqlite_ms']}"],
        ["rate-limit check, Redis (ms)", state["rate_limit_redis_ms"]],
        ["one-article PUT: new version published (s)", pub["publish_s"]],
        ["... served by the other replica after (s)", pub["other_replica_serves_after_s"]],
        ["version on disk (bytes per chunk, at this size)",
         f"{pub['bytes_per_chunk']} ({pub['version_bytes']:,} bytes, {pub['chunks']:,} chunks)"],
    ])
    ratio = result.get("ratio")
    return (f"two replicas / one replica, /v1/ask throughput: {ratio:.2f}x on {result['cpus']} CPUs "
            f"({result['physical_cores']} physical cores), concurrency {result['concurrency']}, backend "
            f"{result['backend']}, shared PostgreSQL + Redis, key-authenticated\n\n{text}\n\nPer part (one client, "
            f"same run):\n\n{parts}" if ratio else text)


def main(argv: list[str] | None = None) -> int:
    from bench.common import save
    from bench.http_latency import _build_sample_index

    p = argparse.ArgumentParser(prog="python -m bench.scale_replicas", description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--index", type=Path, help="an index dir (default: index corpus/ into a temp dir first)")
    p.add_argument("--questions", default="sample", help="sample, scifact, or a JSONL file")
    p.add_argument("--concurrency", type=int, default=8)
    p.add_argument("--requests", type=int, default=60, help="timed /v1/ask requests per phase")
    p.add_argument("--backend", default="onnx")
    p.add_argument("--workdir", type=Path)
    p.add_argument("--tag", default="")
    args = p.parse_args(argv)
    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="ragqa-scale-"))
    try:
        index_dir = args.index or _build_sample_index(workdir, args.backend)
        result = run(index_dir=index_dir, workdir=workdir, questions=load_questions(args.questions),
                     concurrency=args.concurrency, requests=args.requests, backend=args.backend)
        save("scale", result, args.tag)
        print(render(result))
    finally:
        if args.workdir is None:
            shutil.rmtree(workdir, ignore_errors=True)
    return 0


if __name__ == "__main__":
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    raise SystemExit(main())
