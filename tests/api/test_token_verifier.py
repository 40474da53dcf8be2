"""Property tests of the token verifier: it returns claims or None for any input, never raises."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json

from hypothesis import given, settings
from hypothesis import strategies as st

from ragqa.service.api.tokens import TokenSigner

SECRET = b"property-test-secret"
NOW = 1_000_000.0
signer = TokenSigner(SECRET, clock=lambda: NOW)


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _signed(payload: bytes) -> str:
    return f"rqt_{_b64(payload)}.{_b64(hmac.new(SECRET, payload, hashlib.sha256).digest())}"


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True, allow_infinity=True) | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=12,
)
exp_values = (st.integers() | st.floats(allow_nan=True, allow_infinity=True) | st.text(max_size=12) | st.booleans()
              | st.none() | st.lists(st.integers(), max_size=2))


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=300))
def test_any_string_is_refused_without_raising(text):
    assert signer.verify(text) is None
    assert signer.verify("rqt_" + text) is None


@settings(max_examples=300, deadline=None)
@given(json_values)
def test_any_signed_json_value_that_is_no_claim_set_is_refused(value):
    # Random values are never a whole, well-typed claim set (test_signed_token_with_any_exp covers valid ones).
    payload = json.dumps(value, allow_nan=True).encode()
    assert signer.verify(_signed(payload)) is None


@settings(max_examples=300, deadline=None)
@given(exp_values)
def test_signed_token_with_any_exp(exp):
    claims = {"sub": "carol", "scopes": ["ask"], "groups": ["hr"], "iss": "proxy", "exp": exp}
    result = signer.verify(_signed(json.dumps(claims, allow_nan=True).encode()))
    valid = type(exp) is int and NOW < exp < 2**53
    assert (result is not None) == valid
    if valid:
        assert result.expires_at == exp and result.issuer == "proxy"


def test_non_finite_and_huge_numbers_in_raw_payloads():
    base = '{"sub":"c","scopes":["ask"],"groups":[],"iss":"proxy","exp":%s}'
    for exp in ("NaN", "Infinity", "-Infinity", "1e999", "1" * 5000, "2e9", '"2000000"', "true"):
        assert signer.verify(_signed((base % exp).encode())) is None
    assert signer.verify(_signed(b"[" * 5000 + b"]" * 5000)) is None
    assert signer.verify(_signed((base % "2000000").encode())).issuer == "proxy"


def test_issued_tokens_name_their_key():
    token, _ = signer.issue(subject="carol", groups=frozenset({"hr"}), ttl_s=60, issuer="key:abc123")
    assert signer.verify(token).issuing_key == "abc123"
    token, _ = signer.issue(subject="erin", groups=frozenset(), ttl_s=60, issuer="proxy")
    assert signer.verify(token).issuing_key is None
