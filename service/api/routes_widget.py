"""GET / (the demo intranet page) and GET /widget.js (the embeddable widget), from service/widget/."""

from __future__ import annotations

import hashlib

from fastapi import APIRouter, Request, Response

from ragqa.service.api.deps import StateDep
from ragqa.service.api.errors import ApiError

router = APIRouter(include_in_schema=False)

_TYPES = {"widget.js": "text/javascript; charset=utf-8", "demo.html": "text/html; charset=utf-8"}


def _static(request: Request, state, name: str, cache: str) -> Response:
    path = state.widget_dir / name
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise ApiError(404, f"{name} is not installed with this server (expected in service/widget/).") from None
    etag = '"' + hashlib.sha256(data).hexdigest()[:32] + '"'
    headers = {"ETag": etag, "Cache-Control": cache}
    if request.headers.get("if-none-match") == etag:
        return Response(status_code=304, headers=headers)
    return Response(data, media_type=_TYPES[name], headers=headers)


@router.get("/")
def demo_page(request: Request, state: StateDep) -> Response:
    return _static(request, state, "demo.html", "no-cache")


@router.get("/widget.js")
def widget_js(request: Request, state: StateDep) -> Response:
    # Short max-age plus an ETag: pages pick up a new widget within minutes, revalidation is cheap.
    return _static(request, state, "widget.js", "public, max-age=300, must-revalidate")
