"""AuthFirstRoute: routes that need a caller authenticate (and spend rate limit) before the body is parsed.

FastAPI parses a JSON body before it runs dependencies, so a stranger's malformed body would get a 422 (and
cost a parse) instead of a 401. Routes of this class run the caller check first; `get_caller` then reuses it.
"""

from __future__ import annotations

from fastapi.routing import APIRoute
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request


def _needs(dependant, call) -> bool:
    return any(d.call is call or _needs(d, call) for d in dependant.dependencies)


class AuthFirstRoute(APIRoute):
    def get_route_handler(self):
        from ragqa.service.api.deps import admit_caller, get_caller

        handler = super().get_route_handler()
        if not _needs(self.dependant, get_caller):
            return handler

        async def authenticated_first(request: Request):
            # Off the event loop: key checks read SQLite.
            request.state.identity = await run_in_threadpool(admit_caller, request, request.app.state.api)
            return await handler(request)

        return authenticated_first
