"""Protocol stand-in for a slow generative backend (a remote LLM cannot run here).

A LangChain fake chat model that streams its reply one character every 50 ms and appends "." per character to the
file named by $RAGQA_TEST_PROGRESS, then "!" when its stream is closed or done, so a test can see whether
generation is still running. A prompt containing "explode" makes it fail like an unreachable server: at once for
a whole answer, after three characters for a stream.
Used by the server as RAGQA_LLM=langchain:tests.api.slow_llm:make.
"""

from __future__ import annotations

import os

from langchain_core.language_models.fake_chat_models import FakeListChatModel

REPLY = "The staff cafeteria opens at 7:30 on weekdays [1]. Breakfast is served until 10:00 [1]."


class ProgressChatModel(FakeListChatModel):
    def _call(self, messages, *args, **kwargs):
        if _wants_failure(messages):
            raise ConnectionError("stand-in backend unreachable")
        return super()._call(messages, *args, **kwargs)

    def _stream(self, messages, *args, **kwargs):
        fail = _wants_failure(messages)
        try:
            for i, chunk in enumerate(super()._stream(messages, *args, **kwargs)):
                if fail and i == 3:
                    raise ConnectionError("stand-in backend unreachable")
                _mark(".")
                yield chunk
        finally:
            _mark("!")


def _wants_failure(messages) -> bool:
    return any("explode" in str(m.content) for m in messages)


def _mark(char: str) -> None:
    with open(os.environ["RAGQA_TEST_PROGRESS"], "a") as fh:
        fh.write(char)


def make() -> ProgressChatModel:
    return ProgressChatModel(responses=[REPLY], sleep=0.05)
