"""Scale: `ragqa ingest --ray` on a cluster of 2 worker nodes against 1 (1 CPU each), in the same run.

A throw-away cluster on loopback (bench/ray_cluster.py): a head node with 1 CPU ingests the slice into a fresh
index, then a second node joins and the same slice goes into another fresh index; the pair is repeated and the
fastest run of each size counts. Every ingest is whole: the driver reads and writes as always, and the workers
load the model at the start of each ingest (a new Ray job), as a real run would. Throughput is chunks per second
of wall time. Both nodes share this machine's cores with the driver and with whatever else runs here, so the
core count and load average are printed beside the ratio.

    python -m bench.scale_ray [--docs 1500] [--repeat 2] [--backend onnx]
"""

from __future__ import annotations

import argparse
import os
import shutil
from pathlib import Path

from bench.common import BenchSkipped, machine, save, scifact_docs, table, timed, write_text_files

TARGET_RATIO = 1.7  # issue 19: two workers against one


def run(*, docs: int, workdir: Path, repeat: int = 2, backend: str = "onnx") -> dict:
    from bench.embedders import make_embedder
    from bench.ray_cluster import LocalRayCluster
    from ragqa.index.ingest import ingest_paths
    from ragqa.settings import Settings

    folder = write_text_files(scifact_docs(docs), workdir / "scale-ray-txt")
    embedder = make_embedder(backend)
    repo = str(Path(__file__).resolve().parents[1])
    env = {"PYTHONPATH": os.pathsep.join(p for p in (repo, os.environ.get("PYTHONPATH", "")) if p)}
    runs: dict[int, list[dict]] = {1: [], 2: []}
    saved = {name: os.environ.get(name) for name in ("RAY_AUTH_MODE", "RAY_AUTH_TOKEN")}
    try:
        with LocalRayCluster(cpus=1, env=env) as cluster:
            os.environ.update(cluster.driver_env)  # this process is the driver; ray reads these once, at import
            try:
                import ray  # noqa: F401
            except ImportError as exc:
                raise BenchSkipped("ray is not installed: pip install 'ragqa[ray]'") from exc
            cluster.start(nodes=1)
            for attempt in range(repeat):
                for nodes in (1, 2):
                    if cluster.alive() < nodes:
                        cluster.add_node()
                    elif cluster.alive() > nodes:  # the pair alternates: drop back to one node for the next run
                        cluster.stop_node(cluster.nodes[-1])
                    settings = Settings(index_dir=workdir / f"scale-ray-{nodes}-{attempt}",
                                        embedding_backend=backend)
                    shutil.rmtree(settings.index_dir, ignore_errors=True)
                    load = os.getloadavg()[0]
                    with timed() as t:
                        report = ingest_paths([folder], settings=settings, embedder=embedder,
                                              ray_address=cluster.address)
                    runs[nodes].append({"nodes": nodes, "wall_s": t["s"], "chunks": report.chunks,
                                        "articles": report.added, "cluster": report.cluster,
                                        "load_average_before": load, "chunks_per_s": report.chunks / t["s"]})
                    shutil.rmtree(settings.index_dir, ignore_errors=True)
    finally:  # the token dies with the cluster
        for name, value in saved.items():
            os.environ.pop(name, None) if value is None else os.environ.__setitem__(name, value)
    best = {n: max(rs, key=lambda r: r["chunks_per_s"]) for n, rs in runs.items()}
    info = machine()
    return {"docs": docs, "backend": backend, "repeat": repeat, "cpus_per_node": 1, "runs": runs,
            "best": {str(n): r for n, r in best.items()},
            "ratio_2_vs_1": best[2]["chunks_per_s"] / best[1]["chunks_per_s"],
            "target_ratio": TARGET_RATIO, "machine_cpus": info["cpus"], "physical_cores": info["physical_cores"],
            "load_average_at_end": info["load_average"]}


def render(result: dict) -> str:
    rows = []
    for n in ("1", "2"):
        r = result["best"][n]
        rows.append([f"{n} worker node{'s' if n != '1' else ''} x 1 CPU", r["articles"], r["chunks"],
                     f"{r['wall_s']:.1f}", f"{r['chunks_per_s']:.1f}", r["cluster"]["tasks"],
                     r["cluster"]["nodes"], f"{r['load_average_before']:.1f}"])
    out = table(["cluster", "articles", "chunks", "ingest s", "chunks/s", "tasks", "nodes used", "load avg"], rows)
    every = "; ".join(f"{n} node{'s' if str(n) != '1' else ''}: " + ", ".join(f"{r['chunks_per_s']:.1f}"
                                                                               for r in rs)
                      for n, rs in result.get("runs", {}).items())
    lines = [out, f"chunks/s of every run, in order: {every}"] if every else [out]
    lines.append(f"2 workers vs 1: {result['ratio_2_vs_1']:.2f}x (target >= {result['target_ratio']}x) on "
                 f"{result['machine_cpus']} CPUs ({result['physical_cores']} physical cores) shared by the driver, "
                 f"both nodes and other processes; load average at end {result['load_average_at_end'][0]:.1f}; "
                 f"{result['backend']} backend, best of {result['repeat']}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    import tempfile

    p = argparse.ArgumentParser(prog="python -m bench.scale_ray", description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--docs", type=int, default=1500, help="SciFact articles in the slice")
    p.add_argument("--repeat", type=int, default=2, help="runs of each cluster size (the fastest counts)")
    p.add_argument("--backend", default="onnx", help="embedding backend of the driver and the workers")
    args = p.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="ragqa-scale-ray-") as tmp:
        result = run(docs=args.docs, workdir=Path(tmp), repeat=args.repeat, backend=args.backend)
    print(render(result))
    print(f"results: {save('scale_ray', result)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
