"""The zero-config loopback demo (`make run`): anonymous callers read public articles only, have no admin scope,
and authentication switches on by itself once a key exists (no RAGQA_REQUIRE_AUTH set)."""

from __future__ import annotations

import json
import time

from fastapi.testclient import TestClient

from tests.api.helpers import ENG_CANARY, HR_CANARY, assert_problem, build_index


def test_anonymous_demo_reads_public_only_until_a_key_exists(tmp_path, embedder):
    from ragqa.service.api.app import create_app
    from ragqa.service.api.keys import KeyStore
    from ragqa.settings import Settings

    build_index(tmp_path, embedder)
    settings = Settings(index_dir=tmp_path / "index", data_dir=tmp_path / "data", host="127.0.0.1",
                        require_auth=None, rate_limit_per_minute=1000)
    with TestClient(create_app(settings, embedder=embedder)) as c:
        hits = c.post("/v1/search", json={"query": "salary band senior engineers deploy keys rotated parking",
                                          "top_k": 50})
        assert hits.status_code == 200, hits.text
        ids = {h["doc_id"] for h in hits.json()["hits"]}
        assert "parking" in ids and not ids & {"hr/salary-bands", "eng/deploy-keys"}
        answer = c.post("/v1/ask", json={"question": "What is the salary band for senior engineers?", "top_k": 50})
        assert answer.status_code == 200
        assert HR_CANARY not in answer.text and ENG_CANARY not in answer.text and "90,000" not in answer.text
        listed = {d["doc_id"] for d in c.get("/v1/documents").json()["documents"]}
        assert listed == {"cafeteria", "parking"}
        assert_problem(c.put("/v1/documents/x", json={"text": "hello world"}), 403)  # anonymous: ask scope only

        _, key = KeyStore(settings.data_dir).create(name="first", scopes=["ask"])
        time.sleep(2.2)  # the server re-checks for keys at most every 2 s
        body = assert_problem(c.post("/v1/search", json={"query": "parking"}), 401)
        assert "ragqa keys create" in json.dumps(body)
        assert c.post("/v1/search", json={"query": "parking"}, headers={"X-API-Key": key}).status_code == 200
