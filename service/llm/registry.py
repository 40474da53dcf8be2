"""One registry for every answer backend: built-ins and plugins alike register via entry points (`ragqa.llm`)."""

from __future__ import annotations

import importlib
import threading
from importlib.metadata import entry_points

from service.llm.base import LLM, LLMError

ENTRY_POINT_GROUP = "ragqa.llm"
# The same classes the package's own entry points name; used when the package metadata is unavailable.
_BUILTIN = {
    "extractive": "service.llm.extractive:ExtractiveLLM",
    "openai": "service.llm.openai_compat:OpenAICompatibleLLM",
    "ollama": "service.llm.ollama:OllamaLLM",
    "llamacpp": "service.llm.llamacpp:LlamaCppLLM",
}
_lock = threading.Lock()


def available() -> dict[str, str]:
    """Backend name -> 'module:attr', plugins included."""
    found = dict(_BUILTIN)
    for ep in entry_points(group=ENTRY_POINT_GROUP):
        found[ep.name] = ep.value
    return found


def _resolve(target: str):
    module_name, _, attr = target.partition(":")
    try:
        obj = importlib.import_module(module_name)
        for part in attr.split(".") if attr else []:
            obj = getattr(obj, part)
    except (ImportError, AttributeError) as exc:
        raise LLMError(f"cannot import {target!r}: {exc}") from None
    return obj


def get_llm(name: str, settings, embedder) -> LLM:
    """Build the backend called `name` (`langchain:module:attr` wraps any LangChain chat model)."""
    if name.startswith("langchain:"):
        from service.llm.langchain_adapter import LangChainLLM

        return LangChainLLM.from_target(name.removeprefix("langchain:"), settings)
    backends = available()
    if name not in backends:
        raise LLMError(
            f"unknown LLM backend {name!r}: choose one of {', '.join(sorted(backends))}, or langchain:module:attr"
        )
    return _resolve(backends[name])(settings, embedder)


class LLMCache:
    """Backends are built once per name and shared by all requests of a process."""

    def __init__(self, settings, embedder):
        self.settings = settings
        self.embedder = embedder
        self._built: dict[str, LLM] = {}

    def get(self, name: str | None) -> LLM:
        name = name or self.settings.llm
        with _lock:
            if name not in self._built:
                self._built[name] = get_llm(name, self.settings, self.embedder)
            return self._built[name]
