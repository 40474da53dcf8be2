"""POST /v1/ask and /v1/ask/stream: thin wrappers over AnswerService, with the caller's groups."""

from __future__ import annotations

from fastapi import APIRouter
from starlette.concurrency import run_in_threadpool

from ragqa.service.api.deps import AskerDep, StateDep
from ragqa.service.api.limits import check_text, check_top_k
from ragqa.service.api.logs import current_request_id
from ragqa.service.api.responses import COMMON, problems
from ragqa.service.api.routing import AuthFirstRoute
from ragqa.service.api.schemas import AskRequest
from ragqa.service.api.sse import EventStreamResponse, answer_events, next_event
from ragqa.service.models import Answer

router = APIRouter(route_class=AuthFirstRoute, tags=["answers"])

_SSE_DOC = {
    200: {
        "description": "Server-Sent Events: `event: delta` / `data: {\"text\": ...}` repeated, then `event: answer` "
                       "/ `data: <answer object>`; on failure `event: error` / `data: <problem json>`.",
        "content": {"text/event-stream": {"schema": {"type": "string"}}},
    }
}


def _inputs(body: AskRequest, state) -> dict:
    return {
        "question": check_text(body.question, field="question", settings=state.settings),
        "history": [t.to_turn() for t in body.history],
        "top_k": check_top_k(body.top_k, state.settings),
    }


@router.post("/v1/ask", response_model=Answer, responses=problems(*COMMON, 502, 503, 504))
def ask(body: AskRequest, state: StateDep, caller: AskerDep) -> Answer:
    """Answer a question from the articles the caller may read, with citations (or an honest abstention)."""
    inputs = _inputs(body, state)
    question = inputs.pop("question")
    answer = state.answers.answer(question, **inputs, groups=caller.groups, request_id=current_request_id())
    state.observe_answer(answer, caller, question, inputs["history"])
    return answer


@router.post("/v1/ask/stream", response_class=EventStreamResponse, status_code=200,
             responses=_SSE_DOC | problems(*COMMON, 502, 503, 504))
async def ask_stream(body: AskRequest, state: StateDep, caller: AskerDep) -> EventStreamResponse:
    """The same answer as Server-Sent Events: token deltas, then the whole answer object."""
    inputs = _inputs(body, state)
    question = inputs.pop("question")
    events = state.answers.stream(question, **inputs, groups=caller.groups, request_id=current_request_id())
    # Retrieval and the first step run before the 200 is sent, so "no index" still gets a proper 503.
    first = await run_in_threadpool(next_event, events)
    return EventStreamResponse(answer_events(
        events, first, lambda answer: state.observe_answer(answer, caller, question, inputs["history"])))
