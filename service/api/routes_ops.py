"""GET /healthz (the process is up), /readyz (an index is loaded and healthy), /metrics (Prometheus).

These stay open to probes and scrapers, but the index's size (chunk and article counts, restricted articles
included) is shown only to callers presenting an admin key.
"""

from __future__ import annotations

import logging
import re
from pathlib import Path

from fastapi import APIRouter, Request, Response
from fastapi.responses import JSONResponse

from ragqa.service.api.auth import authenticate
from ragqa.service.api.deps import StateDep
from ragqa.service.api.errors import ApiError, problem
from ragqa.service.api.responses import problems
from ragqa.service.api.schemas import Readiness

router = APIRouter(tags=["operations"])
log = logging.getLogger("ragqa.api")


@router.get("/healthz")
async def healthz() -> dict:
    """Liveness: 200 while the process serves requests (on the event loop: never queued behind busy threads)."""
    return {"status": "ok"}


def _is_admin(request: Request, state) -> bool:
    """True for a valid admin credential; anything else (none, invalid, other scopes) is simply not admin."""
    if not (request.headers.get("authorization") or request.headers.get("x-api-key")):
        return False
    try:
        return "admin" in authenticate(request, state).scopes
    except ApiError:
        return False


@router.get("/readyz", response_model=Readiness, responses=problems(503))
def readyz(request: Request, state: StateDep):
    """Readiness: 503 until an index version is loaded, and while the current version failed to load.

    `chunks` and `articles` are given to admin keys only (null for everyone else).
    """
    status = state.index.status()
    state.metrics.observe_index(status)
    admin = _is_admin(request, state)
    body = Readiness(ready=bool(status["ready"]), index_version=status.get("serving"),
                     chunks=status.get("chunks", 0) if admin else None,
                     articles=status.get("articles", 0) if admin else None)
    if body.ready:
        return JSONResponse(body.model_dump())
    reason = _without_paths(status.get("error") or "", state.settings.index_dir)
    if status.get("serving"):
        log.warning("not ready: %s", status.get("error"))
        detail = (f"The newest index version failed to load ({reason}); the previous one is still served. "
                  "See the server log.")
    else:
        detail = "No index version is loaded yet: ingest articles (ragqa ingest PATH) and wait for the reload."
        detail += f" ({reason})" if reason else ""
    return problem(503, detail, headers={"Retry-After": "5"}, extra=body.model_dump())


def _without_paths(message: str, index_dir) -> str:
    """The error with the damaged file named relative to the index, and no other server path disclosed."""
    for root in {str(Path(index_dir)), str(Path(index_dir).resolve())}:
        message = message.replace(root + "/", "").replace(root, "the index directory")
    return re.sub(r"(?<![\w.])/(?:[^\s/'\"()]+/)+([^\s/'\"()]+)", r"…/\1", message)


@router.get("/metrics", response_class=Response,
            responses={200: {"content": {"text/plain": {}}, "description": "Prometheus text format"}})
def metrics(request: Request, state: StateDep) -> Response:
    """Prometheus metrics: requests by route and status, latencies, retrieval/generation time, abstentions, index.

    The index size gauges (ragqa_index_chunks, ragqa_index_articles) are included for admin keys only.
    """
    state.metrics.observe_index(state.index.status())
    return Response(state.metrics.render(with_counts=_is_admin(request, state)), media_type=state.metrics.content_type)
