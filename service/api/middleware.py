"""ASGI middleware: request ids, body limits, UTF-8 check, metrics and access log; CORS from a live allow-list."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

from starlette.datastructures import Headers, MutableHeaders
from starlette.middleware.cors import CORSMiddleware
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from ragqa.service.api.errors import classify, error_response, problem
from ragqa.service.api.logs import accept_request_id, set_request_id

access_log = logging.getLogger("ragqa.access")

# Bodies declared larger than this are refused without reading them; smaller excess is drained first so the
# client, still sending, reads our 413 instead of a reset connection.
_DRAIN_LIMIT = 64 * 1024 * 1024


class RequestContextMiddleware:
    """Outer layer of every HTTP request: one id, one access-log line, one metrics sample, bounded bodies."""

    def __init__(self, app: ASGIApp, *, settings, metrics_provider: Callable[[], object | None]):
        self.app = app
        self.settings = settings
        self.metrics_provider = metrics_provider

    def _body_limit(self, scope: Scope) -> int:
        if scope["method"] == "PUT" and scope["path"].startswith("/v1/documents/"):
            return self.settings.max_document_bytes
        return self.settings.max_body_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = Headers(scope=scope)
        request_id = accept_request_id(headers.get("x-request-id"))
        set_request_id(request_id)  # each request runs in its own task, so its context ends with it
        scope.setdefault("state", {})["request_id"] = request_id
        started = time.perf_counter()
        status = 500
        response_started = False
        metrics = self.metrics_provider()
        if metrics is not None:
            metrics.in_flight.inc()

        async def send_with_headers(message: Message) -> None:
            nonlocal status, response_started
            if message["type"] == "http.response.start":
                status, response_started = message["status"], True
                out = MutableHeaders(scope=message)
                out["X-Request-ID"] = request_id
                out.setdefault("X-Content-Type-Options", "nosniff")
                if scope["path"].startswith("/v1/") and "cache-control" not in out:
                    out["Cache-Control"] = "no-store"  # answers may hold restricted text
            await send(message)

        try:
            if scope["method"] in ("POST", "PUT", "PATCH"):
                body, refusal = await self._read_body(scope, receive, headers)
                if refusal is not None:
                    await refusal(scope, receive, send_with_headers)
                    return
                receive = _replay(body, receive)
            await self.app(scope, receive, send_with_headers)
        except Exception as exc:
            if response_started:
                raise
            err = classify(exc)  # logs the traceback server-side; the client gets problem+json
            await _error(scope, err.status, err.detail, headers=err.headers)(scope, receive, send_with_headers)
        finally:
            route = scope.get("route")
            template = getattr(route, "path", None) or "unmatched"
            seconds = time.perf_counter() - started
            if metrics is not None:
                metrics.in_flight.dec()
                metrics.observe_request(template, scope["method"], status, seconds)
            access_log.info(
                "%s %s %s", scope["method"], scope["path"], status,
                extra={"method": scope["method"], "path": scope["path"], "route": template, "status": status,
                       "duration_ms": round(seconds * 1000, 2), "caller": scope["state"].get("caller", ""),
                       "client": (scope.get("client") or ("", 0))[0]},
            )

    async def _read_body(self, scope: Scope, receive: Receive, headers: Headers) -> tuple[bytes, Response | None]:
        """The whole body, or a problem response: 413 over the limit, 400 when a JSON API body is not UTF-8."""
        limit = self._body_limit(scope)
        declared = headers.get("content-length", "")

        def too_big() -> Response:
            return _error(scope, 413, f"The request body is larger than this endpoint's limit of {limit} bytes "
                                       "(RAGQA_MAX_BODY_BYTES / RAGQA_MAX_DOCUMENT_BYTES). Send less.")

        if declared.isdigit() and int(declared) > _DRAIN_LIMIT:
            return b"", too_big()
        chunks: list[bytes] = []
        size = 0
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                # Gone mid-body (or cut off by the body deadline): never hand the app a truncated body.
                return b"", _error(scope, 400, "The client disconnected before sending the whole body.")
            part = message.get("body", b"")
            size += len(part)
            if size <= limit:
                chunks.append(part)
            elif size > _DRAIN_LIMIT:
                return b"", too_big()
            if not message.get("more_body", False):
                break
        if size > limit:
            return b"", too_big()
        body = b"".join(chunks)
        if body and scope["path"].startswith("/v1/"):
            try:
                body.decode("utf-8")
            except UnicodeDecodeError as exc:
                return b"", _error(scope, 400, f"The request body is not valid UTF-8 (bad byte at position "
                                               f"{exc.start}): send JSON encoded as UTF-8.")
        return body, None


def _error(scope: Scope, status: int, detail: str, *, headers: dict | None = None) -> Response:
    return error_response(scope["path"], status, detail, headers=headers)


def _replay(body: bytes, receive: Receive) -> Receive:
    """Hand the buffered body to the app once, then pass through (so a disconnect is still seen)."""
    sent = False

    async def replay() -> Message:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()

    return replay


class LiveCORSMiddleware(CORSMiddleware):
    """CORS whose allow-list is re-read every few seconds (settings plus widget-key origins); no credentials.

    Credentials (cookies) are never allowed cross-origin: callers send keys or tokens in headers, so even a
    "*" entry cannot expose a cookie-authenticated session to another site.
    """

    def __init__(self, app: ASGIApp, *, origins: Callable[[], set[str]], refresh_s: float = 5.0):
        super().__init__(
            app,
            allow_origins=(),
            allow_methods=("GET", "POST", "PUT", "DELETE", "OPTIONS"),
            allow_headers=("Authorization", "Content-Type", "X-API-Key", "X-Request-ID"),
            expose_headers=("X-Request-ID", "Retry-After"),
            allow_credentials=False,
            max_age=600,
        )
        self._origins = origins
        self._refresh_s = refresh_s
        self._cached: tuple[float, set[str]] = (0.0, set())

    def is_allowed_origin(self, origin: str) -> bool:
        checked_at, allowed = self._cached
        if time.monotonic() - checked_at > self._refresh_s:
            allowed = self._origins()
            self._cached = (time.monotonic(), allowed)
        return "*" in allowed or origin.rstrip("/").lower() in allowed

    def preflight_response(self, request_headers: Headers) -> Response:
        response = super().preflight_response(request_headers)
        if response.status_code != 400:
            return response
        origin = request_headers.get("origin", "")
        if not self.is_allowed_origin(origin):
            return problem(403, f"Cross-origin requests from {origin} are not allowed: add it to RAGQA_CORS_ORIGINS "
                                "(or bind a widget key to it with `ragqa keys create --origins`).")
        return problem(400, "CORS preflight refused: allowed methods are GET, POST, PUT, DELETE and allowed "
                            "headers Authorization, Content-Type, X-API-Key, X-Request-ID.")
