"""Annotated dependency aliases the routers declare: the shared state, the caller, the caller with a scope."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from ragqa.service.api.auth import Identity, authenticate, client_address, require_scope
from ragqa.service.api.errors import ApiError
from ragqa.service.api.ratelimit import retry_after_header
from ragqa.service.api.state import ApiState


def get_state(request: Request) -> ApiState:
    return request.app.state.api


StateDep = Annotated[ApiState, Depends(get_state)]


def admit_caller(request: Request, state: ApiState) -> Identity:
    """Authenticate, then spend one token of the caller's rate-limit bucket(s); 429 with Retry-After when empty."""
    return admit(request, state, authenticate(request, state))


def admit(request: Request, state: ApiState, identity: Identity) -> Identity:
    """Spend one token of this identity's rate-limit bucket(s); 429 with Retry-After when empty."""
    request.state.caller = identity.caller
    if identity.origin is None:
        wait = state.limiter.take(identity.caller)
        limit = f"{state.settings.rate_limit_per_minute} a minute per caller"
    else:
        # A widget key is public (it is in the page): one bucket per client address, so one outsider cannot
        # drain everyone's quota, then the key's shared ceiling for its origin.
        client = client_address(request, state)
        wait = state.widget_clients.take(f"{identity.caller}|{identity.origin}|{client}")
        limit = f"{state.settings.widget_rate_limit_per_client} a minute per client of this widget"
        if wait == 0:
            wait = state.widget_ceiling.take(f"{identity.caller}|{identity.origin}")
            limit = f"{state.settings.widget_rate_limit_per_minute} a minute for this widget in all"
    if wait > 0:
        state.metrics.rate_limited.inc()
        retry = retry_after_header(wait)
        raise ApiError(429, f"Too many requests: the limit is {limit}. Try again in {retry} s.",
                       headers={"Retry-After": retry})
    return identity


def get_caller(request: Request, state: StateDep) -> Identity:
    """The caller AuthFirstRoute admitted before parsing the body (or admit now, for other route classes)."""
    identity = getattr(request.state, "identity", None)
    return identity if identity is not None else admit_caller(request, state)


CallerDep = Annotated[Identity, Depends(get_caller)]


def get_asker(identity: CallerDep, state: StateDep) -> Identity:
    require_scope(identity, "ask", state)
    return identity


def get_admin(identity: CallerDep, state: StateDep) -> Identity:
    require_scope(identity, "admin", state)
    return identity


AskerDep = Annotated[Identity, Depends(get_asker)]
AdminDep = Annotated[Identity, Depends(get_admin)]
