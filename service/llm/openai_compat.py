"""Any OpenAI-compatible chat server (vLLM, llama.cpp server, LM Studio, OpenAI, Azure) via LangChain."""

from __future__ import annotations

from service.llm.base import LLMError
from service.llm.langchain_adapter import LangChainLLM


class OpenAICompatibleLLM(LangChainLLM):
    name = "openai"

    def __init__(self, settings, embedder=None):
        try:
            from langchain_openai import ChatOpenAI
        except ImportError:
            raise LLMError("the openai backend needs langchain-openai: pip install 'ragqa[openai]'") from None
        key = settings.openai_api_key.get_secret_value() if settings.openai_api_key else None
        if key is None and "api.openai.com" in settings.openai_base_url:
            raise LLMError("No key found for the openai backend: set RAGQA_OPENAI_API_KEY "
                           "(or RAGQA_OPENAI_BASE_URL for a local OpenAI-compatible server)")
        model = ChatOpenAI(
            base_url=settings.openai_base_url,
            api_key=key or "not-needed",
            model=settings.openai_model,
            timeout=settings.llm_timeout_s,
            max_retries=0,  # retries are ours: bounded, and only for errors worth retrying
            temperature=settings.temperature,
        )
        hint = (f"check that an OpenAI-compatible server answers at {settings.openai_base_url} "
                f"(RAGQA_OPENAI_BASE_URL) and serves model {settings.openai_model!r} (RAGQA_OPENAI_MODEL)")
        super().__init__(model, name=f"openai ({settings.openai_base_url})", hint=hint,
                         max_retries=settings.llm_max_retries)
