"""OpenAI-compatible chat: POST /v1/chat/completions (plain and streamed) and GET /v1/models.

Any OpenAI client can ask the articles: the last user message is the question, earlier user and assistant
messages are the history (system messages are ignored: the answer comes from the articles). The reply's
content is the answer with its [n] markers and a Markdown sources list; the structured citations travel in
the extra top-level field `ragqa`. Authentication, group filtering and limits are those of /v1/ask.
"""

from __future__ import annotations

import json
import time
from collections.abc import AsyncIterator, Iterator
from contextlib import aclosing

from fastapi import APIRouter
from starlette.concurrency import run_in_threadpool

from ragqa.service.api.deps import AskerDep, StateDep
from ragqa.service.api.errors import ApiError
from ragqa.service.api.limits import check_text
from ragqa.service.api.logs import current_request_id
from ragqa.service.api.openai_errors import openai_error_body
from ragqa.service.api.routing import AuthFirstRoute

# Older turns of a long chat are dropped (as a chat UI's context window would), not refused as /v1/ask does.
from ragqa.service.api.schemas import MAX_HISTORY_TURNS, MAX_TURN_CHARS
from ragqa.service.api.schemas_openai import (
    ChatChoice,
    ChatCompletion,
    ChatCompletionMessage,
    ChatCompletionRequest,
    ModelCard,
    ModelList,
    OpenAIError,
    RagqaExtra,
)
from ragqa.service.api.sse import EventStreamResponse, StreamFailure, next_event, pipeline_events
from ragqa.service.models import Answer, AnswerDelta, AnswerDone, Turn

router = APIRouter(route_class=AuthFirstRoute, tags=["openai-compatible"])

DEFAULT_MODEL = "ragqa"

_ERRORS = {status: {"model": OpenAIError, "description": text} for status, text in {
    400: "Invalid request (OpenAI error shape)", 401: "Missing or invalid API key", 403: "Missing scope",
    404: "Unknown model", 429: "Rate limited", 503: "No index loaded"}.items()}
_STREAM_DOC = {200: {"description": "JSON, or with `stream: true` Server-Sent Events: `data: <chat.completion.chunk>` "
                                    "lines, the last one with `finish_reason: \"stop\"` and `ragqa`, then "
                                    "`data: [DONE]`.",
                     "content": {"text/event-stream": {"schema": {"type": "string"}}}}}


def model_ids(settings) -> dict[str, str | None]:
    """Model id -> answer backend: `ragqa` is the server's configured backend, `ragqa-<name>` names one."""
    ids: dict[str, str | None] = {DEFAULT_MODEL: None, "ragqa-extractive": "extractive"}
    ids[f"ragqa-{settings.llm}"] = settings.llm
    return ids


def _backend(model: str, settings) -> str | None:
    ids = model_ids(settings)
    if model not in ids:
        raise ApiError(404, f"The model {model!r} does not exist here; choose one of {', '.join(ids)} "
                            "(GET /v1/models).", param="model", code="model_not_found")
    return ids[model]


def _conversation(body: ChatCompletionRequest, settings) -> tuple[str, list[Turn]]:
    """The last user message as the question, the user/assistant messages before it as the history."""
    last = next((i for i in range(len(body.messages) - 1, -1, -1) if body.messages[i].role == "user"), None)
    if last is None:
        raise ApiError(400, "`messages` holds no user message: send the question as a message with role \"user\".",
                       param="messages")
    question = check_text(body.messages[last].text(), field=f"messages[{last}].content", settings=settings)
    history = []
    for i, message in enumerate(body.messages[:last]):
        text = message.text().strip()
        if message.role not in ("user", "assistant") or not text:
            continue
        if len(text) > MAX_TURN_CHARS:
            raise ApiError(400, f"`messages[{i}].content` is {len(text)} characters long; earlier turns may hold "
                                f"at most {MAX_TURN_CHARS}. Shorten or drop it.", param=f"messages[{i}].content")
        history.append(Turn(role=message.role, content=text))
    return question, history[-MAX_HISTORY_TURNS:]


