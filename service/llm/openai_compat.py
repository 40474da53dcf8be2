"""Any OpenAI-compatible chat server (vLLM, llama.cpp server, LM Studio, OpenAI, Azure) via LangChain."""

from __future__ import annotations

from ragqa.service.llm.base import LLMError
from ragqa.service.llm.langchain_adapter import LangChainLLM


class OpenAICompatibleLLM(LangChainLLM):
    name = "openai"

    def __init__(self, settings, embedder=None):
        try:
            from langchain_openai import ChatOpenAI
        except ImportError:
            raise LLMError("the openai backend needs langchain-openai: pip install 'ragqa[openai]'") from None
        base_url = settings.openai_base_url.rstrip("/")
        key = settings.openai_api_key.get_secret_value() if settings.openai_api_key else None
        if key is None and "api.openai.com" in base_url:
            raise LLMError("No key found for the openai backend: set RAGQA_OPENAI_API_KEY "
                           "(or RAGQA_OPENAI_BASE_URL for a local OpenAI-compatible server)")
        model = ChatOpenAI(
            base_url=base_url,
            api_key=key or "not-needed",  # local servers ignore it; the client insists on one
            model=settings.openai_model,
            timeout=settings.llm_timeout_s,
            max_retries=0,  # retries are ours: bounded, and only for errors worth retrying
            temperature=settings.temperature,
        )
        super().__init__(
            model, name="openai", location=base_url, max_retries=settings.llm_max_retries,
            timeout_s=settings.llm_timeout_s,
            hint=(f"check RAGQA_OPENAI_BASE_URL / that the server is running and serves model "
                  f"{settings.openai_model!r} (RAGQA_OPENAI_MODEL)"),
        )
