"""OpenAI's error shape for the OpenAI-compatible routes, so OpenAI client libraries raise their usual errors.

Only /v1/chat/completions and /v1/models use it; every other route keeps application/problem+json.
"""

from __future__ import annotations

from fastapi.responses import JSONResponse

from ragqa.service.api.logs import current_request_id

OPENAI_PATHS = frozenset({"/v1/chat/completions", "/v1/models"})

# status -> (type, code), after OpenAI's own API.
_KINDS = {
    400: ("invalid_request_error", None),
    401: ("invalid_request_error", "invalid_api_key"),
    403: ("permission_error", "insufficient_permissions"),
    404: ("invalid_request_error", "not_found"),
    405: ("invalid_request_error", "method_not_allowed"),
    413: ("invalid_request_error", "request_too_large"),
    429: ("rate_limit_error", "rate_limit_exceeded"),
}


def openai_error_body(status: int, message: str, *, param: str | None = None, code: str | None = None) -> dict:
    kind, default_code = _KINDS.get(status, ("server_error" if status >= 500 else "invalid_request_error", None))
    return {"error": {"message": message, "type": kind, "param": param, "code": code or default_code}}


def openai_error(status: int, message: str, *, headers: dict | None = None, param: str | None = None,
                 code: str | None = None) -> JSONResponse:
    # OpenAI answers bad input with 400, and its clients map 400 to BadRequestError: use it for 422 too.
    status = 400 if status == 422 else status
    headers = dict(headers or {})
    if current_request_id():
        headers.setdefault("X-Request-ID", current_request_id())
    return JSONResponse(openai_error_body(status, message, param=param, code=code), status_code=status,
                        headers=headers)
