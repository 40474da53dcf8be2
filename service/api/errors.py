"""One place that turns every error into an application/problem+json response (RFC 9457), never a stack trace."""

from __future__ import annotations

import logging
from http import HTTPStatus

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from ragqa.service.api.logs import current_request_id
from ragqa.service.api.openai_errors import OPENAI_PATHS, openai_error

log = logging.getLogger("ragqa.api")

PROBLEM_TYPE = "application/problem+json"


class ApiError(Exception):
    """An error with an HTTP status and a `detail` that tells the client what to do."""

    def __init__(self, status: int, detail: str, *, title: str | None = None, headers: dict | None = None,
                 extra: dict | None = None, param: str | None = None, code: str | None = None):
        super().__init__(detail)
        self.status = status
        self.detail = detail
        self.title = title
        self.headers = headers or {}
        self.extra = extra or {}
        self.param = param  # the offending field and a machine code, for the OpenAI error shape
        self.code = code


def problem(status: int, detail: str, *, title: str | None = None, headers: dict | None = None,
            extra: dict | None = None, instance: str | None = None) -> JSONResponse:
    """A problem+json response carrying the request id, so a client report can be matched to the server log."""
    body = {"type": "about:blank", "title": title or _phrase(status), "status": status, "detail": detail}
    if instance:
        body["instance"] = instance
    request_id = current_request_id()
    if request_id:
        body["request_id"] = request_id
    body.update(extra or {})
    return JSONResponse(body, status_code=status, headers=headers, media_type=PROBLEM_TYPE)


def error_response(path: str, status: int, detail: str, *, headers: dict | None = None, title: str | None = None,
                   extra: dict | None = None, param: str | None = None, code: str | None = None) -> JSONResponse:
    """The one place that picks an error's shape: OpenAI's on the OpenAI-compatible routes, else problem+json."""
    if path.rstrip("/") in OPENAI_PATHS:
        return openai_error(status, detail, headers=headers, param=param, code=code)
    return problem(status, detail, title=title, headers=headers, extra=extra)


def problem_body(status: int, detail: str, **extra) -> dict:
    """The same document as a dict (for an SSE `error` event)."""
    body = {"type": "about:blank", "title": _phrase(status), "status": status, "detail": detail}
    if current_request_id():
        body["request_id"] = current_request_id()
    return body | extra


def _phrase(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Error"


def classify(exc: BaseException) -> ApiError:
    """Map an exception raised below the routers (index, LLM, loaders) to the ApiError a client should see.

    Internal details (paths, backend URLs) go to the server log; the client gets what it can act on.
    """
    from ragqa.index.errors import IndexMismatch, IndexNotReady, IndexStoreError
    from ragqa.index.loaders import LoadError
    from ragqa.service.api.database import DatabaseUnavailable
    from ragqa.service.llm.base import LLMError

    if isinstance(exc, ApiError):
        return exc
    if isinstance(exc, IndexNotReady):
        log.warning("index not ready: %s", exc)
        return ApiError(503, "No index is loaded yet: the operator must ingest articles first. Try again later.",
                        headers={"Retry-After": "10"})
    if isinstance(exc, IndexMismatch):
        log.error("index mismatch: %s", exc)
        return ApiError(503, "The index was built with another embedding model than the server uses; "
                             "the operator must re-ingest. Try again later.", headers={"Retry-After": "30"})
    if isinstance(exc, IndexStoreError):
        log.error("index error: %s", exc)
        return ApiError(503, "The index is temporarily unavailable. Try again shortly.",
                        headers={"Retry-After": "5"})
    if isinstance(exc, LoadError):
        return ApiError(422, f"The document could not be read: {exc}")
    if isinstance(exc, DatabaseUnavailable):
        log.error("state database unavailable: %s", exc)
        return ApiError(503, "The server cannot reach its state database (keys, feedback) just now. Try again "
                             "shortly.", headers={"Retry-After": "5"})
    if isinstance(exc, LLMError):
        log.error("answer backend failed: %s", exc)
        timed_out = "timed out" in str(exc).lower() or "timeout" in str(exc).lower()
        if timed_out:
            return ApiError(504, "The answer backend did not reply in time. Try again, or ask a shorter question.")
        return ApiError(502, "The answer backend failed. Try again later; the server log has the details "
                             "under this request id.")
    if isinstance(exc, TimeoutError):
        return ApiError(504, "The request took too long. Try again later.")
    log.error("unhandled error", exc_info=(type(exc), exc, exc.__traceback__))
    return ApiError(500, "Internal error; the server log has the details under this request id.")


def _validation_detail(exc: RequestValidationError) -> tuple[str, list[dict]]:
    errors = []
    for err in exc.errors()[:20]:
        loc = ".".join(str(p) for p in err.get("loc", ()) if p != "body") or "body"
        errors.append({"loc": loc, "msg": err.get("msg", "invalid"), "type": err.get("type", "")})
    if any(e["type"] == "json_invalid" for e in errors):
        return ("The body is not valid JSON: send a JSON object with Content-Type: application/json.", errors)
    summary = "; ".join(f"{e['loc']}: {e['msg']}" for e in errors[:5])
    return f"Invalid request: {summary}. See /docs for the expected fields and types.", errors


def install_error_handlers(app: FastAPI) -> None:
    """Every error the app can produce becomes problem+json with a useful detail."""

    @app.exception_handler(ApiError)
    async def _api_error(request: Request, exc: ApiError):
        return error_response(request.url.path, exc.status, exc.detail, headers=exc.headers, title=exc.title,
                              extra=exc.extra, param=exc.param, code=exc.code)

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError):
        detail, errors = _validation_detail(exc)
        return error_response(request.url.path, 422, detail, extra={"errors": errors},
                              param=errors[0]["loc"] if errors else None)

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException):
        detail = exc.detail if isinstance(exc.detail, str) else _phrase(exc.status_code)
        if exc.status_code == 404 and detail == "Not Found":
            detail = f"No such resource: {request.method} {request.url.path}. The API is described at /docs."
        elif exc.status_code == 405:
            allowed = (exc.headers or {}).get("Allow") or (exc.headers or {}).get("allow") or "see /docs"
            detail = f"{request.method} is not allowed on {request.url.path}; allowed: {allowed}."
        elif exc.status_code == 400 and detail == "There was an error parsing the body":
            detail = "The body could not be parsed: send UTF-8 JSON with Content-Type: application/json."
        return error_response(request.url.path, exc.status_code, detail, headers=exc.headers)

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception):
        err = classify(exc)
        headers = dict(err.headers)
        if current_request_id():
            headers["X-Request-ID"] = current_request_id()
        return error_response(request.url.path, err.status, err.detail, headers=headers)

    async def _known(request: Request, exc: Exception):
        err = classify(exc)
        return error_response(request.url.path, err.status, err.detail, headers=err.headers)

    # Errors from the index, loaders and LLM backends are mapped by type, not reported as a generic 500.
    from ragqa.index.errors import IndexStoreError
    from ragqa.index.loaders import LoadError
    from ragqa.service.api.database import DatabaseUnavailable
    from ragqa.service.llm.base import LLMError

    for kind in (IndexStoreError, LoadError, LLMError, TimeoutError, DatabaseUnavailable):
        app.add_exception_handler(kind, _known)
