"""Done-when of issue 19 (shared state): two `ragqa serve` replicas on one PostgreSQL, one Redis, one index folder.

Each replica has its own RAGQA_DATA_DIR, so nothing below can pass through a shared SQLite file by accident.
"""

from __future__ import annotations

import json
import time
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest

from tests.api.helpers import Server, build_index, run_cli

pytestmark = [pytest.mark.integration, pytest.mark.slow]

LIMIT = 8  # requests a minute per caller, shared by both replicas


def _bearer(key: str) -> dict:
    return {"Authorization": f"Bearer {key}"}


def _key(env: dict, name: str, scopes: str, groups: str = "") -> tuple[str, str]:
    out = run_cli(["keys", "create", "--name", name, "--scopes", scopes, "--groups", groups, "--json"], env=env)
    assert out.returncode == 0, out.stderr
    made = json.loads(out.stdout)
    return made["key"], made["key_id"]


@pytest.fixture
def replicas(tmp_path, embedder, postgres_url, redis_url):
    shared = build_index(tmp_path, embedder) | {
        "RAGQA_DATABASE_URL": postgres_url, "RAGQA_REDIS_URL": redis_url, "RAGQA_REQUIRE_AUTH": "true",
        "RAGQA_RATE_LIMIT_PER_MINUTE": str(LIMIT), "RAGQA_RELOAD_POLL_S": "0.2"}
    servers = []
    for name in ("a", "b"):
        (tmp_path / name).mkdir()
        servers.append(Server(tmp_path / name, shared | {"RAGQA_DATA_DIR": str(tmp_path / name / "data")}))
    try:
        with ThreadPoolExecutor(2) as pool:  # both load the model at once
            list(pool.map(lambda s: s.start(), servers))
        yield servers, shared | {"RAGQA_DATA_DIR": str(tmp_path / "cli-data")}
    finally:
        for server in servers:
            server.stop()


def test_two_replicas_share_keys_limits_feedback_and_the_index(replicas):
    (a, b), cli_env = replicas
    admin, _ = _key(cli_env, "intranet-backend", "admin,ask")
    asker, asker_id = _key(cli_env, "hr-bot", "ask", "hr")
    spender, _ = _key(cli_env, "spender", "ask")

    # A key made with the CLI (against the database, not a replica's files) works on both replicas.
    for server in (a, b):
        r = httpx.post(f"{server.url}/v1/search", json={"query": "salary bands"}, headers=_bearer(asker), timeout=60)
        assert r.status_code == 200, r.text
        assert any(h["doc_id"] == "hr/salary-bands" for h in r.json()["hits"]), r.json()
    # A token one replica signs verifies on the other (one signing secret, kept in the database).
    token = httpx.post(f"{a.url}/v1/token", json={"subject": "ann", "groups": ["hr"], "ttl_s": 600},
                       headers=_bearer(admin), timeout=30).json()["token"]
    assert httpx.post(f"{b.url}/v1/search", json={"query": "salary bands"}, headers=_bearer(token),
                      timeout=60).status_code == 200

    # Feedback given on one replica is listed by the other.
    given = httpx.post(f"{a.url}/v1/feedback", json={"request_id": "req-replica-1", "rating": "down",
                                                    "comment": "out of date"}, headers=_bearer(asker), timeout=30)
    assert given.status_code == 201, given.text
    listed = httpx.get(f"{b.url}/v1/feedback", params={"request_id": "req-replica-1"}, headers=_bearer(admin),
                       timeout=30).json()
    assert [(f["id"], f["comment"], f["caller"]) for f in listed] == [
        (given.json()["id"], "out of date", f"key:{asker_id}")]

    # A rate limit spent on one replica is refused on the other.
    for _ in range(LIMIT):
        assert httpx.get(f"{a.url}/v1/documents", headers=_bearer(spender), timeout=30).status_code == 200
    refused = httpx.get(f"{b.url}/v1/documents", headers=_bearer(spender), timeout=30)
    assert refused.status_code == 429 and int(refused.headers["Retry-After"]) >= 1, refused.text
    assert httpx.get(f"{a.url}/v1/documents", headers=_bearer(spender), timeout=30).status_code == 429

    # A document PUT through one replica is answered by the other (it follows CURRENT on the shared folder).
    text = "# Bike storage\n\nBicycles are kept in the locked cage behind building D; the code is on the badge."
    put = httpx.put(f"{a.url}/v1/documents/facilities/bikes", json={"text": text}, headers=_bearer(admin),
                    timeout=120)
    assert put.status_code == 201, put.text
    published, deadline = put.json()["index_version"], time.monotonic() + 30
    while httpx.get(f"{b.url}/readyz", timeout=10).json()["index_version"] != published:
        assert time.monotonic() < deadline, f"replica b never served {published}:\n{b.log_text()[-3000:]}"
        time.sleep(0.2)
    answer = httpx.post(f"{b.url}/v1/ask", json={"question": "Where are bicycles kept?"}, headers=_bearer(admin),
                        timeout=120).json()
    assert "facilities/bikes" in [c["doc_id"] for c in answer["citations"]], answer
    assert "building D" in answer["answer"], answer

    # An /admin sign-in cookie one replica sets opens /admin on the other (same secret, same key store).
    signed = httpx.post(f"{a.url}/admin/sign-in", data={"key": admin}, headers={"Sec-Fetch-Site": "same-origin"},
                        timeout=30)
    assert signed.status_code == 303, signed.text
    cookie = {"Cookie": f"ragqa_admin={signed.cookies['ragqa_admin']}", "Accept": "text/html"}
    assert httpx.get(f"{b.url}/admin", headers=cookie, timeout=120).status_code == 200

    # A key revoked with the CLI is refused by both replicas, and so are the tokens and sign-ins it issued.
    revoked = run_cli(["keys", "revoke", admin], env=cli_env)
    assert revoked.returncode == 0, revoked.stderr
    for server in (a, b):
        r = httpx.get(f"{server.url}/v1/documents", headers=_bearer(admin), timeout=30)
        assert r.status_code == 401, r.text
        r = httpx.post(f"{server.url}/v1/search", json={"query": "salary"}, headers=_bearer(token), timeout=30)
        assert r.status_code == 401, r.text
        r = httpx.get(f"{server.url}/admin", headers=cookie, timeout=30)
        assert r.status_code == 401 and "Your sign-in has ended" in r.text, r.text
