"""Short-lived HMAC-signed tokens for the widget's token hook: `rqt_<payload>.<signature>`, both base64url."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
import secrets
import time
from dataclasses import dataclass
from pathlib import Path

TOKEN_PREFIX = "rqt_"
MAX_TTL_S = 3600


@dataclass(frozen=True, slots=True)
class TokenClaims:
    subject: str
    scopes: frozenset[str]
    groups: frozenset[str]
    expires_at: int


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def load_secret(data_dir: Path, configured: str | None) -> bytes:
    """RAGQA_TOKEN_SECRET when set (share it between replicas), else a random secret kept in data_dir."""
    if configured:
        return configured.encode()
    path = Path(data_dir) / "token_secret"
    try:
        return bytes.fromhex(path.read_text().strip())
    except (FileNotFoundError, ValueError):
        pass
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".token_secret.{os.getpid()}")
    fd = os.open(tmp, os.O_CREAT | os.O_WRONLY | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as fh:
        fh.write(secrets.token_hex(32))
    try:
        os.link(tmp, path)  # first writer wins when two processes start at once
    except FileExistsError:
        pass
    finally:
        tmp.unlink(missing_ok=True)
    return bytes.fromhex(path.read_text().strip())


class TokenSigner:
    """Issues and verifies tokens; a token grants `ask` for at most an hour and carries its holder's groups."""

    def __init__(self, secret: bytes, clock=time.time):
        self._secret = secret
        self._clock = clock

    def _sign(self, payload: bytes) -> bytes:
        return hmac.new(self._secret, payload, hashlib.sha256).digest()

    def issue(self, *, subject: str, groups: frozenset[str], ttl_s: int) -> tuple[str, int]:
        """Returns (token, expires_at unix seconds)."""
        if not 1 <= ttl_s <= MAX_TTL_S:
            raise ValueError(f"ttl_s must be between 1 and {MAX_TTL_S}")
        expires_at = int(self._clock()) + ttl_s
        claims = {"sub": subject, "scopes": ["ask"], "groups": sorted(groups), "exp": expires_at,
                  "jti": secrets.token_hex(8)}
        payload = json.dumps(claims, separators=(",", ":"), sort_keys=True).encode()
        return f"{TOKEN_PREFIX}{_b64(payload)}.{_b64(self._sign(payload))}", expires_at

    def verify(self, token: str) -> TokenClaims | None:
        """The claims of a genuine, unexpired token; None for anything else."""
        if not token.startswith(TOKEN_PREFIX) or len(token) > 4096:
            return None
        body, _, signature = token[len(TOKEN_PREFIX):].partition(".")
        try:
            payload = _unb64(body)
            if not hmac.compare_digest(_unb64(signature), self._sign(payload)):
                return None
            claims = json.loads(payload)
            expires_at = int(claims["exp"])
            scopes = frozenset(str(s) for s in claims["scopes"]) & {"ask"}
            groups = frozenset(str(g) for g in claims["groups"])
            subject = str(claims["sub"])
        except (ValueError, KeyError, TypeError):
            return None
        if expires_at <= self._clock():
            return None
        return TokenClaims(subject=subject, scopes=scopes, groups=groups, expires_at=expires_at)
