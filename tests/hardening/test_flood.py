"""Flood, functional version (the latency measurement is `make soak`): one key far over its quota gets 429s with
Retry-After while other keys, in parallel, keep getting answers."""

from __future__ import annotations

import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

import pytest

from tests.hardening.conftest import RATE_LIMIT_PER_MINUTE

pytestmark = pytest.mark.integration

FLOOD_REQUESTS = 3 * RATE_LIMIT_PER_MINUTE  # sent within seconds: far beyond 10x the per-minute quota's pace
FLOOD_DEADLINE_S = 120  # every loop is bounded in count and in time


def test_flooder_gets_429_while_other_keys_are_served(hardened):
    flooder, steady = hardened.headers("flooder"), ("steady1", "steady2")
    flood_statuses: Counter = Counter()
    refusals: list = []
    others: list[tuple[str, int]] = []
    flooding = threading.Event()
    started = time.monotonic()

    def flood(n: int) -> None:
        with hardened.client() as c:
            for _ in range(n):
                if time.monotonic() - started > FLOOD_DEADLINE_S:
                    return
                r = c.post("/v1/search", json={"query": "parking permit"}, headers=flooder)
                flood_statuses[r.status_code] += 1
                if r.status_code == 429 and len(refusals) < 20:
                    refusals.append(r)

    def steady_caller(who: str) -> None:
        flooding.wait(10)
        with hardened.client() as c:
            for _ in range(8):
                r = c.post("/v1/search", json={"query": "When are salaries paid?"}, headers=hardened.headers(who))
                others.append((who, r.status_code))
                time.sleep(0.05)

    steady_threads = [threading.Thread(target=steady_caller, args=(who,)) for who in steady]
    for t in steady_threads:
        t.start()
    with ThreadPoolExecutor(max_workers=3) as pool:
        futures = [pool.submit(flood, FLOOD_REQUESTS // 3) for _ in range(3)]
        flooding.set()
        for f in futures:
            f.result()
    for t in steady_threads:
        t.join(FLOOD_DEADLINE_S)

    assert set(flood_statuses) <= {200, 429}, flood_statuses
    assert flood_statuses[429] >= FLOOD_REQUESTS - RATE_LIMIT_PER_MINUTE - 30, flood_statuses
    assert flood_statuses[200] >= RATE_LIMIT_PER_MINUTE * 0.9, "the quota's burst should be served first"
    for r in refusals:
        assert r.headers["content-type"].startswith("application/problem+json")
        assert int(r.headers["retry-after"]) >= 1 and str(RATE_LIMIT_PER_MINUTE) in r.json()["detail"]
    assert len(others) == 8 * len(steady) and all(status == 200 for _, status in others), others
