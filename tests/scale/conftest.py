"""Fixtures for the shared-state tests: one PostgreSQL and one Redis per session, a fresh database per test.

They run in CI, never skip there: with CI=true a missing binary fails the test with what to install.
"""

from __future__ import annotations

import os
import uuid

import pytest

from tests.scale.services import ServiceMissing, fresh_database, postgres_server, redis_server


def _start(factory, request):
    try:
        context = factory()
        url = context.__enter__()
    except ServiceMissing as exc:
        if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
            pytest.fail(f"{exc} (CI must run the shared-state tests)")
        pytest.skip(str(exc))
    request.addfinalizer(lambda: context.__exit__(None, None, None))
    return url


@pytest.fixture(scope="session")
def postgres_admin_url(request) -> str:
    return _start(postgres_server, request)


@pytest.fixture
def postgres_url(postgres_admin_url) -> str:
    """A new, empty database for this test."""
    return fresh_database(postgres_admin_url, f"t_{uuid.uuid4().hex[:12]}")


@pytest.fixture(scope="session")
def redis_session_url(request) -> str:
    return _start(redis_server, request)


@pytest.fixture
def redis_url(redis_session_url) -> str:
    """The session's Redis, emptied for this test."""
    import redis

    client = redis.Redis.from_url(redis_session_url)
    client.flushall()
    client.close()
    return redis_session_url


@pytest.fixture(autouse=True)
def _no_pool_outlives_its_test():
    """Each test's PostgreSQL pools close with it (a pool to a server that is gone would retry for ever)."""
    yield
    from ragqa.service.api.database import close_pools

    close_pools()
