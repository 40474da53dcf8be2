"""The answer-log bench's verdict: the p50 ratio of log on over log off, judged against the issue's 5%."""

from __future__ import annotations

from bench.answer_log import render, verdict_ratio
from bench.run_all import check_targets


def _result(p50_off: float, p50_on: float) -> dict:
    return {"backend": "onnx", "off": {"n": 10, "p50_ms": p50_off, "p95_ms": 2 * p50_off},
            "on": {"n": 10, "p50_ms": p50_on, "p95_ms": 2 * p50_on}, "rows_logged": {"off": 0, "on": 12},
            "statuses": {"off": {200: 12}, "on": {200: 12}}, "ratio_p50": p50_on / p50_off,
            "pooled_ratio_p50": p50_on / p50_off, "median_pair_ratio": 1.0,
            "rounds": [{"started_first": "off", "ratio_p50": 1.0}, {"started_first": "on", "ratio_p50": 1.0}]}


def test_the_target_is_met_within_five_percent_and_missed_beyond():
    (met,) = [t for t in check_targets({"answer_log": _result(20.0, 20.8)}) if "answer log" in t["target"]]
    assert met["met"] and abs(met["measured"] - 1.04) < 1e-9
    (missed,) = [t for t in check_targets({"answer_log": _result(20.0, 21.2)}) if "answer log" in t["target"]]
    assert not missed["met"]
    assert "NOT within" in render(_result(20.0, 21.2)) and "1.040x (within" in render(_result(20.0, 20.8))


def test_the_verdict_is_the_geometric_mean_of_the_two_start_orders():
    # The server started second ran slower: 1.10x in one order, 0.95x in the other; the bias cancels.
    rounds = [{"started_first": "off", "ratio_p50": 1.10}, {"started_first": "on", "ratio_p50": 0.95}]
    assert abs(verdict_ratio(rounds) - (1.10 * 0.95) ** 0.5) < 1e-12
    result = _result(20.0, 21.2) | {"rounds": rounds, "ratio_p50": verdict_ratio(rounds)}
    (met,) = [t for t in check_targets({"answer_log": result}) if "answer log" in t["target"]]
    assert met["met"]  # 1.022x, although the pooled p50 ratio (1.06x) alone would miss
    assert verdict_ratio(rounds[:1]) is None and verdict_ratio([{"ratio_p50": None}, rounds[1]]) is None
