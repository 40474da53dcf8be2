"""Protocol stand-in for a remote LLM (none can run here): a LangChain chat model that answers slowly.

Used by the SIGTERM test through `RAGQA_LLM=langchain:tests.hardening.standins:SlowChatModel`, so that requests
are certainly in flight when the server is told to stop. It quotes the first passage's first sentence with [1].
"""

from __future__ import annotations

import os
import re
import time
from collections.abc import Iterator
from typing import Any

from langchain_core.language_models.chat_models import BaseChatModel
from langchain_core.messages import AIMessage, AIMessageChunk
from langchain_core.outputs import ChatGeneration, ChatGenerationChunk, ChatResult

_FIRST_PASSAGE = re.compile(r"<passage ref=\"1\"[^>]*>\n(.*?)\n</passage>", re.S)


def _answer(prompt: str) -> str:
    match = _FIRST_PASSAGE.search(prompt)
    lines = [ln.strip() for ln in (match.group(1) if match else "").splitlines()]
    prose = [ln for ln in lines if len(ln.split()) >= 5 and not ln.startswith("#")]
    sentence = re.split(r"(?<=[.!?])\s+", prose[0])[0].rstrip(".") if prose else "The articles say so"
    return f"{sentence} [1]."


class SlowChatModel(BaseChatModel):
    """Waits RAGQA_TEST_LLM_DELAY_S seconds (default 2) in total before its answer is complete."""

    @property
    def _llm_type(self) -> str:
        return "slow-stand-in"

    @property
    def delay_s(self) -> float:
        return float(os.environ.get("RAGQA_TEST_LLM_DELAY_S", "2"))

    def _generate(self, messages, stop=None, run_manager=None, **kwargs: Any) -> ChatResult:
        time.sleep(self.delay_s)
        text = _answer("\n".join(str(m.content) for m in messages))
        return ChatResult(generations=[ChatGeneration(message=AIMessage(content=text))])

    def _stream(self, messages, stop=None, run_manager=None, **kwargs: Any) -> Iterator[ChatGenerationChunk]:
        words = _answer("\n".join(str(m.content) for m in messages)).split(" ")
        for i, word in enumerate(words):
            time.sleep(self.delay_s / len(words))  # the stream is in flight for the whole delay
            yield ChatGenerationChunk(message=AIMessageChunk(content=word if i == 0 else " " + word))
