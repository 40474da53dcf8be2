"""The contract every answer backend passes: inherit LLMBackendContract and provide `llm` and `generation_request`."""

from __future__ import annotations

import re

import pytest

from ragqa.service.llm.base import LLM, GenerationRequest

MARKER = re.compile(r"\[(\d+(?:\s*,\s*\d+)*)\]")


def cited_refs(text: str) -> set[int]:
    return {int(n) for m in MARKER.finditer(text) for n in re.findall(r"\d+", m.group(1))}


class LLMBackendContract:
    """Backend-independent behaviour. Subclasses override the two fixtures; `deterministic` for stand-ins."""

    deterministic = True

    @pytest.fixture
    def llm(self) -> LLM:
        raise NotImplementedError("a backend test class provides the `llm` fixture")

    @pytest.fixture
    def generation_request(self) -> GenerationRequest:
        raise NotImplementedError("a backend test class provides the `generation_request` fixture")

    def test_has_a_name(self, llm):
        assert isinstance(llm.name, str) and llm.name.strip()

    def test_implements_the_protocol(self, llm):
        assert isinstance(llm, LLM)

    def test_generate_returns_text_citing_only_the_passages_given(self, llm, generation_request):
        text = llm.generate(generation_request)
        assert isinstance(text, str) and text.strip(), "an answerable request got no answer"
        given = {p.ref for p in generation_request.passages}
        refs = cited_refs(text)
        assert refs, f"the answer cites nothing: {text!r}"
        assert refs <= given, f"cites {sorted(refs - given)}, which were not given: {text!r}"

    def test_stream_yields_text_deltas_that_join_to_the_answer(self, llm, generation_request):
        deltas = list(llm.stream(generation_request))
        assert deltas and all(isinstance(d, str) for d in deltas)
        if len("".join(deltas).split()) > 1:
            assert len(deltas) > 1, "the answer arrived in one piece: not streamed"
        if self.deterministic:
            assert "".join(deltas) == llm.generate(generation_request)

    def test_closing_the_stream_early_is_clean(self, llm, generation_request):
        stream = llm.stream(generation_request)
        first = next(iter(stream))
        assert isinstance(first, str)
        stream.close()  # a client that goes away must not leave the backend generating or raise
