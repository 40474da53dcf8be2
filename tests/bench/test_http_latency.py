"""The HTTP bench's arithmetic on a hand-made result: ratios, the 2x verdict, non-200 counts, targets, table."""

from __future__ import annotations

from bench.http_latency import non_200, ratios, render
from bench.run_all import check_targets


def _level(p50: float, statuses: dict[str, int], concurrency: int = 1) -> dict:
    return {"concurrency": concurrency, "n": sum(statuses.values()), "statuses": statuses,
            "latency": {"n": statuses.get("200", 0), "p50_ms": p50, "p95_ms": p50 * 2, "p99_ms": p50 * 3},
            "server": {"n": statuses.get("200", 0), "p50_ms": p50 - 1}, "wall_s": 1.0, "rps": 10.0}


def _result() -> dict:
    return {
        "backend": "onnx", "chunks": 297, "articles": 32,
        "questions": {"warmup": 5, "per_endpoint": 40, "distinct": 91},
        "startup": {"1": {"ready_s": 3.0, "first_answer_s": 3.5}}, "server_rss_mb": {"1": 600.0},
        "endpoints": {
            "search": {"path": "/v1/search", "in_process_call": "Retriever.search",
                       "in_process": {"n": 40, "p50_ms": 20.0, "p95_ms": 30.0, "p99_ms": 35.0, "rps": 50.0},
                       "levels": {"1": _level(30.0, {"200": 40}), "4": _level(90.0, {"200": 40}, 4)}},
            "ask": {"path": "/v1/ask", "in_process_call": "AnswerService.answer",
                    "in_process": {"n": 40, "p50_ms": 50.0, "p95_ms": 80.0, "p99_ms": 90.0, "rps": 20.0},
                    "levels": {"1": _level(125.0, {"200": 39, "503": 1}),
                               "8": _level(400.0, {"200": 38, "ReadTimeout": 2}, 8)}},
        },
    }


def test_ratio_is_http_p50_over_in_process_p50_at_concurrency_1():
    r = ratios(_result())
    assert r["search"] == {"http_p50_ms": 30.0, "in_process_p50_ms": 20.0, "ratio": 1.5, "within_2x": True}
    assert r["ask"]["ratio"] == 2.5 and r["ask"]["within_2x"] is False


def test_every_non_200_counts_including_transport_errors():
    assert non_200(_result()) == 3


def test_targets_and_table_carry_the_ratios():
    targets = {t["target"]: t for t in check_targets({"http": _result()})}
    search = targets["HTTP p50 within 2x of in-process at concurrency 1 (/v1/search)"]
    ask = targets["HTTP p50 within 2x of in-process at concurrency 1 (/v1/ask)"]
    assert (search["measured"], search["met"]) == (1.5, True)
    assert (ask["measured"], ask["met"]) == (2.5, False)
    assert targets["HTTP bench: every request answered 200"]["met"] is False
    text = render(_result())
    assert "/v1/search 1.50x" in text and "/v1/ask 2.50x" in text and "within 2x: NO" in text
    assert "in process (AnswerService.answer)" in text and "503: 1" in text


def test_no_ratio_without_an_in_process_measurement():
    result = _result()
    del result["endpoints"]["ask"]["in_process"]
    assert set(ratios(result)) == {"search"}
