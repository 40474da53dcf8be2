"""Ollama's chat API via LangChain's Ollama integration."""

from __future__ import annotations

from service.llm.base import LLMError
from service.llm.langchain_adapter import LangChainLLM


class OllamaLLM(LangChainLLM):
    name = "ollama"

    def __init__(self, settings, embedder=None):
        try:
            from langchain_ollama import ChatOllama
        except ImportError:
            raise LLMError("the ollama backend needs langchain-ollama: pip install 'ragqa[ollama]'") from None
        model = ChatOllama(
            base_url=settings.ollama_base_url,
            model=settings.ollama_model,
            temperature=settings.temperature,
            client_kwargs={"timeout": settings.llm_timeout_s},
        )
        hint = (f"check that Ollama runs at {settings.ollama_base_url} (RAGQA_OLLAMA_BASE_URL) and has pulled "
                f"model {settings.ollama_model!r} (RAGQA_OLLAMA_MODEL)")
        super().__init__(model, name=f"ollama ({settings.ollama_base_url})", hint=hint,
                         max_retries=settings.llm_max_retries)
