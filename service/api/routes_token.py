"""POST /v1/token: a short-lived `ask` token for the widget's token hook (admin keys or the trusted proxy)."""

from __future__ import annotations

from fastapi import APIRouter

from ragqa.service.api.deps import CallerDep, StateDep
from ragqa.service.api.errors import ApiError
from ragqa.service.api.responses import COMMON, problems
from ragqa.service.api.routing import AuthFirstRoute
from ragqa.service.api.schemas import TokenRequest, TokenResponse
from ragqa.service.api.tokens import ISSUER_KEY_PREFIX, ISSUER_PROXY

router = APIRouter(route_class=AuthFirstRoute, tags=["auth"])


@router.post("/v1/token", response_model=TokenResponse, responses=problems(*COMMON))
def issue_token(body: TokenRequest, state: StateDep, caller: CallerDep) -> TokenResponse:
    """Admin callers (an intranet back end) name the holder and groups; proxy callers get their own identity."""
    if caller.kind == "proxy":
        if body.groups is not None or body.subject is not None:
            raise ApiError(422, "Behind the trusted proxy, subject and groups come from its headers: omit them.")
        subject, groups, issuer = caller.subject, caller.groups, ISSUER_PROXY
    elif "admin" in caller.scopes:
        subject = body.subject or f"issued-by-{caller.subject}"
        groups = frozenset(body.groups or ())
        issuer = f"{ISSUER_KEY_PREFIX}{caller.subject}"  # revoking this key ends the token (service/api/auth.py)
    else:
        state.metrics.auth_failures.labels("scope").inc()
        raise ApiError(403, "Tokens are issued to admin keys or to users behind the trusted proxy.")
    token, expires_at = state.tokens.issue(subject=subject, groups=groups, ttl_s=body.ttl_s,
                                             issuer=issuer)
    return TokenResponse(token=token, expires_at=expires_at, expires_in=body.ttl_s, scopes=["ask"],
                         groups=sorted(groups))
