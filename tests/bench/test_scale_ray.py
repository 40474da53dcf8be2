"""The Ray scale bench's arithmetic on a hand-made result: the table, the ratio beside the core count, the target."""

from __future__ import annotations

from bench.run_all import check_targets
from bench.scale_ray import render


def _result(ratio: float) -> dict:
    def run(nodes: int, seconds: float) -> dict:
        return {"nodes": nodes, "wall_s": seconds, "chunks": 300, "articles": 100, "load_average_before": 1.5,
                "chunks_per_s": 300 / seconds, "cluster": {"tasks": 10, "nodes": nodes}}

    return {"backend": "onnx", "repeat": 2, "best": {"1": run(1, 10.0), "2": run(2, 10.0 / ratio)},
            "ratio_2_vs_1": ratio, "target_ratio": 1.7, "machine_cpus": 16, "physical_cores": 8,
            "load_average_at_end": [2.0, 2.0, 2.0]}


def test_render_shows_both_sizes_and_the_ratio_beside_the_cores():
    text = render(_result(1.85))
    assert "2 workers vs 1: 1.85x (target >= 1.7x) on 16 CPUs (8 physical cores)" in text
    assert "30.0" in text and "55.5" in text  # chunks/s of one node and of two


def test_target_met_only_at_or_above_the_ratio():
    (met,) = [t for t in check_targets({"scale_ray": _result(1.85)}) if "Ray ingest" in t["target"]]
    (unmet,) = [t for t in check_targets({"scale_ray": _result(1.2)}) if "Ray ingest" in t["target"]]
    assert met["met"] and not unmet["met"] and "16 CPUs" in met["target"]
