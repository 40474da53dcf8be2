"""Both stream formats (SSE /v1/ask/stream and the OpenAI-compatible chunks) read the pipeline through one pump:
a failure after the 200 and a pipeline that ends without an answer are reported in-stream, and the pipeline is
closed whatever happens."""

from __future__ import annotations

from ragqa.service.api.sse import StreamFailure, pipeline_events
from ragqa.service.llm.base import LLMError
from ragqa.service.models import AnswerDelta
from tests.run_async import run_async


class Pipeline:
    """A blocking generator standing in for AnswerService.stream: yields its items, then raises `fail` if set."""

    def __init__(self, items, fail: Exception | None = None):
        self.items, self.fail, self.closed = list(items), fail, False

    def __iter__(self):
        return self

    def __next__(self):
        if self.items:
            return self.items.pop(0)
        if self.fail:
            raise self.fail
        raise StopIteration

    def close(self):
        self.closed = True


async def _collect(pipeline, first, limit=None):
    out = []
    gen = pipeline_events(pipeline, first)
    async for item in gen:
        out.append(item)
        if limit and len(out) >= limit:
            await gen.aclose()
            break
    return out


def test_an_end_without_an_answer_is_a_failure_not_a_silent_stop():
    pipeline = Pipeline([AnswerDelta(" more")])
    items = run_async(_collect(pipeline, AnswerDelta("text")))
    assert [type(i) for i in items] == [AnswerDelta, AnswerDelta, StreamFailure]
    assert items[-1].status == 500 and pipeline.closed


def test_a_failure_mid_stream_is_classified_and_closes_the_pipeline():
    pipeline = Pipeline([], fail=LLMError("openai backend timed out after 30 s"))
    items = run_async(_collect(pipeline, AnswerDelta("text")))
    assert isinstance(items[-1], StreamFailure) and items[-1].status == 504 and "in time" in items[-1].detail
    assert pipeline.closed


def test_a_client_going_away_closes_the_pipeline():
    pipeline = Pipeline([AnswerDelta(" b"), AnswerDelta(" c")])
    items = run_async(_collect(pipeline, AnswerDelta("a"), limit=1))
    assert len(items) == 1 and pipeline.closed
