"""Any LangChain chat model as a ragqa backend, with errors that name the backend and what to check."""

from __future__ import annotations

import time
from collections.abc import Iterator

from service.llm.base import GenerationRequest, LLMError

_ROLES = {"system": "system", "user": "human", "assistant": "ai"}


def to_langchain_messages(messages: list[dict[str, str]]):
    from langchain_core.messages import AIMessage, HumanMessage, SystemMessage

    kinds = {"system": SystemMessage, "user": HumanMessage, "assistant": AIMessage}
    return [kinds[m["role"]](content=m["content"]) for m in messages]


class LangChainLLM:
    """Wraps a LangChain BaseChatModel; subclasses build the model from Settings."""

    name = "langchain"
    hint = "check the model's configuration"

    def __init__(self, chat_model, *, name: str | None = None, hint: str | None = None, max_retries: int = 2):
        self.chat_model = chat_model
        self.name = name or self.name
        self.hint = hint or self.hint
        self.max_retries = max_retries

    @classmethod
    def from_target(cls, target: str, settings) -> LangChainLLM:
        from service.llm.registry import _resolve

        if ":" not in target:
            raise LLMError(f"langchain backend needs module:attr, got {target!r} (e.g. langchain:mypkg.models:chat)")
        obj = _resolve(target)
        if isinstance(obj, type) or (callable(obj) and not hasattr(obj, "invoke")):
            obj = obj()
        if not hasattr(obj, "invoke") or not hasattr(obj, "stream"):
            raise LLMError(f"{target!r} is not a LangChain chat model (it has no invoke/stream)")
        return cls(obj, name=f"langchain:{target}", max_retries=settings.llm_max_retries)

    def _fail(self, exc: Exception) -> LLMError:
        return LLMError(f"{self.name} backend failed: {type(exc).__name__}: {exc}; {self.hint}")

    def generate(self, request: GenerationRequest) -> str:
        messages = to_langchain_messages(request.messages)
        for attempt in range(self.max_retries + 1):
            try:
                reply = self.chat_model.invoke(messages)
                break
            except Exception as exc:
                if attempt >= self.max_retries or not _retryable(exc):
                    raise self._fail(exc) from exc
                time.sleep(min(0.25 * 2**attempt, 2.0))
        content = getattr(reply, "content", None)
        if not isinstance(content, str):
            raise LLMError(f"{self.name} backend returned a malformed reply (no text content); {self.hint}")
        return content

    def stream(self, request: GenerationRequest) -> Iterator[str]:
        messages = to_langchain_messages(request.messages)
        try:
            for chunk in self.chat_model.stream(messages):
                text = getattr(chunk, "content", "")
                if isinstance(text, str) and text:
                    yield text
        except GeneratorExit:
            raise
        except Exception as exc:
            raise self._fail(exc) from exc


def _retryable(exc: Exception) -> bool:
    """Connection problems and 5xx are worth another try; bad requests and auth errors are not."""
    status = getattr(exc, "status_code", None) or getattr(getattr(exc, "response", None), "status_code", None)
    if isinstance(status, int):
        return status >= 500 or status == 429
    name = type(exc).__name__.lower()
    return any(word in name for word in ("timeout", "connect", "connection", "unavailable"))
