"""Secrets in output: API keys, tokens and configured secrets never appear in responses, errors, metrics or logs;
server paths never appear in anything a client can read (responses, errors, streams, metrics, OpenAPI)."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import pytest

from tests.hardening.conftest import OPENAI_KEY, TOKEN_SECRET

pytestmark = pytest.mark.integration

REPO = Path(__file__).resolve().parents[2]


def _exercise(hardened) -> tuple[list[str], list[str]]:
    """Traffic that handles every kind of credential and provokes every kind of error; returns what clients
    saw and the credentials used."""
    from ragqa.service.api.keys import KeyStore

    key = hardened.keys["auditor"]
    prefix, key_id, secret = key.split("_", 2)
    wrong_secret = f"{prefix}_{key_id}_{secret[::-1]}"
    revoked_record, revoked = KeyStore(hardened.root / "data").create(name="to-revoke", scopes=["ask"])
    KeyStore(hardened.root / "data").revoke(revoked_record.key_id)
    seen: list[str] = []
    with hardened.client() as c:
        token = c.post("/v1/token", json={"subject": "auditor-widget", "groups": ["eng"], "ttl_s": 600},
                       headers=hardened.headers("admin")).json()["token"]
        attempts = [
            ("POST", "/v1/ask", {"Authorization": f"Bearer {key}"}, {"question": "How long must passwords be?"}),
            ("POST", "/v1/search", {"X-API-Key": key}, {"query": "passwords"}),
            ("POST", "/v1/search", {"Authorization": f"Bearer {token}"}, {"query": "passwords"}),
            ("POST", "/v1/search", {"Authorization": f"Bearer {wrong_secret}"}, {"query": "passwords"}),
            ("POST", "/v1/search", {"Authorization": f"Bearer {revoked}"}, {"query": "passwords"}),
            ("POST", "/v1/search", {"Authorization": f"Bearer {token[:-4]}AAAA"}, {"query": "passwords"}),
            ("POST", "/v1/search", {"Authorization": f"Basic {key}"}, {"query": "passwords"}),
            ("POST", "/v1/search", {"Authorization": f"Bearer {key}"}, {"query": "passwords", "groups": ["hr"]}),
            ("POST", "/v1/search", {"Authorization": f"Bearer {key}"}, {"query": "x" * 3000}),
            ("PUT", "/v1/documents/secret-test", {"Authorization": f"Bearer {key}"}, {"text": "not allowed"}),
            ("GET", "/v1/documents/no/such/doc", {"Authorization": f"Bearer {key}"}, None),
            ("DELETE", "/v1/ask", {"Authorization": f"Bearer {key}"}, None),
            ("GET", f"/v1/documents?api_key={key}", {}, None),  # a key in the URL is logged as path only
        ]
        for method, path, headers, body in attempts:
            r = c.request(method, path, headers=headers, json=body)
            assert r.status_code < 500, (method, path, r.status_code, r.text[:200])
            seen.append(f"{r.status_code} {dict(r.headers)} {r.text}")
        with c.stream("POST", "/v1/ask/stream", json={"question": "How long must passwords be?"},
                      headers={"Authorization": f"Bearer {key}"}) as r:
            seen.append(r.read().decode())
        for path in ("/metrics", "/openapi.json", "/docs", "/readyz", "/healthz", "/nope"):
            seen.append(c.get(path).text)
    return seen, [key, secret, wrong_secret, revoked, revoked.split("_", 2)[2], token,
                  *[k for k in hardened.keys.values()], *[k.split("_", 2)[2] for k in hardened.keys.values()]]


def test_no_credential_or_configured_secret_appears_anywhere(hardened):
    seen, credentials = _exercise(hardened)
    secrets = [*credentials, OPENAI_KEY, TOKEN_SECRET]
    token_file_secrets = [p.read_text().strip() for p in (hardened.root / "data").glob("*secret*") if p.is_file()]
    secrets += [s for s in token_file_secrets if len(s) >= 16]
    log = hardened.server.log_text()
    assert log.strip(), "the server log is empty: nothing was checked"
    for where, text in (("server log", log), ("client-visible output", "\n".join(seen))):
        exposed = [s[:12] + "…" for s in secrets if s and s in text]
        assert not exposed, f"secrets found in the {where}: {exposed}"
    for line in log.splitlines():  # structured logs: one JSON object per line (the model loader's progress
        if line.startswith("{"):  # bar, printed before logging is set up, is the only other output)
            json.loads(line)


def test_no_server_path_appears_in_client_visible_output(hardened):
    seen, _ = _exercise(hardened)
    paths = {str(hardened.root), str(hardened.root.resolve()), str(REPO), sys.prefix, os.path.expanduser("~")}
    paths |= {hardened.env["RAGQA_INDEX_DIR"], hardened.env["RAGQA_DATA_DIR"]}
    text = "\n".join(seen)
    exposed = [p for p in paths if len(p) > 1 and p in text]
    assert not exposed, f"server paths disclosed to clients: {exposed}"
    assert "Traceback" not in text and 'File "' not in text
