"""Fast checks of the API's building blocks (no model, no server): keys, tokens, rate limits, refusals."""

from __future__ import annotations

import base64
import json
import os
import time

import pytest

from ragqa.service.api.errors import classify
from ragqa.service.api.keys import KeyStore, KeyStoreError
from ragqa.service.api.network import ProxyAllowList, is_loopback
from ragqa.service.api.ratelimit import RateLimiter, retry_after_header
from ragqa.service.api.sse import format_event
from ragqa.service.api.tokens import TokenSigner, load_secret
from tests.api.helpers import run_cli


def test_keys_are_stored_hashed_and_verified(tmp_path):
    store = KeyStore(tmp_path)
    record, key = store.create(name="hr bot", scopes=["ask"], groups=["hr"], origins=["https://Intranet.example/"])
    assert key.startswith(f"rq_{record.key_id}_")
    assert key.split("_", 2)[2].encode() not in (tmp_path / "keys.sqlite").read_bytes()  # only the hash
    assert oct((tmp_path / "keys.sqlite").stat().st_mode & 0o777) == "0o600"
    found = store.verify(key)
    assert found and found.groups == {"hr"} and found.origins == ("https://intranet.example",)
    assert store.verify(key[:-1] + ("A" if key[-1] != "A" else "B")) is None
    assert store.verify("rq_" + record.key_id) is None and store.verify("nonsense") is None
    assert store.has_active_keys() and store.active_origins() == {"https://intranet.example"}
    store.revoke(record.key_id)
    assert store.verify(key) is None and not store.has_active_keys()
    with pytest.raises(KeyStoreError, match="already revoked"):
        store.revoke(key)  # the whole key is accepted too


def test_key_creation_refuses_bad_input(tmp_path):
    store = KeyStore(tmp_path)
    with pytest.raises(KeyStoreError, match="scopes"):
        store.create(name="x", scopes=["root"])
    with pytest.raises(KeyStoreError, match="origin"):
        store.create(name="x", scopes=["ask"], origins=["intranet.example"])
    with pytest.raises(KeyStoreError, match="name"):
        store.create(name=" ", scopes=["ask"])


def test_tokens_expire_and_resist_tampering(tmp_path):
    now = [1_000_000.0]
    signer = TokenSigner(load_secret(tmp_path, None), clock=lambda: now[0])
    token, expires = signer.issue(subject="carol", groups=frozenset({"hr"}), ttl_s=600, issuer="key:abc")
    claims = signer.verify(token)
    assert claims.subject == "carol" and claims.groups == {"hr"} and claims.scopes == {"ask"}
    body, sig = token.removeprefix("rqt_").split(".")
    forged = json.loads(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)))
    forged["groups"] = ["hr", "finance"]
    forged_body = base64.urlsafe_b64encode(json.dumps(forged).encode()).rstrip(b"=").decode()
    assert signer.verify(f"rqt_{forged_body}.{sig}") is None
    assert TokenSigner(b"another secret").verify(token) is None
    now[0] = expires + 1
    assert signer.verify(token) is None
    with pytest.raises(ValueError):
        signer.issue(subject="x", groups=frozenset(), ttl_s=7200, issuer="proxy")
    assert load_secret(tmp_path, None) == load_secret(tmp_path, None)  # persisted, same across restarts


def test_rate_limiter_refills_over_time():
    now = [0.0]
    limiter = RateLimiter(60, clock=lambda: now[0])  # one token a second, burst 60
    assert all(limiter.take("a") == 0 for _ in range(60))
    wait = limiter.take("a")
    assert 0 < wait <= 1.0 and retry_after_header(wait) == "1"
    assert limiter.take("b") == 0  # per caller
    now[0] += 1.0
    assert limiter.take("a") == 0


def test_loopback_and_proxy_addresses():
    assert is_loopback("127.0.0.1") and is_loopback("::1") and is_loopback("localhost")
    assert not is_loopback("0.0.0.0") and not is_loopback("10.1.2.3")
    proxies = ProxyAllowList(["10.0.0.0/8", "192.168.1.5"])
    assert "10.9.8.7" in proxies and "192.168.1.5" in proxies
    assert "192.168.1.6" not in proxies and None not in proxies and "junk" not in proxies


def test_errors_map_to_statuses_without_internals():
    from ragqa.index.errors import IndexNotReady
    from ragqa.service.llm.base import LLMError

    assert classify(IndexNotReady("No index at /secret/path")).status == 503
    assert "/secret/path" not in classify(IndexNotReady("No index at /secret/path")).detail
    assert classify(LLMError("openai backend at http://10.0.0.5: timed out after 5s")).status == 504
    err = classify(LLMError("openai backend at http://10.0.0.5: HTTP 500"))
    assert err.status == 502 and "10.0.0.5" not in err.detail
    assert classify(RuntimeError("boom")).status == 500


def test_sse_frames_keep_one_data_line():
    frame = format_event("delta", {"text": "line one\nline two"}).decode()
    assert frame.startswith("event: delta\ndata: ") and frame.endswith("\n\n") and frame.count("\n") == 3


def test_serve_refuses_public_address_without_auth(tmp_path):
    started = time.monotonic()
    out = run_cli(["serve", "--host", "0.0.0.0", "--port", "9", "--data-dir", str(tmp_path)],
                  env={"RAGQA_TRUSTED_PROXY_IPS": "[]"})
    assert out.returncode == 2
    assert "refusing to serve on 0.0.0.0" in out.stderr and "ragqa keys create" in out.stderr
    assert "Traceback" not in out.stderr
    assert time.monotonic() - started < 30, "the refusal should come before the model is loaded"


def test_keys_cli_round_trip(tmp_path):
    out = run_cli(["keys", "create", "--name", "portal", "--scopes", "ask,admin", "--groups", "staff",
                   "--data-dir", str(tmp_path)])
    assert out.returncode == 0, out.stderr
    key = out.stdout.splitlines()[0]
    assert key.startswith("rq_") and "only time" in out.stdout
    listed = run_cli(["keys", "list", "--data-dir", str(tmp_path)]).stdout
    assert "portal" in listed and key.split("_", 2)[2] not in listed
    bad = run_cli(["keys", "create", "--name", "x", "--scopes", "superuser", "--data-dir", str(tmp_path)])
    assert bad.returncode == 2 and "scopes must be among" in bad.stderr
    gone = run_cli(["keys", "revoke", "nope", "--data-dir", str(tmp_path)])
    assert gone.returncode == 2 and "no key" in gone.stderr
    assert os.stat(tmp_path / "keys.sqlite").st_mode & 0o077 == 0
