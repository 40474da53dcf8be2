"""openai and ollama backends over real HTTP, against the PROTOCOL STAND-IN server (tests/fakes/llm_server.py)."""

from __future__ import annotations

import time

import pytest

from ragqa.service.llm.base import LLMError
from ragqa.service.llm.ollama import OllamaLLM
from ragqa.service.llm.openai_compat import OpenAICompatibleLLM
from tests.service.llm_contract import LLMBackendContract, cited_refs

BACKENDS = {
    "openai": (OpenAICompatibleLLM, lambda url: {"openai_base_url": f"{url}/v1"}, "openai_model"),
    "ollama": (OllamaLLM, lambda url: {"ollama_base_url": url}, "ollama_model"),
}


@pytest.fixture
def make_backend(llm_server, settings_factory):
    def make(kind: str, behaviour: str, **overrides):
        cls, base, model_key = BACKENDS[kind]
        values = base(llm_server.url) | {model_key: behaviour, "llm_timeout_s": 1.0, "llm_max_retries": 1}
        return cls(settings_factory(**(values | overrides)), None)

    return make


class TestOpenAIContract(LLMBackendContract):
    @pytest.fixture
    def llm(self, make_backend):
        return make_backend("openai", "cite-first")

    @pytest.fixture
    def generation_request(self, leave_request):
        return leave_request


class TestOllamaContract(LLMBackendContract):
    @pytest.fixture
    def llm(self, make_backend):
        return make_backend("ollama", "cite-first")

    @pytest.fixture
    def generation_request(self, leave_request):
        return leave_request


@pytest.mark.parametrize("kind", BACKENDS)
def test_the_prompt_fences_passages_and_sends_the_question(kind, make_backend, leave_request, llm_server):
    before = len(llm_server.requests)
    make_backend(kind, "cite-first").generate(leave_request)
    sent = llm_server.requests[before]["body"]["messages"][-1]["content"]
    assert '<passage ref="1"' in sent and '<passage ref="2"' in sent and "</passage>" in sent
    assert "untrusted data" in sent and leave_request.question in sent


@pytest.mark.parametrize("kind", BACKENDS)
def test_a_reply_citing_an_unknown_passage_reaches_the_checker_unchanged(kind, make_backend, leave_request):
    # The backend reports what the model said; removing [9] is the pipeline's job (tests/service/test_pipeline.py).
    text = make_backend(kind, "cite-unknown").generate(leave_request)
    assert cited_refs(text) == {1, 9}


@pytest.mark.parametrize("kind", BACKENDS)
def test_http_500_is_retried_a_bounded_number_of_times_then_named(kind, make_backend, leave_request, llm_server):
    before = len(llm_server.requests)
    with pytest.raises(LLMError) as err:
        make_backend(kind, "error-500", llm_max_retries=2).generate(leave_request)
    assert len(llm_server.requests) - before == 3  # one try + two retries, no more
    message = str(err.value)
    assert message.startswith(f"{kind} backend at http://127.0.0.1:") and "HTTP 500" in message
    assert f"RAGQA_{kind.upper()}_BASE_URL" in message


@pytest.mark.parametrize("kind", BACKENDS)
def test_a_timeout_names_the_backend_and_the_limit(kind, make_backend, leave_request):
    started = time.monotonic()
    with pytest.raises(LLMError, match=rf"{kind} backend at http://127\.0\.0\.1:\d+.*: timed out after 1s"):
        make_backend(kind, "slow", llm_max_retries=0).generate(leave_request)
    assert time.monotonic() - started < 4.5  # gave up at the 1 s timeout, not when the server answered (6 s)


@pytest.mark.parametrize("kind", BACKENDS)
def test_a_timeout_while_streaming_is_an_llm_error(kind, make_backend, leave_request):
    with pytest.raises(LLMError, match="timed out"):
        list(make_backend(kind, "slow", llm_max_retries=0).stream(leave_request))


@pytest.mark.parametrize("kind", BACKENDS)
@pytest.mark.parametrize("mode", ["generate", "stream"])
def test_a_malformed_reply_is_an_llm_error_not_a_crash(kind, mode, make_backend, leave_request):
    backend = make_backend(kind, "malformed")
    with pytest.raises(LLMError, match=rf"^{kind} backend at .*(malformed|no text)"):
        backend.generate(leave_request) if mode == "generate" else list(backend.stream(leave_request))


@pytest.mark.parametrize("kind", BACKENDS)
def test_an_unreachable_server_says_so(kind, settings_factory, leave_request):
    cls, base, _ = BACKENDS[kind]
    backend = cls(settings_factory(**base("http://127.0.0.1:9"), llm_max_retries=0, llm_timeout_s=2), None)
    with pytest.raises(LLMError, match=rf"{kind} backend at http://127\.0\.0\.1:9.*(cannot connect|timed out)"):
        backend.generate(leave_request)


def test_openai_without_a_key_for_the_public_api_says_which_variable_to_set(settings_factory):
    with pytest.raises(LLMError, match="RAGQA_OPENAI_API_KEY"):
        OpenAICompatibleLLM(settings_factory(openai_base_url="https://api.openai.com/v1", openai_api_key=None))
