"""Per-caller token buckets: a burst of up to `per_minute` requests, refilled at per_minute/60 a second.

In this process by default; in Redis (RAGQA_REDIS_URL) so that replicas share them.
"""

from __future__ import annotations

import logging
import math
import threading
import time
from collections import OrderedDict

log = logging.getLogger("ragqa.ratelimit")


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


# The same token bucket, kept in one Redis hash per caller and updated atomically by one script run. Time comes
# from the Redis server, so replicas with skewed clocks share one bucket fairly.
_TAKE = """
local capacity, rate = tonumber(ARGV[1]), tonumber(ARGV[2])
local t = redis.call('TIME')
local now = tonumber(t[1]) + tonumber(t[2]) / 1000000
local held = redis.call('HMGET', KEYS[1], 'tokens', 'at')
local tokens = tonumber(held[1]) or capacity
local at = tonumber(held[2]) or now
tokens = math.min(capacity, tokens + math.max(0, now - at) * rate)
local wait = 0
if tokens >= 1 then tokens = tokens - 1 else wait = (1 - tokens) / rate end
redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'at', tostring(now))
redis.call('PEXPIRE', KEYS[1], math.ceil(capacity / rate * 1000) + 1000)
return tostring(wait)
"""


class RateLimitStoreError(RuntimeError):
    """RAGQA_REDIS_URL cannot be used as configured; the message says how to fix it."""


class RedisRateLimiter:
    """Buckets shared by every replica that uses the same Redis and `name`; `take` as RateLimiter's.

    When Redis cannot be reached the call falls back to this process's own bucket (limits then hold per
    replica) and logs it, rather than refusing every request.
    """

    def __init__(self, client, name: str, per_minute: int, *, burst: int | None = None):
        self._local = RateLimiter(per_minute, burst=burst)  # the fallback, and the one place rate is derived
        self.rate, self.capacity = self._local.rate, self._local.capacity
        self._prefix = f"ragqa:ratelimit:{name}:"
        self._script = client.register_script(_TAKE)
        self._warned_at = -math.inf

    def take(self, caller: str) -> float:
        import redis

        try:
            return float(self._script(keys=[self._prefix + caller], args=[self.capacity, self.rate]))
        except redis.RedisError as exc:
            if time.monotonic() - self._warned_at > 60:  # once a minute, not once a request
                self._warned_at = time.monotonic()
                log.warning("rate limit store unreachable (%s): limiting in this process only", type(exc).__name__)
            return self._local.take(caller)


def redis_client(url: str):
    """A Redis client for RAGQA_REDIS_URL with short timeouts (a rate-limit check must never hang a request)."""
    try:
        import redis
    except ImportError:
        raise RateLimitStoreError("RAGQA_REDIS_URL is set but the redis client is not installed: "
                         "pip install 'ragqa[redis]'") from None
    return redis.Redis.from_url(url, socket_timeout=0.5, socket_connect_timeout=0.5, health_check_interval=30)


def build_limiter(client, name: str, per_minute: int) -> RateLimiter | RedisRateLimiter:
    """Shared buckets in Redis when a client is given, else this process's own."""
    return RateLimiter(per_minute) if client is None else RedisRateLimiter(client, name, per_minute)
