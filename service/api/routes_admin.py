"""GET /v1/insights (admin, JSON) and GET /admin (admin, the HTML page): content gaps, feedback, cited articles.

A person with a browser signs in at /admin with an admin key (POST /admin/sign-in, service/api/admin_session.py).
"""

from __future__ import annotations

from fastapi import APIRouter, Query, Request, Response
from fastapi.responses import RedirectResponse
from starlette.concurrency import run_in_threadpool

from ragqa.service.api import admin_session
from ragqa.service.api.auth import Identity, client_address, require_scope
from ragqa.service.api.deps import AdminDep, StateDep, admit, admit_caller
from ragqa.service.api.errors import ApiError
from ragqa.service.api.insights import build_insights
from ragqa.service.api.insights_html import CSP_HEADER, access_page, render_page
from ragqa.service.api.responses import COMMON, problems
from ragqa.service.api.review import Visibility, feedback_with_answers, served_visibility
from ragqa.service.api.routes_feedback import review_window
from ragqa.service.api.routing import AuthFirstRoute

router = APIRouter(route_class=AuthFirstRoute, tags=["insights"])

_DAY = r"^\d{4}-\d{2}-\d{2}$"
_HEADERS = {"Content-Security-Policy": CSP_HEADER, "Cache-Control": "no-store", "X-Content-Type-Options": "nosniff",
            "Referrer-Policy": "no-referrer", "X-Frame-Options": "DENY"}


def _insights(state, visibility: Visibility, window: dict, limit: int) -> dict:
    return build_insights(answers=state.answer_log.written(), feedback=state.feedback, visibility=visibility,
                          embedder=state.question_vectors, limit=limit, **window)


@router.get("/v1/insights", responses=problems(*COMMON, 400))
async def insights(state: StateDep, caller: AdminDep,
                   since: str | None = Query(None, pattern=_DAY, description="First UTC day, YYYY-MM-DD."),
                   until: str | None = Query(None, pattern=_DAY, description="Last UTC day, YYYY-MM-DD."),
                   limit: int = Query(20, ge=1, le=200, description="Rows per list.")) -> dict:
    """Unanswered questions clustered by meaning, thumbs-down answers, most cited articles, questions per day.

    Titles and answers citing articles restricted to groups you are not in are left out (counted only)."""
    window = review_window(since, until)
    return await run_in_threadpool(_insights, state, served_visibility(state.index, caller.groups), window, limit)


def _help_page(status: int, detail: str, headers: dict | None = None, *, alert: bool = True) -> Response:
    return Response(access_page(status, detail, alert=alert), status_code=status,
                    media_type="text/html; charset=utf-8", headers=_HEADERS | (headers or {}))


def _admin_or_help(request: Request, state) -> Identity | Response:
    """The admin caller; for a browser without admin rights, a page that says how to get in (not problem JSON)."""
    session, stale = admin_session.session_identity(request, state)
    try:
        identity = admit(request, state, session) if session else admit_caller(request, state)
        require_scope(identity, "admin", state)
        request.state.admin_session = session is not None
        return identity
    except ApiError as exc:
        if "text/html" not in request.headers.get("accept", ""):
            raise
        detail, alert = exc.detail, True
        if stale:
            detail = "Your sign-in has ended (it expired, or its key was revoked): sign in again."
        elif exc.status == 401:  # nothing presented yet: not an error, just the way in
            detail, alert = "Sign in to see this page.", False
        response = _help_page(exc.status, detail, exc.headers, alert=alert)
        if stale:
            admin_session.clear_cookie(response, request, state)
        return response


@router.get("/admin", include_in_schema=False)
async def admin_page(request: Request, state: StateDep, rating: str = Query("", max_length=10),
                     since: str = Query("", max_length=20), until: str = Query("", max_length=20)) -> Response:
    """The review page for the articles' owners (admin key, or a proxy user in RAGQA_PROXY_ADMIN_GROUPS)."""
    caller = await run_in_threadpool(_admin_or_help, request, state)
    if isinstance(caller, Response):
        return caller
    # The page's own filter form sends empty fields for "any": accepted here, unlike in the JSON API.
    if rating not in ("", "up", "down"):
        raise ApiError(400, f"rating must be up, down or empty; got {rating!r}")
    rating = rating or None
    window = review_window(since, until)

    def page() -> str:
        visibility = served_visibility(state.index, caller.groups)  # one article cache for the whole page
        data = _insights(state, visibility, window, 20)
        feedback = feedback_with_answers(feedback=state.feedback, answers=state.answer_log.written(),
                                         visibility=visibility, limit=100, rating=rating, **window)
        return render_page(data, title="ragqa: what staff asked", feedback=feedback,
                           filters={"rating": rating, "since": since, "until": until},
                           signed_in=request.state.admin_session)

    return Response(await run_in_threadpool(page), media_type="text/html; charset=utf-8", headers=_HEADERS)


def _check_sign_in(request: Request, state) -> None:
    """Same-origin form, then one token of the client address's sign-in bucket (before any key is looked at)."""
    admin_session.require_same_origin(request, state)
    admit(request, state, Identity("sign-in", client_address(request, state), frozenset(), frozenset()))


@router.post("/admin/sign-in", include_in_schema=False)
async def admin_sign_in(request: Request, state: StateDep) -> Response:
    """The sign-in form's target: an admin key in the body -> a sign-in cookie, then back to /admin."""
    try:
        await run_in_threadpool(_check_sign_in, request, state)
        presented = await admin_session.posted_key(request)
        identity = await run_in_threadpool(admin_session.sign_in, request, state, presented)
    except ApiError as exc:
        return _help_page(exc.status, exc.detail, exc.headers)
    response = RedirectResponse("/admin", status_code=303, headers=_HEADERS)
    admin_session.set_cookie(response, request, state, identity.subject)
    return response


@router.post("/admin/sign-out", include_in_schema=False)
async def admin_sign_out(request: Request, state: StateDep) -> Response:
    """Forget the sign-in cookie (the key itself stays valid: `ragqa keys revoke` ends every session of it)."""
    try:
        admin_session.require_same_origin(request, state)
    except ApiError as exc:
        return _help_page(exc.status, exc.detail, exc.headers)
    response = RedirectResponse("/admin", status_code=303, headers=_HEADERS)
    admin_session.clear_cookie(response, request, state)
    return response
