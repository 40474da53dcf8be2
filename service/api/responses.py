"""OpenAPI descriptions of the problem+json error responses each route can return."""

from __future__ import annotations

from ragqa.service.api.schemas import Problem

_DESCRIPTIONS = {
    400: "Unreadable body (not UTF-8 JSON)",
    401: "Missing, invalid, expired or revoked credential",
    403: "Credential lacks the scope, or a widget key used from a foreign origin",
    404: "Not found",
    413: "Body larger than the limit",
    422: "Invalid input (types, lengths, bounds)",
    429: "Rate limit reached; see Retry-After",
    502: "The answer backend failed",
    503: "No index loaded yet, or the index is unavailable",
    504: "The answer backend timed out",
}


_SCHEMA = Problem.model_json_schema()


def problems(*codes: int) -> dict:
    return {code: {"description": _DESCRIPTIONS[code], "content": {"application/problem+json": {"schema": _SCHEMA}}}
            for code in codes}


COMMON = (400, 401, 403, 413, 422, 429)
