"""POST /v1/feedback (thumbs up/down on an answer) and GET /v1/feedback (admin review)."""

from __future__ import annotations

from fastapi import APIRouter, Query

from ragqa.service.api.deps import AdminDep, AskerDep, StateDep
from ragqa.service.api.responses import COMMON, problems
from ragqa.service.api.routing import AuthFirstRoute
from ragqa.service.api.schemas import FeedbackEntry, FeedbackIn, FeedbackStored

router = APIRouter(route_class=AuthFirstRoute, tags=["feedback"])


@router.post("/v1/feedback", response_model=FeedbackStored, status_code=201, responses=problems(*COMMON))
def post_feedback(body: FeedbackIn, state: StateDep, caller: AskerDep) -> FeedbackStored:
    """Store a rating (and optional comment) for the answer with this request_id."""
    comment = body.comment.strip() if body.comment else None
    feedback_id = state.feedback.add(request_id=body.request_id, rating=body.rating, comment=comment or None,
                                     caller=caller.caller)
    return FeedbackStored(id=feedback_id, request_id=body.request_id, rating=body.rating)


@router.get("/v1/feedback", response_model=list[FeedbackEntry], responses=problems(*COMMON))
def list_feedback(state: StateDep, caller: AdminDep, limit: int = Query(100, ge=1, le=1000),
                  request_id: str | None = Query(None, pattern=r"^[A-Za-z0-9._:-]{1,128}$")) -> list[FeedbackEntry]:
    """Most recent feedback first, optionally for one request_id."""
    return [FeedbackEntry(**row) for row in state.feedback.recent(limit=limit, request_id=request_id)]
