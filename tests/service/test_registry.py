"""The backend registry: entry points, unknown names, langchain:module:attr, optional extras."""

from __future__ import annotations

import pytest
from langchain_core.language_models.fake_chat_models import FakeListChatModel

from ragqa.service.llm.base import LLMError
from ragqa.service.llm.extractive import ExtractiveLLM
from ragqa.service.llm.registry import ENTRY_POINT_GROUP, LLMCache, available, get_llm
from tests.service.llm_contract import LLMBackendContract

# Targets for langchain:tests.service.test_registry:<attr>. FakeListChatModel is LangChain's own scripted chat
# model: a stand-in for a user's model, since no model weights exist here.
scripted_chat = FakeListChatModel(responses=["Full-time staff receive 25 days of annual leave [1]."])


def scripted_factory():
    return FakeListChatModel(responses=["Full-time staff receive 25 days of annual leave [1]."])


not_a_model = 42


def test_the_built_ins_are_registered_as_entry_points():
    from importlib.metadata import entry_points

    names = {ep.name for ep in entry_points(group=ENTRY_POINT_GROUP)}
    assert {"extractive", "openai", "ollama", "llamacpp"} <= names <= set(available())


def test_the_default_backend_is_extractive(settings_factory, embedder):
    settings = settings_factory()
    assert settings.llm == "extractive"
    assert isinstance(get_llm(settings.llm, settings, embedder), ExtractiveLLM)


def test_an_unknown_name_lists_the_available_ones(settings_factory):
    with pytest.raises(LLMError) as err:
        get_llm("gpt-17", settings_factory(), None)
    message = str(err.value)
    assert "'gpt-17'" in message and all(name in message for name in ("extractive", "openai", "ollama"))
    assert "langchain:" in message


def test_backends_are_built_once_per_name(settings_factory, embedder):
    cache = LLMCache(settings_factory(), embedder)
    assert cache.get("extractive") is cache.get() is cache.get("extractive")


@pytest.mark.parametrize("attr", ["scripted_chat", "scripted_factory"])
def test_langchain_targets_wrap_an_instance_or_a_factory(attr, settings_factory, leave_request):
    llm = get_llm(f"langchain:tests.service.test_registry:{attr}", settings_factory(), None)
    assert llm.name == f"langchain:tests.service.test_registry:{attr}"
    assert llm.generate(leave_request) == "Full-time staff receive 25 days of annual leave [1]."


@pytest.mark.parametrize("target, says", [
    ("tests.service.test_registry:not_a_model", "not a LangChain chat model"),
    ("tests.service.test_registry:missing", "has no attribute"),
    ("no_such_package.models:chat", "cannot import"),
    ("no_colon_here", "package.module:attribute"),
])
def test_bad_langchain_targets_say_what_is_wrong(target, says, settings_factory):
    with pytest.raises(LLMError, match=says):
        get_llm(f"langchain:{target}", settings_factory(), None)


def test_llamacpp_without_the_extra_gives_the_install_hint(settings_factory):
    try:
        import llama_cpp  # noqa: F401
    except ImportError:
        with pytest.raises(LLMError, match=r"pip install 'ragqa\[llamacpp\]'"):
            get_llm("llamacpp", settings_factory(), None)
    else:
        with pytest.raises(LLMError, match="RAGQA_LLAMACPP_MODEL_PATH"):
            get_llm("llamacpp", settings_factory(llamacpp_model_path=None), None)


class TestLangChainAdapterContract(LLMBackendContract):
    @pytest.fixture
    def llm(self, settings_factory):
        return get_llm("langchain:tests.service.test_registry:scripted_factory", settings_factory(), None)

    @pytest.fixture
    def generation_request(self, leave_request):
        return leave_request
