"""Fixtures of the answering tests: hand-made passages, and the protocol stand-in LLM server."""

from __future__ import annotations

import pytest

from ragqa.service.llm.base import GenerationRequest, Passage
from ragqa.service.models import Turn
from ragqa.service.prompts import fence_passages, render_prompt
from tests.fakes.llm_server import LLMStandIn

LEAVE_PASSAGES = [
    Passage(ref=1, doc_id="hr/annual-leave", chunk_id="hr/annual-leave#1", title="Annual leave",
            headings=("Annual leave", "How much leave you get"),
            text="## How much leave you get\n\nFull-time staff receive **25 days of annual leave** per year, plus "
                 "bank holidays.\nThe leave year runs from 1 January to 31 December.\n\nIt can be booked in "
                 "PeopleHub at least two weeks ahead."),
    Passage(ref=2, doc_id="it/vpn", chunk_id="it/vpn#0", title="VPN and remote access", headings=("VPN",),
            text="Fernhill Connect is our VPN client. Sessions last 12 hours; after that it asks you to approve "
                 "MFA again."),
]


def section(text: str, title: str, heading: str, *, ref: int = 1) -> Passage:
    """A passage of one article section (its headings: the title, then the section)."""
    doc_id = f"docs/{title.lower().replace(' ', '-')}"
    return Passage(ref=ref, doc_id=doc_id, chunk_id=f"{doc_id}#{ref}", title=title, headings=(title, heading),
                   text=text)


def exchange(question: str, answer: str) -> list[Turn]:
    """A conversation of one question and its answer, as a follow-up's history."""
    return [Turn(role="user", content=question), Turn(role="assistant", content=answer)]


def make_request(question: str, passages: list[Passage], settings) -> GenerationRequest:
    """The request the pipeline would send: the real answer prompt, rendered from prompts/answer.md."""
    prompt = render_prompt(settings.resolved_prompts_dir, "answer", passages=fence_passages(passages),
                           question=question, abstain="I could not find the answer to that in the articles.",
                           max_sentences=settings.max_answer_sentences)
    return GenerationRequest(question=question, passages=passages, messages=[{"role": "user", "content": prompt}])


@pytest.fixture
def leave_request(settings_factory) -> GenerationRequest:
    return make_request("How many days of annual leave do full-time staff get?", LEAVE_PASSAGES,
                        settings_factory())


@pytest.fixture(scope="module")
def service(sample_index, embedder):
    """The answer service over the sample corpus (real index and embedding model), one per test module."""
    from ragqa.service.composition import build_components

    return build_components(sample_index, embedder=embedder).answers


@pytest.fixture(scope="session")
def llm_server():
    """PROTOCOL STAND-IN: a real HTTP server on 127.0.0.1 speaking the OpenAI and Ollama chat protocols."""
    with LLMStandIn(slow_s=6.0) as server:  # far past the 1 s client timeout the tests set
        yield server
