"""A local GGUF model through llama-cpp-python (optional extra: pip install 'ragqa[llamacpp]')."""

from __future__ import annotations

from collections.abc import Iterator

from service.llm.base import GenerationRequest, LLMError


class LlamaCppLLM:
    name = "llamacpp"

    def __init__(self, settings, embedder=None):
        try:
            from llama_cpp import Llama
        except ImportError:
            raise LLMError("the llamacpp backend needs llama-cpp-python: pip install 'ragqa[llamacpp]'") from None
        path = settings.llamacpp_model_path
        if path is None or not path.is_file():
            raise LLMError(f"llamacpp backend: GGUF file not found at {path}; set RAGQA_LLAMACPP_MODEL_PATH")
        self.settings = settings
        self._llm = Llama(model_path=str(path), n_ctx=4096, verbose=False)

    def generate(self, request: GenerationRequest) -> str:
        return "".join(self.stream(request))

    def stream(self, request: GenerationRequest) -> Iterator[str]:
        try:
            for part in self._llm.create_chat_completion(messages=request.messages, stream=True,
                                                         temperature=self.settings.temperature):
                delta = part["choices"][0].get("delta", {}).get("content")
                if delta:
                    yield delta
        except (KeyError, IndexError, TypeError) as exc:
            raise LLMError(f"llamacpp backend returned a malformed reply ({exc})") from exc
