"""Who is calling: an API key, a signed token, a trusted SSO proxy's user, or (loopback demo only) anonymous.

The identity's groups drive the permission filter. Groups never come from a request body.
"""

from __future__ import annotations

import ipaddress
import logging
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ragqa.service.api.errors import ApiError
from ragqa.service.api.keys import KEY_PREFIX, split_list
from ragqa.service.api.tokens import TOKEN_PREFIX

if TYPE_CHECKING:
    from starlette.requests import Request

    from ragqa.service.api.state import ApiState

log = logging.getLogger("ragqa.auth")

_BEARER_HINT = 'send "Authorization: Bearer <key>" (or X-API-Key) with a key from `ragqa keys create`'


@dataclass(frozen=True, slots=True)
class Identity:
    kind: str  # "key" | "token" | "proxy" | "anonymous"
    subject: str  # key id, token subject, proxy user, or the client address when anonymous
    scopes: frozenset[str]
    groups: frozenset[str]  # articles readable: public ones plus those shared with these groups
    origin: str | None = None  # set for widget keys (bound to origins): the page origin the request came from

    @property
    def caller(self) -> str:
        """A stable, secret-free name for logs, feedback and rate limiting."""
        return f"{self.kind}:{self.subject}"


def client_address(request: Request, state: ApiState) -> str:
    """The address uvicorn saw; behind a trusted proxy, the last X-Forwarded-For hop (the one it saw)."""
    peer = request.client.host if request.client else "unknown"
    if peer in state.proxies:
        hops = split_list(request.headers.get("x-forwarded-for"))
        if hops:
            try:
                return str(ipaddress.ip_address(hops[-1]))
            except ValueError:
                pass
    return peer


def _credential(request: Request) -> str | None:
    header = request.headers.get("authorization")
    if header is not None:
        scheme, _, value = header.strip().partition(" ")
        if scheme.lower() != "bearer" or not value.strip():
            raise ApiError(401, f"Unsupported Authorization header: {_BEARER_HINT}.",
                           headers={"WWW-Authenticate": "Bearer"})
        return value.strip()
    key = request.headers.get("x-api-key")
    return key.strip() if key is not None else None


def authenticate(request: Request, state: ApiState) -> Identity:
    """The caller's identity, or ApiError 401/403 (never a hint of which part of a key was wrong)."""
    credential = _credential(request)
    peer = request.client.host if request.client else None
    if credential is not None:
        if credential.startswith(TOKEN_PREFIX):
            claims = state.tokens.verify(credential)
            if claims is not None and claims.issuing_key is not None and not state.keys.is_active(
                    claims.issuing_key):
                claims = None  # the key that issued it was revoked (or deleted): its tokens end with it
            if claims is None:
                state.metrics.auth_failures.labels("bad_token").inc()
                raise ApiError(401, "The token is invalid or expired: fetch a new one from /v1/token.",
                               headers={"WWW-Authenticate": 'Bearer error="invalid_token"'})
            return Identity("token", claims.subject, claims.scopes, claims.groups)
        key = state.keys.verify(credential) if credential.startswith(KEY_PREFIX) else None
        if key is None:
            state.metrics.auth_failures.labels("bad_key").inc()
            raise ApiError(401, f"The API key is not valid (unknown, mistyped or revoked): {_BEARER_HINT}.",
                           headers={"WWW-Authenticate": 'Bearer error="invalid_token"'})
        if key.origins:
            origin = (request.headers.get("origin") or "").rstrip("/").lower()
            if origin not in key.origins:
                state.metrics.auth_failures.labels("origin").inc()
                log.warning("key %s used from origin %r, outside its allowed origins", key.key_id, origin)
                raise ApiError(403, "This key is bound to the web pages of particular origins and this request "
                                    "does not come from one of them.")
            return Identity("key", key.key_id, key.scopes, key.groups, origin=origin)
        return Identity("key", key.key_id, key.scopes, key.groups)
    if peer in state.proxies:
        user = (request.headers.get(state.settings.proxy_user_header) or "").strip()
        if user:
            groups = frozenset(split_list(request.headers.get(state.settings.proxy_groups_header)))
            admin = groups & set(state.settings.proxy_admin_groups)  # RAGQA_PROXY_ADMIN_GROUPS, empty by default
            return Identity("proxy", user[:200], frozenset({"ask", "admin"} if admin else {"ask"}), groups)
    if state.auth_required:
        state.metrics.auth_failures.labels("missing").inc()
        raise ApiError(401, f"Authentication required: {_BEARER_HINT}.", headers={"WWW-Authenticate": "Bearer"})
    # Loopback demo without keys: anonymous callers read public articles only.
    return Identity("anonymous", peer or "unknown", frozenset({"ask"}), frozenset())


def require_scope(identity: Identity, scope: str, state: ApiState) -> None:
    if scope not in identity.scopes:
        state.metrics.auth_failures.labels("scope").inc()
        raise ApiError(403, f"This credential lacks the {scope!r} scope needed here; ask an operator for a key "
                            f"created with --scopes {scope}.")
