"""One registry for every answer backend: built-ins and plugins alike register via entry points (`ragqa.llm`).

A plugin package declares, in its pyproject.toml::

    [project.entry-points."ragqa.llm"]
    mymodel = "my_package.backend:MyLLM"   # MyLLM(settings, embedder); name, generate, stream

and `--llm mymodel` (or RAGQA_LLM=mymodel) selects it. `langchain:pkg.module:attr` wraps any LangChain chat model.
"""

from __future__ import annotations

import importlib
import threading
from importlib.metadata import entry_points

from ragqa.service.llm.base import LLM, LLMError

ENTRY_POINT_GROUP = "ragqa.llm"
LANGCHAIN_PREFIX = "langchain:"
# The classes the package's own entry points name: used when ragqa runs from a checkout that is not installed.
_BUILTIN = {
    "extractive": "ragqa.service.llm.extractive:ExtractiveLLM",
    "openai": "ragqa.service.llm.openai_compat:OpenAICompatibleLLM",
    "ollama": "ragqa.service.llm.ollama:OllamaLLM",
    "llamacpp": "ragqa.service.llm.llamacpp:LlamaCppLLM",
}


def available() -> dict[str, str]:
    """Backend name -> 'module:attr', plugins included."""
    found = dict(_BUILTIN)
    for ep in entry_points(group=ENTRY_POINT_GROUP):
        found[ep.name] = ep.value
    return found


def resolve(target: str):
    """Import 'package.module:attr.sub' and return the attribute."""
    module_name, _, attr = target.partition(":")
    if not module_name or not attr:
        raise LLMError(f"{target!r} is not of the form package.module:attribute")
    try:
        obj = importlib.import_module(module_name)
        for part in attr.split("."):
            obj = getattr(obj, part)
    except ImportError as exc:
        raise LLMError(f"cannot import {module_name!r} for {target!r}: {exc}; is the package installed?") from None
    except AttributeError:
        raise LLMError(f"{module_name!r} has no attribute {attr!r} (from {target!r})") from None
    return obj


def get_llm(name: str, settings, embedder) -> LLM:
    """Build the backend called `name` (`langchain:module:attr` wraps any LangChain chat model)."""
    name = (name or "").strip()
    if name.startswith(LANGCHAIN_PREFIX):
        from ragqa.service.llm.langchain_adapter import LangChainLLM

        return LangChainLLM.from_target(name.removeprefix(LANGCHAIN_PREFIX), settings)
    backends = available()
    if name not in backends:
        raise LLMError(f"unknown LLM backend {name!r}: choose one of {', '.join(sorted(backends))}, "
                       f"or langchain:package.module:attribute for a LangChain chat model")
    cls = resolve(backends[name])
    backend = cls(settings, embedder)
    if not (hasattr(backend, "generate") and hasattr(backend, "stream")):
        raise LLMError(f"backend {name!r} ({backends[name]}) does not implement generate() and stream()")
    return backend


class LLMCache:
    """Backends are built once per name and shared by all requests of a process."""

    def __init__(self, settings, embedder, prebuilt: dict[str, LLM] | None = None):
        self.settings = settings
        self.embedder = embedder
        self._built: dict[str, LLM] = dict(prebuilt or {})
        self._lock = threading.Lock()

    def get(self, name: str | None = None) -> LLM:
        name = name or self.settings.llm
        with self._lock:
            if name not in self._built:
                self._built[name] = get_llm(name, self.settings, self.embedder)
            return self._built[name]
