"""The /admin sign-in for people with a browser: an admin key pasted once, then a signed cookie that carries its id.

The cookie (`rqs_…`, service/api/tokens.py) names the key that signed in and expires after SESSION_TTL_S; each
use looks the key up again, so revoking it ends the session at once. It is HttpOnly, SameSite=Strict, limited to
/admin, and Secure on https. State-changing /admin requests (sign-in, sign-out) must come from this server's own
pages: Sec-Fetch-Site `same-origin`, or, from a browser that does not send it, an Origin naming this host.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING
from urllib.parse import parse_qs, urlsplit

from ragqa.service.api.auth import Identity, client_address
from ragqa.service.api.errors import ApiError
from ragqa.service.api.keys import KEY_PREFIX, split_list
from ragqa.service.api.tokens import SESSION_TTL_S

if TYPE_CHECKING:
    from starlette.requests import Request
    from starlette.responses import Response

    from ragqa.service.api.state import ApiState

log = logging.getLogger("ragqa.auth")

COOKIE = "ragqa_admin"
COOKIE_PATH = "/admin"


def has_credential_header(request: Request) -> bool:
    """A key or token sent by a script wins over the cookie (and is checked as such). Other Authorization schemes
    (an intranet proxy's Basic auth passed through) leave the cookie in charge."""
    scheme = request.headers.get("authorization", "").strip().partition(" ")[0].lower()
    return scheme == "bearer" or "x-api-key" in request.headers


def session_identity(request: Request, state: ApiState) -> tuple[Identity | None, bool]:
    """(the signed-in admin, whether a cookie was sent that no longer admits anyone: expired, revoked, forged)."""
    value = request.cookies.get(COOKIE)
    if not value or has_credential_header(request):
        return None, False
    key_id = state.tokens.verify_session(value)
    key = state.keys.get(key_id) if key_id else None
    if key is None or not key.active or "admin" not in key.scopes or key.origins:
        state.metrics.auth_failures.labels("bad_session").inc()
        return None, True
    return Identity("key", key.key_id, key.scopes, key.groups), False


def same_origin(request: Request, state: ApiState) -> bool:
    """Whether a browser sent this request from one of this server's own pages (the CSRF check)."""
    site = request.headers.get("sec-fetch-site")
    if site is not None:  # set by the browser itself; no page can forge it
        return site == "same-origin"
    origin = request.headers.get("origin")
    if not origin or origin == "null":
        return False
    host = request.headers.get("host", "")
    peer = request.client.host if request.client else None
    if peer in state.proxies:  # a trusted proxy may rewrite Host; it names the one the browser used
        host = (split_list(request.headers.get("x-forwarded-host")) or [host])[0]
    return urlsplit(origin).netloc.lower() == host.lower()


def require_same_origin(request: Request, state: ApiState) -> None:
    if not same_origin(request, state):
        state.metrics.auth_failures.labels("cross_site").inc()
        log.warning("refused a cross-site %s %s from %s", request.method, request.url.path,
                    client_address(request, state))
        raise ApiError(403, "This form must be sent from this server's own /admin page (the request came from "
                            "another site, or without the Origin and Sec-Fetch-Site headers a browser sends).")


def is_https(request: Request, state: ApiState) -> bool:
    """https as the browser saw it: directly, or through a trusted proxy that says so."""
    if request.url.scheme == "https":
        return True
    peer = request.client.host if request.client else None
    proto = split_list(request.headers.get("x-forwarded-proto"))
    return peer in state.proxies and bool(proto) and proto[0].lower() == "https"


async def posted_key(request: Request) -> str:
    """The `key` field of the sign-in form (never logged, never echoed back)."""
    body = (await request.body()).decode("utf-8", errors="replace")
    try:
        values = parse_qs(body, max_num_fields=10).get("key") or [""]
    except ValueError:  # more fields than a sign-in form has: not our form
        return ""
    return values[0].strip()


def sign_in(request: Request, state: ApiState, presented: str) -> Identity:
    """The admin key `presented` as an identity, or ApiError 401/403 saying why (never which part was wrong)."""
    key = state.keys.verify(presented) if presented.startswith(KEY_PREFIX) else None
    where = client_address(request, state)
    if key is None:
        state.metrics.auth_failures.labels("bad_key").inc()
        log.warning("admin sign-in refused from %s: not a valid key", where)
        raise ApiError(401, "That key is not valid (unknown, mistyped or revoked). Paste the whole key that "
                            "`ragqa keys create --scopes admin` printed.")
    if "admin" not in key.scopes or key.origins:
        state.metrics.auth_failures.labels("scope").inc()
        log.warning("admin sign-in refused from %s: key %s is not an admin key", where, key.key_id)
        raise ApiError(403, "That key has no admin scope (or is a widget key bound to web pages): ask an operator "
                            "for a key created with --scopes admin.")
    log.info("admin sign-in of key %s from %s", key.key_id, where)
    return Identity("key", key.key_id, key.scopes, key.groups)


def set_cookie(response: Response, request: Request, state: ApiState, key_id: str) -> None:
    value, _ = state.tokens.issue_session(key_id)
    response.set_cookie(COOKIE, value, max_age=SESSION_TTL_S, path=COOKIE_PATH, secure=is_https(request, state),
                        httponly=True, samesite="strict")


def clear_cookie(response: Response, request: Request, state: ApiState) -> None:
    response.delete_cookie(COOKIE, path=COOKIE_PATH, secure=is_https(request, state), httponly=True,
                           samesite="strict")
