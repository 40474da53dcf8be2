"""`POST /v1/ask` p50 with the answer log on vs off, measured in the same run on two live servers.

Two `ragqa serve` processes on one index, one with RAGQA_ANSWER_LOG_DAYS=0 (off) and one with the default
retention (on), are asked the same questions in alternating order (which server goes first flips every question),
so machine noise lands on both alike; a second round starts them in the other order, and the verdict is the
geometric mean of the two rounds' p50 ratios. The log is written by a background thread; the ratio shows what it
costs the request path.

    python -m bench.answer_log                 # on the sample corpus (indexed into a temp dir first)
"""

from __future__ import annotations

import argparse
import json
import math
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

from bench.common import percentiles, serve, stop, table, timed

RATIO_BOUND = 1.05  # the "within 5%"
WARMUP = 5


def _round(*, index_dir: Path, workdir: Path, backend: str, asked: list[str], start_order: tuple[str, str],
           tag: str) -> tuple[dict[str, list[float]], dict, dict]:
    """One pair of servers started in `start_order`, asked alternately; (samples, statuses, rows logged)."""
    import httpx

    from ragqa.service.api.answer_log import AnswerStore

    servers, data = {}, {name: workdir / f"data-log-{name}-{tag}" for name in start_order}
    try:
        for name in start_order:
            proc, url, _ = serve(index_dir, data[name], backend, workdir / f"serve-log-{name}-{tag}.log",
                                 env={"RAGQA_ANSWER_LOG_DAYS": "0" if name == "off" else "30"})
            servers[name] = (proc, url)
        samples: dict[str, list[float]] = {"off": [], "on": []}
        statuses: dict[str, dict[int, int]] = {"off": {}, "on": {}}
        with httpx.Client(timeout=60) as client:
            for i, question in enumerate(asked):
                for name in (("off", "on") if i % 2 == 0 else ("on", "off")):
                    with timed() as t:
                        response = client.post(f"{servers[name][1]}/v1/ask", json={"question": question})
                    statuses[name][response.status_code] = statuses[name].get(response.status_code, 0) + 1
                    if i >= WARMUP and response.status_code == 200:
                        samples[name].append(1000 * t["s"])
        time.sleep(1.0)  # let the writer thread finish before counting rows
        logged = {name: len(AnswerStore(data[name]).rows()) for name in servers}
    finally:
        for proc, _ in servers.values():
            stop(proc)
    return samples, statuses, logged


def run(*, index_dir: Path, workdir: Path, backend: str, questions: list[str], requests: int = 100) -> dict:
    """Two rounds, the servers started in opposite orders: a server started second ran up to 17% slower than
    its twin with identical settings here, so each setting gets each start position once."""
    per_round = max(1, requests // 2)
    asked = (questions * (1 + (per_round + WARMUP) // max(1, len(questions))))[:per_round + WARMUP]
    samples: dict[str, list[float]] = {"off": [], "on": []}
    statuses: dict[str, dict[int, int]] = {"off": {}, "on": {}}
    logged = {"off": 0, "on": 0}
    rounds = []
    for tag, order in (("a", ("off", "on")), ("b", ("on", "off"))):
        got, status, rows = _round(index_dir=index_dir, workdir=workdir, backend=backend, asked=asked,
                                   start_order=order, tag=tag)
        for name in samples:
            samples[name] += got[name]
            logged[name] += rows[name]
            for code, n in status[name].items():
                statuses[name][code] = statuses[name].get(code, 0) + n
        off, on = percentiles(got["off"]), percentiles(got["on"])
        rounds.append({"started_first": order[0], "p50_off_ms": off.get("p50_ms"), "p50_on_ms": on.get("p50_ms"),
                       "ratio_p50": on["p50_ms"] / off["p50_ms"] if off.get("p50_ms") else None})
    pairs = [on / off for on, off in zip(samples["on"], samples["off"], strict=False) if off > 0]
    off, on = percentiles(samples["off"]), percentiles(samples["on"])
    return {"backend": backend, "off": off, "on": on, "statuses": statuses, "rows_logged": logged, "rounds": rounds,
            "ratio_p50": verdict_ratio(rounds),  # the pooled p50 ratio and the paired median are shown too
            "pooled_ratio_p50": on["p50_ms"] / off["p50_ms"] if off.get("p50_ms") else None,
            "median_pair_ratio": sorted(pairs)[len(pairs) // 2] if pairs else None}


def verdict_ratio(rounds: list[dict]) -> float | None:
    """The verdict: each round's p50 ratio (log on / off) carries the start-order bias one way, the other round's
    the other way; their geometric mean cancels it. None unless both rounds gave a ratio."""
    ratios = [r["ratio_p50"] for r in rounds if r.get("ratio_p50")]
    return math.prod(ratios) ** (1 / len(ratios)) if len(ratios) == 2 else None


def render(result: dict) -> str:
    rows = [[f"log {name}", result[name].get("n"), result[name].get("p50_ms"), result[name].get("p95_ms"),
             result["rows_logged"][name]] for name in ("off", "on")]
    ratio = result["ratio_p50"]
    verdict = "within" if ratio is not None and ratio <= RATIO_BOUND else "NOT within"
    by_round = "; ".join(f"{r['started_first']} server started first {r['ratio_p50']:.3f}x" for r in result["rounds"])
    return (table(["/v1/ask", "n", "p50 ms", "p95 ms", "rows in the log"], rows)
            + f"\n\np50 log on / log off: {ratio:.3f}x ({verdict} {RATIO_BOUND:g}x; geometric mean of the rounds: "
              f"{by_round}); pooled p50 ratio {result.get('pooled_ratio_p50') or 0:.3f}x, median of paired ratios "
              f"{result['median_pair_ratio']:.3f}x; HTTP statuses {result['statuses']}")


def main(argv: list[str] | None = None) -> int:
    from bench.common import machine, save
    from bench.http_latency import _build_sample_index, load_questions
    from ragqa.settings import Settings

    p = argparse.ArgumentParser(prog="python -m bench.answer_log", description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--index", type=Path, help="an index dir (default: index corpus/ into a temp dir first)")
    p.add_argument("--requests", type=int, default=100, help="timed requests per server (default 100)")
    p.add_argument("--tag", default="", help="suffix for bench/results/answer_log[-TAG].json")
    args = p.parse_args(argv)
    backend = Settings().embedding_backend
    workdir = Path(tempfile.mkdtemp(prefix="ragqa-log-bench-"))
    try:
        print(f"machine: {json.dumps(machine())}", flush=True)
        index_dir = args.index or _build_sample_index(workdir, backend)
        result = run(index_dir=index_dir, workdir=workdir, backend=backend, questions=load_questions("sample"),
                     requests=args.requests)
        print(render(result))
        print(f"\nresults: {save('answer_log', result, args.tag)}")
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    return 0


if __name__ == "__main__":
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    sys.exit(main())
