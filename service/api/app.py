"""create_app(): the FastAPI application. One ApiState (model, index, answerer) is built in the lifespan and shared."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator

from fastapi import FastAPI
from fastapi_offline import FastAPIOffline
from starlette.concurrency import run_in_threadpool

from ragqa.service.api import (
    routes_admin,
    routes_ask,
    routes_documents,
    routes_feedback,
    routes_openai,
    routes_ops,
    routes_search,
    routes_token,
    routes_widget,
)
from ragqa.service.api.database import close_pools
from ragqa.service.api.errors import install_error_handlers
from ragqa.service.api.mcp_http import add_mcp_endpoint, no_mcp_endpoint
from ragqa.service.api.middleware import LiveCORSMiddleware, RequestContextMiddleware
from ragqa.service.api.state import ApiState, build_state

log = logging.getLogger("ragqa.api")

DESCRIPTION = """Answers questions from the organisation's articles, citing its sources, and says so when the
articles do not hold the answer. Authenticate with `Authorization: Bearer <key>` (keys from `ragqa keys create`).
Errors are `application/problem+json`, except on the OpenAI-compatible routes (`/v1/chat/completions`,
`/v1/models`), which use OpenAI's error shape so OpenAI clients raise their usual errors."""


def _warm_up(state: ApiState) -> None:
    """Open the index and run the model once, so the first request is not the slow one."""
    state.index.refresh(force=True)
    state.embedder.embed_query("warm up")
    state.answer_log.purge_if_due()
    status = state.index.status()
    state.metrics.observe_index(status)
    if status["ready"]:
        log.info("serving index version %s (%s chunks)", status["serving"], status["chunks"])
    else:
        log.warning("no usable index yet: %s", status["error"])


async def _watch_index(state: ApiState) -> None:
    """Pick up versions published by `ragqa ingest` in other processes, off the request path."""
    interval = max(0.2, state.settings.reload_poll_s)
    while True:
        await asyncio.sleep(interval)
        try:
            status = await run_in_threadpool(state.index.status)
            state.metrics.observe_index(status)
            await run_in_threadpool(state.answer_log.purge_if_due)
        except Exception:
            log.exception("index watch failed; retrying")


def _document_security(app: FastAPI) -> None:
    """Declare the Bearer / X-API-Key schemes in OpenAPI (auth itself is enforced in service/api/auth.py)."""
    build = app.openapi

    def openapi() -> dict:
        if app.openapi_schema is None:
            schema = build()
            schema.setdefault("components", {})["securitySchemes"] = {
                "bearer": {"type": "http", "scheme": "bearer", "description": "An API key or a /v1/token token"},
                "apiKey": {"type": "apiKey", "in": "header", "name": "X-API-Key"},
            }
            for path, operations in schema["paths"].items():
                if path.startswith("/v1/"):
                    for operation in operations.values():
                        operation["security"] = [{"bearer": []}, {"apiKey": []}]
            app.openapi_schema = schema
        return app.openapi_schema

    app.openapi = openapi


def create_app(settings=None, *, embedder=None) -> FastAPI:
    """The app for `settings` (default: from the environment). Pass `embedder` to reuse a loaded model."""
    from ragqa.settings import load_settings

    settings = settings or load_settings()

    @contextlib.asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        state = await run_in_threadpool(build_state, settings, embedder)
        app.state.api = state
        await run_in_threadpool(_warm_up, state)
        watcher = asyncio.create_task(_watch_index(state))
        try:
            async with mcp_running():
                yield
        finally:
            watcher.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await watcher
            await run_in_threadpool(state.answer_log.flush, 2.0)  # the last answers' rows, before the process ends
            close_pools()  # PostgreSQL connections, when RAGQA_DATABASE_URL is set

    # Swagger UI and ReDoc with their assets from the fastapi-offline package, not a CDN: /docs works offline.
    app = FastAPIOffline(title="ragqa", version="0.1.0", description=DESCRIPTION, lifespan=lifespan,
                         static_url="/docs-assets")
    for module in (routes_ask, routes_search, routes_documents, routes_feedback, routes_token, routes_ops,
                   routes_widget, routes_openai, routes_admin):
        app.include_router(module.router)
    install_error_handlers(app)
    _document_security(app)
    mcp_running = no_mcp_endpoint
    if settings.mcp_http:  # the MCP tools over streamable HTTP, at /mcp (service/api/mcp_http.py)
        mcp_running = add_mcp_endpoint(app)

    def cors_origins() -> set[str]:
        state = getattr(app.state, "api", None)
        return state.cors_origins() if state else {o.rstrip("/").lower() for o in settings.cors_origins}

    # Added last = outermost: CORS headers reach every response, including 413s and other errors.
    app.add_middleware(RequestContextMiddleware, settings=settings,
                       metrics_provider=lambda: getattr(getattr(app.state, "api", None), "metrics", None))
    app.add_middleware(LiveCORSMiddleware, origins=cors_origins)
    return app
