"""Prometheus metrics in the app's own registry (two apps in one process never collide)."""

from __future__ import annotations

import threading

from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, Counter, Gauge, Histogram, generate_latest

_LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60)


class Metrics:
    """Request counts and latency by route and status; retrieval and generation time; abstentions; index size."""

    content_type = CONTENT_TYPE_LATEST

    def __init__(self):
        self.registry = CollectorRegistry()
        r = self.registry
        self.requests = Counter("ragqa_http_requests", "HTTP requests by route template, method and status",
                                ["route", "method", "status"], registry=r)
        self.latency = Histogram("ragqa_http_request_duration_seconds", "HTTP request latency (streams: until the "
                                 "last event)", ["route", "method", "status"], buckets=_LATENCY_BUCKETS, registry=r)
        self.in_flight = Gauge("ragqa_http_requests_in_flight", "Requests being served", registry=r)
        self.retrieval = Histogram("ragqa_retrieval_seconds", "Retrieval time per answer or search",
                                   buckets=_LATENCY_BUCKETS, registry=r)
        self.generation = Histogram("ragqa_generation_seconds", "Answer generation time (0 when abstaining early)",
                                    buckets=_LATENCY_BUCKETS, registry=r)
        self.answers = Counter("ragqa_answers", "Answers given, by whether the service abstained",
                               ["abstained"], registry=r)
        self.abstention_ratio = Gauge("ragqa_abstention_ratio", "Share of answers that abstained since start",
                                      registry=r)
        self.rate_limited = Counter("ragqa_rate_limited", "Requests refused by the rate limit", registry=r)
        self.auth_failures = Counter("ragqa_auth_failures", "Requests refused by authentication or scope checks",
                                     ["reason"], registry=r)
        self.index_ready = Gauge("ragqa_index_ready", "1 when the current index version is loaded and healthy",
                                 registry=r)
        self.index_chunks = Gauge("ragqa_index_chunks", "Chunks in the served index version", registry=r)
        self.index_articles = Gauge("ragqa_index_articles", "Articles in the served index version", registry=r)
        self.index_info = Gauge("ragqa_index_info", "The served index version (value 1)", ["version"], registry=r)
        self._lock = threading.Lock()
        self._answered = 0
        self._abstained = 0
        self._version: str | None = None

    def observe_request(self, route: str, method: str, status: int, seconds: float) -> None:
        labels = (route, method, str(status))
        self.requests.labels(*labels).inc()
        self.latency.labels(*labels).observe(seconds)

    def observe_answer(self, answer) -> None:
        timings = answer.timings_ms or {}
        self.retrieval.observe(timings.get("retrieve", 0.0) / 1000)
        self.generation.observe(timings.get("generate", 0.0) / 1000)
        self.answers.labels("true" if answer.abstained else "false").inc()
        with self._lock:
            self._answered += 1
            self._abstained += bool(answer.abstained)
            self.abstention_ratio.set(self._abstained / self._answered)

    def observe_search(self, seconds: float) -> None:
        self.retrieval.observe(seconds)

    def observe_index(self, status: dict) -> None:
        """From IndexManager.status(): readiness, served version and its size."""
        self.index_ready.set(1 if status.get("ready") else 0)
        self.index_chunks.set(status.get("chunks") or 0)
        self.index_articles.set(status.get("articles") or 0)
        version = status.get("serving")
        with self._lock:
            if version != self._version:
                self.index_info.clear()
                if version:
                    self.index_info.labels(version).set(1)
                self._version = version

    def render(self, *, with_counts: bool) -> bytes:
        """The text exposition; without `with_counts`, the index size gauges are left out (admins only)."""
        if with_counts:
            return generate_latest(self.registry)
        return generate_latest(_Without(self.registry, _COUNT_GAUGES))


_COUNT_GAUGES = frozenset({"ragqa_index_chunks", "ragqa_index_articles"})


class _Without:
    """A registry view without some metric families (generate_latest only needs collect())."""

    def __init__(self, registry: CollectorRegistry, hidden: frozenset[str]):
        self._registry, self._hidden = registry, hidden

    def collect(self):
        return (family for family in self._registry.collect() if family.name not in self._hidden)
