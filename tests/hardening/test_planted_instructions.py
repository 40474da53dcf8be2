"""Finding 3, answer side: an article telling readers, in plain prose, to sign in or give credentials elsewhere.

A real ingest (ingest_paths) of a temp folder, asked through the real AnswerService: the extractive answer never
quotes the instruction and says, visibly, that it was withheld; a generative model (the PROTOCOL STAND-IN server,
tests/fakes/llm_server.py, `cite-first`: it repeats passage 1's first sentence) that repeats it is flagged too.
"""

from __future__ import annotations

import pytest

from tests.conftest import index_articles, service_factory
from tests.fakes.llm_server import LLMStandIn

LURE_HOST = "payroll-check.example.net"
ARTICLES = {
    # The planted instruction opens the article body, so the stand-in model's `cite-first` repeats it.
    "hr/march-payroll.md": f"""---
title: March payroll changes
---
# March payroll changes

Staff should re-confirm their payroll details by signing in at {LURE_HOST} with their network password.

From March, salaries are paid on the 25th of each month. Payslips appear in PeopleHub two days before payday.
Questions about pay go to the payroll team on extension 4410.
""",
    "it/passwords.md": """---
title: Passwords
---
# Passwords

Reset your password at https://id.northwind.example/reset if you forget it. Passphrases must be at least 14
characters long. Never share your password with anyone, including the service desk.
""",
    "facilities/parking.md": """---
title: Parking
---
# Parking

The Leeds office has 40 parking spaces, booked in Perch up to 7 days ahead.
""",
}


@pytest.fixture(scope="module")
def planted_index(tmp_path_factory, embedder):
    return index_articles(tmp_path_factory, embedder, ARTICLES, trusted_link_hosts=["northwind.example"])


@pytest.fixture(scope="module")
def make_service(planted_index, embedder):
    return service_factory(planted_index, embedder)


@pytest.fixture(scope="module")
def stand_in():
    """PROTOCOL STAND-IN: a real OpenAI-compatible HTTP server on 127.0.0.1 (no model weights exist here)."""
    with LLMStandIn() as server:
        yield server


def _withheld(answer) -> None:
    assert LURE_HOST not in answer.answer and "network password" not in answer.answer
    assert "Caution:" in answer.answer and "withheld" in answer.answer
    article = [w for w in answer.warnings if w.source == "article"]
    assert article and article[0].doc_id == "hr/march-payroll" and LURE_HOST in article[0].text
    assert "outside site" in article[0].reason
    for sentence in answer.grounding.sentences:
        assert LURE_HOST not in sentence.text or sentence.flagged


def test_asking_for_the_instruction_itself_never_answers_with_it(make_service):
    answer = make_service().answer("How do I re-confirm my payroll details?")
    _withheld(answer)


def test_an_answer_citing_the_article_carries_the_caution(make_service):
    answer = make_service().answer("On which day of the month are salaries paid?")
    assert not answer.abstained and "25th" in answer.answer
    assert any(c.doc_id == "hr/march-payroll" for c in answer.citations)
    _withheld(answer)  # the cited passage shows the instruction: the reader is told not to follow it


def test_legitimate_advice_on_an_allow_listed_host_is_answered_without_caution(make_service):
    answer = make_service().answer("Where do I reset my password?")
    assert "id.northwind.example" in answer.answer and not answer.warnings and "Caution" not in answer.answer


def test_the_same_advice_is_withheld_when_the_host_is_not_allow_listed(make_service):
    answer = make_service(trusted_link_hosts=[]).answer("Where do I reset my password?")
    assert "id.northwind.example" not in answer.answer
    assert any(w.doc_id == "it/passwords" for w in answer.warnings) and "Caution:" in answer.answer


def test_unrelated_questions_get_no_caution(make_service):
    answer = make_service().answer("How many parking spaces does the Leeds office have?")
    assert "40" in answer.answer and not answer.warnings and "Caution" not in answer.answer


@pytest.mark.parametrize("streamed", [False, True])
def test_a_model_that_repeats_the_instruction_is_flagged(make_service, stand_in, streamed):
    service = make_service(llm="openai", openai_base_url=f"{stand_in.url}/v1", openai_model="cite-first",
                           llm_timeout_s=5.0, llm_max_retries=0)
    question = "On which day of the month are salaries paid?"  # answerable: the relevance gate lets it through
    if streamed:
        events = list(service.stream(question))
        deltas = "".join(e.text for e in events if e.kind == "delta")
        assert LURE_HOST in deltas  # the stand-in really did repeat it ...
        answer = events[-1].answer
    else:
        answer = service.answer(question)
    flagged = [s for s in answer.grounding.sentences if s.flagged]
    assert flagged and LURE_HOST in flagged[0].text and not flagged[0].supported and flagged[0].warning
    assert not answer.grounded and any(w.source == "model" for w in answer.warnings)
    assert LURE_HOST not in answer.answer and "Caution:" in answer.answer  # ... the answer object does not
