"""A local GGUF model through llama-cpp-python (optional extra: pip install 'ragqa[llamacpp]')."""

from __future__ import annotations

import threading
from collections.abc import Iterator

from ragqa.service.llm.base import GenerationRequest, LLMError

INSTALL_HINT = "the llamacpp backend needs llama-cpp-python: pip install 'ragqa[llamacpp]'"


class LlamaCppLLM:
    name = "llamacpp"

    def __init__(self, settings, embedder=None):
        try:
            import llama_cpp  # noqa: F401  (checked now so a missing extra fails at start, not mid-request)
        except ImportError:
            raise LLMError(INSTALL_HINT) from None
        path = settings.llamacpp_model_path
        if path is None or not path.is_file():
            raise LLMError(f"llamacpp backend: no GGUF model file at {path}; set RAGQA_LLAMACPP_MODEL_PATH "
                           "to a .gguf file")
        self.settings = settings
        self.path = path
        self._llm = None
        self._lock = threading.Lock()  # one llama.cpp context is not safe to share between threads

    def warm_up(self) -> None:
        """Load the weights (seconds to minutes): done once, at start or on first use."""
        if self._llm is None:
            from llama_cpp import Llama

            try:
                self._llm = Llama(model_path=str(self.path), n_ctx=4096, verbose=False)
            except Exception as exc:
                raise LLMError(f"llamacpp backend: cannot load {self.path} ({exc}); is it a valid GGUF file?") from exc

    def generate(self, request: GenerationRequest) -> str:
        return "".join(self.stream(request))

    def stream(self, request: GenerationRequest) -> Iterator[str]:
        self.warm_up()
        with self._lock:
            try:
                for part in self._llm.create_chat_completion(messages=request.messages, stream=True,
                                                             temperature=self.settings.temperature):
                    delta = part["choices"][0].get("delta", {}).get("content")
                    if delta:
                        yield delta
            except (KeyError, IndexError, TypeError) as exc:
                raise LLMError(f"llamacpp backend ({self.path}): malformed reply ({exc})") from exc
