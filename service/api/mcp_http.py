"""The MCP tools over streamable HTTP at /mcp (RAGQA_MCP_HTTP=true): a key or token required, its groups applied.

Every request is authenticated like /v1/ask (service/api/auth.py: key, /v1/token token or trusted proxy user,
rate-limited, `ask` scope) and never anonymously, not even in the loopback demo. The tools then read the
articles the caller's groups allow. Stateless: no MCP session outlives its request, so nothing is shared between
callers. The SDK's DNS-rebinding check is off because a page cannot send the key a request needs.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from contextlib import AbstractAsyncContextManager

from fastapi import FastAPI
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.routing import Route

from ragqa.service.api.auth import require_scope
from ragqa.service.api.deps import admit_caller
from ragqa.service.api.errors import ApiError, problem

PATH = "/mcp"
_IDENTITY = "ragqa.identity"  # the scope key the gate leaves the caller's Identity under, for the tools


class _Gate:
    """ASGI: authenticate, then hand the request to the SDK's streamable-HTTP app."""

    def __init__(self, app: FastAPI, inner):
        self.app, self.inner = app, inner

    async def __call__(self, scope, receive, send) -> None:
        state = self.app.state.api
        try:
            identity = await run_in_threadpool(admit_caller, Request(scope, receive), state)
            if identity.kind == "anonymous":
                raise ApiError(401, 'MCP over HTTP needs a key: send "Authorization: Bearer <key>" with a key from '
                                    "`ragqa keys create` (or a /v1/token token).",
                               headers={"WWW-Authenticate": "Bearer"})
            require_scope(identity, "ask", state)
        except ApiError as exc:
            await problem(exc.status, exc.detail, title=exc.title, headers=exc.headers, extra=exc.extra)(
                scope, receive, send)
            return
        scope[_IDENTITY] = identity
        await self.inner(scope, receive, send)


def add_mcp_endpoint(app: FastAPI) -> Callable[[], AbstractAsyncContextManager]:
    """Route /mcp to the MCP tools; returns what the app's lifespan must run around serving."""
    from mcp.server.transport_security import TransportSecuritySettings

    from ragqa.service.composition import Components
    from ragqa.service.mcp_server import Caller, build_mcp

    def caller_of(ctx) -> Caller:
        identity = ctx.request_context.request.scope[_IDENTITY]
        state = app.state.api
        return Caller(Components(state.settings, state.embedder, state.index, state.answers), identity.groups,
                      on_answer=lambda answer, question, history: state.observe_answer(answer, identity, question,
                                                                                       history))

    server = build_mcp(caller_of)
    inner = server.streamable_http_app(
        streamable_http_path=PATH, stateless_http=True, json_response=True,
        transport_security=TransportSecuritySettings(enable_dns_rebinding_protection=False))
    app.router.routes.append(Route(PATH, endpoint=_Gate(app, inner), methods=["GET", "POST", "DELETE"]))
    return server.session_manager.run


def no_mcp_endpoint() -> AbstractAsyncContextManager:
    return contextlib.nullcontext()
