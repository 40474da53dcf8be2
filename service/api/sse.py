"""Server-Sent Events for /v1/ask/stream: `delta` events, then one `answer` (or `error`) event.

The answer pipeline is a blocking generator; each step runs in the threadpool. When the client goes away the
response is cancelled and the generator is closed, which stops generation.
"""

from __future__ import annotations

import json
import logging
from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import aclosing
from dataclasses import dataclass

import anyio
from starlette.responses import StreamingResponse
from starlette.types import Receive, Scope, Send

from ragqa.service.api.errors import classify, problem_body
from ragqa.service.models import AnswerDelta, AnswerDone

log = logging.getLogger("ragqa.api")

_END = object()


def next_event(events: Iterator) -> object:
    """next(), with the end of the stream as a sentinel (StopIteration cannot cross a thread boundary)."""
    return next(events, _END)


def format_event(name: str, data: dict) -> bytes:
    # json.dumps never emits a raw newline, so one `data:` line always holds the whole payload.
    return f"event: {name}\ndata: {json.dumps(data, ensure_ascii=False)}\n\n".encode()


@dataclass(frozen=True)
class StreamFailure:
    """The pipeline failed after the 200 went out: the error can only be reported in-stream."""

    status: int
    detail: str


async def pipeline_events(events: Iterator, first: object) -> AsyncIterator[object]:
    """`first`, then each next pipeline event read in the threadpool; a failure ends it with a StreamFailure, and
    an end without an AnswerDone with one too. Closing it closes the pipeline, which stops generation."""
    item = first
    try:
        while item is not _END:
            yield item
            if isinstance(item, AnswerDone):
                return
            try:
                item = await anyio.to_thread.run_sync(next_event, events)
            except Exception as exc:
                err = classify(exc)
                yield StreamFailure(err.status, err.detail)
                return
        yield StreamFailure(500, "the answer pipeline ended without an answer")
    finally:
        events.close()  # stops generation when the client disconnected mid-answer


async def answer_events(events: Iterator, first: object, on_answer: Callable) -> AsyncIterator[bytes]:
    """SSE frames for the pipeline's AnswerDelta ... AnswerDone events, starting with `first`."""
    async with aclosing(pipeline_events(events, first)) as items:
        async for item in items:
            if isinstance(item, AnswerDelta):
                yield format_event(item.kind, {"text": item.text})
            elif isinstance(item, AnswerDone):
                on_answer(item.answer)
                yield format_event(item.kind, item.answer.model_dump(mode="json"))
            elif isinstance(item, StreamFailure):
                yield format_event("error", problem_body(item.status, item.detail))


class EventStreamResponse(StreamingResponse):
    """A StreamingResponse that always watches for disconnects and always closes its iterator."""

    media_type = "text/event-stream"

    def __init__(self, content: AsyncIterator[bytes], **kwargs):
        headers = {"Cache-Control": "no-store", "X-Accel-Buffering": "no"} | kwargs.pop("headers", {})
        super().__init__(content, headers=headers, **kwargs)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        try:
            async with anyio.create_task_group() as tg:

                async def stream() -> None:
                    try:
                        await self.stream_response(send)
                    except OSError:
                        log.info("client went away during a stream")
                    tg.cancel_scope.cancel()

                tg.start_soon(stream)
                await self.listen_for_disconnect(receive)
                tg.cancel_scope.cancel()
        finally:
            with anyio.CancelScope(shield=True):
                await self.body_iterator.aclose()
