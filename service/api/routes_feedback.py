"""POST /v1/feedback (thumbs up/down on a logged answer) and GET /v1/feedback (admin review with the answers)."""

from __future__ import annotations

from typing import Literal

from fastapi import APIRouter, Query
from starlette.concurrency import run_in_threadpool

from ragqa.service.api.deps import AdminDep, AskerDep, StateDep
from ragqa.service.api.errors import ApiError
from ragqa.service.api.responses import COMMON, problems
from ragqa.service.api.review import day_window, feedback_with_answers, served_visibility
from ragqa.service.api.routing import AuthFirstRoute
from ragqa.service.api.schemas import FeedbackEntry, FeedbackIn, FeedbackStored

router = APIRouter(route_class=AuthFirstRoute, tags=["feedback"])

_DAY = r"^\d{4}-\d{2}-\d{2}$"


@router.post("/v1/feedback", response_model=FeedbackStored, status_code=201, responses=problems(*COMMON, 404))
def post_feedback(body: FeedbackIn, state: StateDep, caller: AskerDep) -> FeedbackStored:
    """Store a rating (and optional comment) for the logged answer with this request_id."""
    asked_by = state.answer_log.caller_of(body.request_id) if state.answer_log.enabled else None
    if asked_by is not None and asked_by != caller.caller:
        # Only the one who got a logged answer rates it (404: nothing is said about other callers' request ids).
        # An id the log does not hold (yet: another replica may still be writing it) is kept, shown as not logged.
        raise ApiError(404, f"No answer with request_id {body.request_id!r} was given to you: rate the request_id "
                            "of an answer you received.")
    comment = body.comment.strip() if body.comment else None
    feedback_id = state.feedback.add(request_id=body.request_id, rating=body.rating, comment=comment or None,
                                     caller=caller.caller)
    return FeedbackStored(id=feedback_id, request_id=body.request_id, rating=body.rating)


def review_window(since: str | None, until: str | None) -> dict:
    try:
        return day_window(since, until)
    except ValueError as exc:
        raise ApiError(400, str(exc)) from None


@router.get("/v1/feedback", response_model=list[FeedbackEntry], responses=problems(*COMMON, 400))
async def list_feedback(state: StateDep, caller: AdminDep, limit: int = Query(100, ge=1, le=1000),
                        request_id: str | None = Query(None, pattern=r"^[A-Za-z0-9._:-]{1,128}$"),
                        rating: Literal["up", "down"] | None = None,
                        since: str | None = Query(None, pattern=_DAY, description="First UTC day, YYYY-MM-DD."),
                        until: str | None = Query(None, pattern=_DAY, description="Last UTC day, YYYY-MM-DD.")
                        ) -> list[FeedbackEntry]:
    """Feedback newest first, each with its logged question, answer and citations as your groups allow."""
    window = review_window(since, until)
    visibility = served_visibility(state.index, caller.groups)
    rows = await run_in_threadpool(lambda: feedback_with_answers(
        feedback=state.feedback, answers=state.answer_log.written(), visibility=visibility, limit=limit,
        request_id=request_id, rating=rating, **window))
    return [FeedbackEntry(**row) for row in rows]