def sources_markdown(answer: Answer) -> str:
    """"\\n\\nSources:\\n[1] Title — url" for the cited passages (nothing for an abstention)."""
    if not answer.citations:
        return ""
    lines = [f"[{c.ref}] {c.title} — {c.url or c.source}" for c in answer.citations]
    return "\n\nSources:\n" + "\n".join(lines)


def _extra(answer: Answer) -> dict:
    return RagqaExtra(citations=[c.model_dump(mode="json") for c in answer.citations], abstained=answer.abstained,
                      grounded=answer.grounded, request_id=answer.request_id,
                      standalone_question=answer.standalone_question, index_version=answer.index_version,
                      llm=answer.llm).model_dump(mode="json")


@router.get("/v1/models", response_model=ModelList, responses={k: _ERRORS[k] for k in (401, 403, 429)})
def list_models(state: StateDep, caller: AskerDep) -> ModelList:
    """The model ids this server answers as: `ragqa` (its configured backend) and `ragqa-<backend>`."""
    return ModelList(data=[ModelCard(id=model_id) for model_id in model_ids(state.settings)])


@router.post("/v1/chat/completions", response_model=ChatCompletion, responses=_ERRORS | _STREAM_DOC)
async def chat_completions(body: ChatCompletionRequest, state: StateDep, caller: AskerDep):
    """Answer the last user message from the articles the caller may read, in the Chat Completions format."""
    llm = _backend(body.model, state.settings)
    question, history = _conversation(body, state.settings)
    request_id = current_request_id()
    completion_id = f"chatcmpl-{request_id or int(time.time() * 1000)}"
    created = int(time.time())
    if not body.stream:
        answer = await run_in_threadpool(lambda: state.answers.answer(
            question, history=history, groups=caller.groups, llm=llm, request_id=request_id))
        state.observe_answer(answer, caller, question, history)
        return ChatCompletion(id=completion_id, created=created, model=body.model, ragqa=_extra(answer),
                              choices=[ChatChoice(message=ChatCompletionMessage(
                                  content=answer.answer + sources_markdown(answer)))])
    events = state.answers.stream(question, history=history, groups=caller.groups, llm=llm, request_id=request_id)
    # Retrieval and the first step run before the 200 goes out, so "no index" is still a proper error status.
    first = await run_in_threadpool(next_event, events)
    chunk = _Chunks(completion_id, created, body.model)
    return EventStreamResponse(_stream(events, first, chunk,
                                       lambda answer: state.observe_answer(answer, caller, question, history)))


class _Chunks:
    """`data: <chat.completion.chunk>` lines of one completion."""

    def __init__(self, completion_id: str, created: int, model: str):
        self.base = {"id": completion_id, "object": "chat.completion.chunk", "created": created, "model": model}

    def __call__(self, delta: dict, finish_reason: str | None = None, **extra) -> bytes:
        body = self.base | {"choices": [{"index": 0, "delta": delta, "finish_reason": finish_reason}]} | extra
        return f"data: {json.dumps(body, ensure_ascii=False)}\n\n".encode()


async def _stream(events: Iterator, first, chunk: _Chunks, on_answer) -> AsyncIterator[bytes]:
    streamed: list[str] = []
    yield chunk({"role": "assistant", "content": ""})
    async with aclosing(pipeline_events(events, first)) as items:
        async for item in items:
            if isinstance(item, AnswerDelta):
                streamed.append(item.text)
                yield chunk({"content": item.text})
            elif isinstance(item, AnswerDone):
                answer = item.answer
                on_answer(answer)
                yield chunk({"content": _rest(answer.answer, "".join(streamed)) + sources_markdown(answer)})
                yield chunk({}, "stop", ragqa=_extra(answer))
                yield b"data: [DONE]\n\n"
            elif isinstance(item, StreamFailure):
                yield f"data: {json.dumps(openai_error_body(item.status, item.detail))}\n\n".encode()


def _rest(final: str, streamed: str) -> str:
    """What the client still lacks of the checked answer, given the text it has already been streamed.

    The checks after generation may append a caution (the usual case: the rest follows) or withhold a
    sentence or abstain (the streamed text cannot be taken back: say so, then give the checked answer).
    """
    if final.startswith(streamed):
        return final[len(streamed):]
    return "\n\n---\nThe text above did not pass the answer checks; the checked answer is:\n\n" + final
