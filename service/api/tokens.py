"""Short-lived HMAC-signed tokens for the widget's token hook: `rqt_<payload>.<signature>`, both base64url.

A token names who issued it (`iss`): `key:<key id>` for an admin key, `proxy` for the trusted SSO proxy. The
server checks at every use that an issuing key still exists and is active, so revoking a key ends its tokens.

The /admin sign-in cookie (`rqs_…`) is made the same way, from the same secret, but signed with a key derived for
that purpose alone: a cookie is never a bearer token and a token never a cookie.
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import hmac
import json
import secrets
import time
from dataclasses import dataclass
from pathlib import Path

from ragqa.service.api.database import Database, Schema, as_database

TOKEN_PREFIX = "rqt_"
MAX_TTL_S = 3600
SESSION_PREFIX = "rqs_"
SESSION_TTL_S = 8 * 3600  # a working day; the issuing key's revocation ends it sooner
_SESSION_PURPOSE = b"ragqa admin session cookie"
ISSUER_PROXY = "proxy"
ISSUER_KEY_PREFIX = "key:"


@dataclass(frozen=True, slots=True)
class TokenClaims:
    subject: str
    scopes: frozenset[str]
    groups: frozenset[str]
    expires_at: int
    issuer: str  # "key:<key id>" or "proxy"

    @property
    def issuing_key(self) -> str | None:
        return self.issuer[len(ISSUER_KEY_PREFIX):] if self.issuer.startswith(ISSUER_KEY_PREFIX) else None


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


SECRET_SCHEMA = Schema("secrets", steps=(
    ("CREATE TABLE IF NOT EXISTS secrets (name TEXT PRIMARY KEY, value TEXT NOT NULL)",),
))


def load_secret(where: Path | Database, configured: str | None) -> bytes:
    """RAGQA_TOKEN_SECRET when set, else a random secret kept in the state database (the keys' one).

    The first process to ask creates it and every other one reads the same row, so replicas sharing a
    PostgreSQL database verify each other's tokens without any setting. A `token_secret` file left by an older
    ragqa in data_dir is adopted, so tokens issued before an upgrade stay valid.
    """
    if configured:
        return configured.encode()
    db = as_database(where, "keys")
    candidate = secrets.token_hex(32)
    if db.path is not None:
        legacy = db.path.parent / "token_secret"
        with contextlib.suppress(OSError, ValueError):
            candidate = bytes.fromhex(legacy.read_text().strip()).hex()
    with db.session(SECRET_SCHEMA) as session:  # first writer wins when two processes start at once
        session.execute("INSERT INTO secrets (name, value) VALUES (?, ?) ON CONFLICT (name) DO NOTHING",
                        ("token_signing", candidate))
        value = session.execute("SELECT value FROM secrets WHERE name=?", ("token_signing",)).fetchone()[0]
    return bytes.fromhex(value)


class TokenSigner:
    """Issues and verifies tokens; a token grants `ask` for at most an hour and carries its holder's groups."""

    def __init__(self, secret: bytes, clock=time.time):
        self._secret = secret
        self._session_secret = hmac.new(secret, _SESSION_PURPOSE, hashlib.sha256).digest()
        self._clock = clock

    def _sign(self, payload: bytes, secret: bytes | None = None) -> bytes:
        return hmac.new(secret or self._secret, payload, hashlib.sha256).digest()

    def _seal(self, prefix: str, claims: dict, secret: bytes | None = None) -> str:
        payload = json.dumps(claims, separators=(",", ":"), sort_keys=True).encode()
        return f"{prefix}{_b64(payload)}.{_b64(self._sign(payload, secret))}"

    def _open(self, prefix: str, value: str, secret: bytes | None = None):
        """The decoded claims of a genuine `prefix…` value, else None (shapes and expiry are checked by callers)."""
        if not isinstance(value, str) or not value.startswith(prefix) or len(value) > 4096:
            return None
        body, _, signature = value[len(prefix):].partition(".")
        try:
            payload = _unb64(body)
            if not hmac.compare_digest(_unb64(signature), self._sign(payload, secret)):
                return None
            return json.loads(payload, parse_constant=_refuse_constant)
        except (ValueError, TypeError, RecursionError):
            return None

    def issue(self, *, subject: str, groups: frozenset[str], ttl_s: int, issuer: str) -> tuple[str, int]:
        """Returns (token, expires_at unix seconds). `issuer`: "key:<key id>" or "proxy"."""
        if not 1 <= ttl_s <= MAX_TTL_S:
            raise ValueError(f"ttl_s must be between 1 and {MAX_TTL_S}")
        if not _valid_issuer(issuer):
            raise ValueError(f"issuer must be {ISSUER_PROXY!r} or {ISSUER_KEY_PREFIX!r} followed by a key id")
        expires_at = int(self._clock()) + ttl_s
        claims = {"sub": subject, "scopes": ["ask"], "groups": sorted(groups), "exp": expires_at,
                  "iss": issuer, "jti": secrets.token_hex(8)}
        return self._seal(TOKEN_PREFIX, claims), expires_at

    def verify(self, token: str) -> TokenClaims | None:
        """The claims of a genuine, unexpired, well-formed token; None for anything else (never an exception).

        Whether the issuing key is still active is the caller's check (it needs the key store).
        """
        claims = _checked(self._open(TOKEN_PREFIX, token))
        if claims is None or claims.expires_at <= self._clock():
            return None
        return claims

    def issue_session(self, key_id: str, ttl_s: int = SESSION_TTL_S) -> tuple[str, int]:
        """An /admin sign-in cookie value for this admin key; returns (value, expires_at unix seconds)."""
        if not key_id or not 1 <= ttl_s <= SESSION_TTL_S:
            raise ValueError(f"a session needs a key id and a lifetime of 1 to {SESSION_TTL_S} s")
        expires_at = int(self._clock()) + ttl_s
        claims = {"iss": f"{ISSUER_KEY_PREFIX}{key_id}", "exp": expires_at, "jti": secrets.token_hex(8)}
        return self._seal(SESSION_PREFIX, claims, self._session_secret), expires_at

    def verify_session(self, value: str) -> str | None:
        """The issuing key id of a genuine, unexpired sign-in cookie; None for anything else.

        Whether that key is still active (and still an admin key) is the caller's check, at every use.
        """
        claims = self._open(SESSION_PREFIX, value, self._session_secret)
        if not isinstance(claims, dict):
            return None
        exp, issuer = claims.get("exp"), claims.get("iss")
        if type(exp) is not int or not self._clock() < exp < 2**53:
            return None
        if not isinstance(issuer, str) or not issuer.startswith(ISSUER_KEY_PREFIX) or issuer == ISSUER_KEY_PREFIX:
            return None
        return issuer[len(ISSUER_KEY_PREFIX):]


def _refuse_constant(name: str):
    raise ValueError(f"{name} is not allowed in a token")


def _valid_issuer(issuer) -> bool:
    return isinstance(issuer, str) and (
        issuer == ISSUER_PROXY or (issuer.startswith(ISSUER_KEY_PREFIX) and len(issuer) > len(ISSUER_KEY_PREFIX)))


def _str_list(value) -> bool:
    return isinstance(value, list) and all(isinstance(v, str) for v in value)


def _checked(claims) -> TokenClaims | None:
    """Strict shapes only: a signed token with a float, string or huge `exp`, or a missing field, is refused."""
    if not isinstance(claims, dict):
        return None
    exp, sub, scopes, groups, issuer = (claims.get(k) for k in ("exp", "sub", "scopes", "groups", "iss"))
    if type(exp) is not int or not 0 < exp < 2**53:  # bool is not int here; NaN/Infinity never parse
        return None
    if not isinstance(sub, str) or not sub or not _str_list(scopes) or not _str_list(groups):
        return None
    if not _valid_issuer(issuer):
        return None
    return TokenClaims(subject=sub, scopes=frozenset(scopes) & {"ask"}, groups=frozenset(groups),
                       expires_at=exp, issuer=issuer)
