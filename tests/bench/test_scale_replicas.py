"""The replicas bench skips, and cleans up what it started, when PostgreSQL or Redis is missing."""

from __future__ import annotations

import contextlib

import pytest

import tests.scale.services as services
from bench import scale_replicas
from bench.common import BenchSkipped


def test_a_missing_redis_skips_the_bench_and_stops_the_postgres_it_started(tmp_path, monkeypatch):
    events = []

    @contextlib.contextmanager
    def postgres_stand_in():  # a STAND-IN for the PostgreSQL server: only records that it was entered and left
        events.append("postgres up")
        try:
            yield "postgresql://postgres@127.0.0.1:1/postgres"
        finally:
            events.append("postgres down")

    @contextlib.contextmanager
    def no_redis():
        raise services.ServiceMissing("Redis is not installed (no redis-server)")
        yield  # pragma: no cover

    monkeypatch.setattr(services, "postgres_server", postgres_stand_in)
    monkeypatch.setattr(services, "redis_server", no_redis)
    (tmp_path / "index").mkdir()
    questions = [f"question {i}" for i in range(200)]
    with pytest.raises(BenchSkipped, match="Redis is not installed"):
        scale_replicas.run(index_dir=tmp_path / "index", workdir=tmp_path / "work", questions=questions)
    assert events == ["postgres up", "postgres down"]
