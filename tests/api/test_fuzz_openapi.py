"""Property-based fuzzing of the OpenAPI schema (schemathesis) against a real server: never a 5xx, and every
error is problem+json (OpenAI's error shape on the OpenAI-compatible routes) without a stack trace. Examples are
few per operation: the machine is slow."""

from __future__ import annotations

import httpx
import pytest
import schemathesis
from schemathesis.config import SchemathesisConfig

from ragqa.service.api.openai_errors import OPENAI_PATHS
from tests.api.helpers import Server, assert_problem, build_index, create_key

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def fuzz_server(tmp_path_factory, embedder):
    root = tmp_path_factory.mktemp("fuzz")
    env = build_index(root, embedder)
    key = create_key(root / "data", name="fuzzer", scopes="ask,admin", groups="hr")
    env |= {"RAGQA_REQUIRE_AUTH": "true", "RAGQA_RATE_LIMIT_PER_MINUTE": "1000000"}
    server = Server(root, env).start()
    yield server, key
    server.stop()


def _schema():
    """The schema the server publishes at /openapi.json, built from the same app factory (no server needed)."""
    from ragqa.service.api.app import create_app
    from ragqa.settings import Settings

    config = SchemathesisConfig.from_dict({"generation": {"max-examples": 12, "mode": "all", "database": "none"}})
    return schemathesis.openapi.from_dict(create_app(Settings()).openapi(), config=config)


schema = _schema()


def test_published_schema_is_the_one_fuzzed(fuzz_server):
    server, _ = fuzz_server
    assert httpx.get(f"{server.url}/openapi.json", timeout=30).json() == schema.raw_schema


@schema.parametrize()
def test_no_server_error_for_any_generated_request(case, fuzz_server):
    server, key = fuzz_server
    response = case.call(base_url=server.url, headers={"Authorization": f"Bearer {key}"}, timeout=60)
    assert response.status_code < 500, (case.method, case.path, response.status_code, response.text[:300])
    if response.status_code >= 400 and case.path in OPENAI_PATHS:
        assert set(response.json()["error"]) == {"message", "type", "param", "code"}, response.text[:300]
    elif response.status_code >= 400:
        assert response.headers.get("content-type", [""])[0].startswith("application/problem+json")
    assert "Traceback" not in response.text


def test_spoofed_proxy_headers_from_an_untrusted_peer_are_ignored(fuzz_server):
    server, _ = fuzz_server  # no RAGQA_TRUSTED_PROXY_IPS on this server
    r = httpx.post(f"{server.url}/v1/search", json={"query": "salary band"},
                   headers={"X-Forwarded-User": "mallory", "X-Forwarded-Groups": "hr"}, timeout=30)
    assert_problem(r, 401)


def test_server_still_healthy_after_fuzzing(fuzz_server):
    server, key = fuzz_server
    r = httpx.post(f"{server.url}/v1/ask", json={"question": "When does the cafeteria open?"},
                   headers={"Authorization": f"Bearer {key}"}, timeout=60)
    assert r.status_code == 200 and not r.json()["abstained"]
    log = server.log_text()
    assert '"level": "error"' not in log, log[-3000:]
