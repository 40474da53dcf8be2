"""Annotated dependency aliases the routers declare: the shared state, the caller, the caller with a scope."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from service.api.auth import Identity, authenticate, require_scope
from service.api.errors import ApiError
from service.api.ratelimit import retry_after_header
from service.api.state import ApiState


def get_state(request: Request) -> ApiState:
    return request.app.state.api


StateDep = Annotated[ApiState, Depends(get_state)]


def get_caller(request: Request, state: StateDep) -> Identity:
    """Authenticate, then spend one token of the caller's rate-limit bucket (per key, user or address)."""
    identity = authenticate(request, state)
    request.state.caller = identity.caller
    wait = state.limiter.take(identity.caller)
    if wait > 0:
        state.metrics.rate_limited.inc()
        retry = retry_after_header(wait)
        raise ApiError(429, f"Too many requests: the limit is {state.settings.rate_limit_per_minute} a minute per "
                            f"caller. Try again in {retry} s.", headers={"Retry-After": retry})
    return identity


CallerDep = Annotated[Identity, Depends(get_caller)]


def get_asker(identity: CallerDep, state: StateDep) -> Identity:
    require_scope(identity, "ask", state)
    return identity


def get_admin(identity: CallerDep, state: StateDep) -> Identity:
    require_scope(identity, "admin", state)
    return identity


AskerDep = Annotated[Identity, Depends(get_asker)]
AdminDep = Annotated[Identity, Depends(get_admin)]
