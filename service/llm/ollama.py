"""Ollama's chat API via LangChain's Ollama integration."""

from __future__ import annotations

from ragqa.service.llm.base import LLMError
from ragqa.service.llm.langchain_adapter import LangChainLLM


class OllamaLLM(LangChainLLM):
    name = "ollama"

    def __init__(self, settings, embedder=None):
        try:
            from langchain_ollama import ChatOllama
        except ImportError:
            raise LLMError("the ollama backend needs langchain-ollama: pip install 'ragqa[ollama]'") from None
        base_url = settings.ollama_base_url.rstrip("/")
        model = ChatOllama(
            base_url=base_url,
            model=settings.ollama_model,
            temperature=settings.temperature,
            client_kwargs={"timeout": settings.llm_timeout_s},
        )
        super().__init__(
            model, name="ollama", location=base_url, max_retries=settings.llm_max_retries,
            timeout_s=settings.llm_timeout_s,
            hint=(f"check RAGQA_OLLAMA_BASE_URL / that Ollama is running and has pulled model "
                  f"{settings.ollama_model!r} (ollama pull {settings.ollama_model}; RAGQA_OLLAMA_MODEL)"),
        )
