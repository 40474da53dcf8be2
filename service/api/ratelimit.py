"""Per-caller token buckets: a burst of up to `per_minute` requests, refilled at per_minute/60 a second."""

from __future__ import annotations

import math
import threading
import time
from collections import OrderedDict


class RateLimiter:
    """Thread-safe; remembers the most recently seen `max_callers` callers (older buckets are full anyway)."""

    def __init__(self, per_minute: int, *, burst: int | None = None, clock=time.monotonic, max_callers: int = 10_000):
        self.rate = per_minute / 60.0
        self.capacity = float(burst or per_minute)
        self._clock = clock
        self._max = max_callers
        self._buckets: OrderedDict[str, tuple[float, float]] = OrderedDict()  # caller -> (tokens, last refill)
        self._lock = threading.Lock()

    def take(self, caller: str) -> float:
        """Spend one token: 0.0 when allowed, else the seconds until the next token (for Retry-After)."""
        now = self._clock()
        with self._lock:
            tokens, last = self._buckets.pop(caller, (self.capacity, now))
            tokens = min(self.capacity, tokens + (now - last) * self.rate)
            if tokens >= 1.0:
                self._buckets[caller] = (tokens - 1.0, now)
                wait = 0.0
            else:
                self._buckets[caller] = (tokens, now)
                wait = (1.0 - tokens) / self.rate
            while len(self._buckets) > self._max:
                self._buckets.popitem(last=False)
        return wait


def retry_after_header(wait_s: float) -> str:
    """Whole seconds, rounded up, at least 1 (HTTP Retry-After takes an integer)."""
    return str(max(1, math.ceil(wait_s)))
