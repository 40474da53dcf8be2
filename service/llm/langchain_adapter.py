"""Any LangChain chat model as a ragqa backend, with bounded retries and errors that say what to check."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator

from ragqa.service.llm.base import GenerationRequest, LLMError


def to_langchain_messages(messages: list[dict[str, str]]):
    from langchain_core.messages import AIMessage, HumanMessage, SystemMessage

    kinds = {"system": SystemMessage, "user": HumanMessage, "assistant": AIMessage}
    return [kinds.get(m["role"], HumanMessage)(content=m["content"]) for m in messages]


class LangChainLLM:
    """Wraps a LangChain BaseChatModel; the openai and ollama backends build one from Settings."""

    name = "langchain"

    def __init__(self, chat_model, *, name: str | None = None, location: str = "", hint: str = "",
                 max_retries: int = 2, timeout_s: float | None = None):
        self.chat_model = chat_model
        self.name = name or self.name
        self.location = location  # where the model runs, for error messages (a URL, an import path)
        self.hint = hint or "check the chat model's configuration"
        self.max_retries = max_retries
        self.timeout_s = timeout_s

    @classmethod
    def from_target(cls, target: str, settings) -> LangChainLLM:
        """`package.module:attr` names a chat model instance, a chat model class, or a zero-argument factory."""
        from ragqa.service.llm.registry import resolve

        obj = resolve(target)
        if callable(obj) and not hasattr(obj, "invoke") or isinstance(obj, type):
            try:
                obj = obj()
            except Exception as exc:
                raise LLMError(f"langchain backend {target!r}: calling it failed ({type(exc).__name__}: {exc}); "
                               "point at a chat model instance, or a class/factory that needs no arguments") from None
        if not (hasattr(obj, "invoke") and hasattr(obj, "stream")):
            raise LLMError(f"langchain backend {target!r} is a {type(obj).__name__}, not a LangChain chat model "
                           "(it has no invoke/stream)")
        return cls(obj, name=f"langchain:{target}", location=target, max_retries=settings.llm_max_retries,
                   hint="check the model's own settings (URL, key, model name)")

    def generate(self, request: GenerationRequest) -> str:
        messages = to_langchain_messages(request.messages)
        reply = self._with_retries(lambda: self.chat_model.invoke(messages))
        content = getattr(reply, "content", None)
        if not isinstance(content, str):
            raise self._error("returned a malformed reply (no text content)")
        return content

    def stream(self, request: GenerationRequest) -> Iterator[str]:
        """Deltas as they arrive; a failure before the first delta is retried like generate()."""
        messages = to_langchain_messages(request.messages)
        attempt = 0
        while True:
            started = False
            chunks = self.chat_model.stream(messages)
            try:
                for chunk in chunks:
                    text = getattr(chunk, "content", "")
                    if isinstance(text, str) and text:
                        started = True
                        yield text
                return
            except GeneratorExit:
                raise
            except Exception as exc:
                if started or attempt >= self.max_retries or not retryable(exc):
                    raise self._failure(exc) from exc
                attempt += 1
                time.sleep(_backoff(attempt))
            finally:
                close = getattr(chunks, "close", None)
                if close is not None:
                    close()  # stops the HTTP stream when our caller stops early

    def _with_retries(self, call):
        for attempt in range(self.max_retries + 1):
            try:
                return call()
            except Exception as exc:
                if attempt >= self.max_retries or not retryable(exc):
                    raise self._failure(exc) from exc
                time.sleep(_backoff(attempt + 1))
        raise AssertionError("unreachable")  # pragma: no cover

    def _error(self, what: str) -> LLMError:
        where = f" at {self.location}" if self.location else ""
        return LLMError(f"{self.name} backend{where}: {what}; {self.hint}")

    def _failure(self, exc: Exception) -> LLMError:
        return self._error(describe(exc, self.timeout_s))


def describe(exc: Exception, timeout_s: float | None = None) -> str:
    """What went wrong, in words a user can act on."""
    kind = type(exc).__name__.lower()
    status = status_code(exc)
    detail = str(exc).strip().splitlines()[0][:200] if str(exc).strip() else type(exc).__name__
    if "timeout" in kind or "timed out" in detail.lower():
        return f"timed out after {timeout_s:g}s" if timeout_s else "timed out"
    if "connect" in kind or "connection" in detail.lower():
        return f"cannot connect ({detail}); is the server running?"
    if status in (401, 403):
        return f"the server refused the credentials (HTTP {status})"
    if status == 404:
        return f"not found (HTTP 404: wrong URL or model name; {detail})"
    if status is not None:
        return f"the server answered HTTP {status} ({detail})"
    if isinstance(exc, (json.JSONDecodeError, ValueError, KeyError, TypeError)):
        return f"malformed reply ({type(exc).__name__}: {detail})"
    return f"{type(exc).__name__}: {detail}"


def status_code(exc: Exception) -> int | None:
    status = getattr(exc, "status_code", None) or getattr(getattr(exc, "response", None), "status_code", None)
    return status if isinstance(status, int) else None


def retryable(exc: Exception) -> bool:
    """Timeouts, connection problems, 429 and 5xx are worth another try; bad requests and bad replies are not."""
    status = status_code(exc)
    if status is not None:
        return status >= 500 or status == 429
    name = type(exc).__name__.lower()
    return any(word in name for word in ("timeout", "connect", "unavailable"))


def _backoff(attempt: int) -> float:
    return min(0.2 * 2 ** (attempt - 1), 2.0)
