"""The OpenAI-compatible routes against a real `ragqa serve`, driven by the official `openai` client."""

from __future__ import annotations

import re

import httpx
import openai
import pytest

from tests.api.corpus_server import SETTLEMENT, start_corpus_server

pytestmark = pytest.mark.integration

LEAVE_Q = "How many days of annual leave do Leeds staff get?"


@pytest.fixture(scope="module")
def live(tmp_path_factory, embedder):
    corpus = start_corpus_server(tmp_path_factory.mktemp("openai"), embedder)
    yield corpus
    corpus.server.stop()


def client(live, who: str = "eng") -> openai.OpenAI:
    return openai.OpenAI(base_url=f"{live.url}/v1", api_key=live.keys[who], max_retries=0, timeout=120)


def _assert_cited(content: str, extra: dict) -> None:
    assert not extra["abstained"] and extra["citations"], extra
    refs = {int(n) for n in re.findall(r"\[(\d+)\]", content.split("\n\nSources:\n")[0])}
    assert refs and refs <= {c["ref"] for c in extra["citations"]}, (content, extra["citations"])
    sources = content.split("\n\nSources:\n")[1]
    for c in extra["citations"]:
        assert f"[{c['ref']}] {c['title']} — {c['url'] or c['source']}" in sources
    assert "25" in content


def test_models_are_listed(live):
    ids = [m.id for m in client(live).models.list()]
    assert "ragqa" in ids and "ragqa-extractive" in ids


def test_plain_completion_answers_with_citations(live):
    completion = client(live).chat.completions.create(
        model="ragqa", messages=[{"role": "system", "content": "Be brief."}, {"role": "user", "content": LEAVE_Q}])
    assert completion.object == "chat.completion" and completion.choices[0].finish_reason == "stop"
    extra = completion.model_extra["ragqa"]
    _assert_cited(completion.choices[0].message.content, extra)
    assert extra["grounded"] is True and extra["request_id"] and extra["standalone_question"] == LEAVE_Q


def test_streamed_completion_answers_with_citations(live):
    chunks = list(client(live).chat.completions.create(
        model="ragqa", stream=True, messages=[{"role": "user", "content": LEAVE_Q}]))
    content = "".join(c.choices[0].delta.content or "" for c in chunks)
    last = chunks[-1]
    assert last.choices[0].finish_reason == "stop" and all(c.choices[0].finish_reason is None for c in chunks[:-1])
    assert sum(1 for c in chunks if c.choices[0].delta.content) >= 2, "the answer should arrive in pieces"
    _assert_cited(content, last.model_extra["ragqa"])


def test_history_makes_a_follow_up_standalone(live):
    completion = client(live).chat.completions.create(model="ragqa", messages=[
        {"role": "user", "content": LEAVE_Q},
        {"role": "assistant", "content": "25 days plus UK bank holidays [1]."},
        {"role": "user", "content": "And in Porto?"}])
    extra = completion.model_extra["ragqa"]
    assert extra["standalone_question"] != "And in Porto?" and "Porto" in extra["standalone_question"]


def test_restricted_article_reaches_only_its_group(live):
    messages = [{"role": "user", "content": SETTLEMENT.question}]
    insider = client(live, "legal").chat.completions.create(model="ragqa", messages=messages)
    assert "240,000" in insider.choices[0].message.content
    assert any(c["doc_id"] == SETTLEMENT.doc_id for c in insider.model_extra["ragqa"]["citations"])
    outsider = client(live, "eng")
    plain = outsider.chat.completions.create(model="ragqa", messages=messages)
    streamed = "".join(str(c.model_dump()) for c in outsider.chat.completions.create(
        model="ragqa", messages=messages, stream=True))
    for text in (plain.model_dump_json(), streamed):
        assert not SETTLEMENT.leaked_in(text), SETTLEMENT.leaked_in(text)


def test_errors_use_openai_error_shape(live):
    bad = openai.OpenAI(base_url=f"{live.url}/v1", api_key="rq_nope_nope", max_retries=0)
    with pytest.raises(openai.AuthenticationError) as err:
        bad.chat.completions.create(model="ragqa", messages=[{"role": "user", "content": LEAVE_Q}])
    assert err.value.status_code == 401
    assert err.value.body["type"] == "invalid_request_error" and err.value.body["code"] == "invalid_api_key"
    with pytest.raises(openai.AuthenticationError):
        bad.models.list()
    with pytest.raises(openai.NotFoundError) as err:
        client(live).chat.completions.create(model="gpt-4o", messages=[{"role": "user", "content": LEAVE_Q}])
    assert err.value.body["code"] == "model_not_found" and "ragqa" in err.value.body["message"]
    with pytest.raises(openai.BadRequestError) as err:
        client(live).chat.completions.create(model="ragqa", messages=[{"role": "system", "content": "hi"}])
    assert err.value.body["param"] == "messages"
    with pytest.raises(openai.BadRequestError) as err:
        client(live).chat.completions.create(model="ragqa", messages=[{"role": "user", "content": "x" * 5000}])
    assert "RAGQA_MAX_QUESTION_CHARS" in err.value.body["message"]
    # Raw HTTP: the error document itself, and problem+json unchanged on the other routes.
    raw = httpx.post(f"{live.url}/v1/chat/completions", json={"model": "ragqa"},
                     headers={"Authorization": f"Bearer {live.keys['eng']}"})
    assert raw.status_code == 400 and set(raw.json()["error"]) == {"message", "type", "param", "code"}
    assert raw.json()["error"]["param"] == "messages"
    other = httpx.post(f"{live.url}/v1/ask", json={}, headers={"Authorization": f"Bearer {live.keys['eng']}"})
    assert other.status_code == 422 and other.headers["content-type"].startswith("application/problem+json")


def test_rate_limit_is_a_429_in_openai_shape(tmp_path, embedder):
    from tests.api.helpers import Server, build_index, create_key

    env = build_index(tmp_path, embedder) | {"RAGQA_REQUIRE_AUTH": "true", "RAGQA_RATE_LIMIT_PER_MINUTE": "2"}
    key = create_key(tmp_path / "data", name="busy")
    server = Server(tmp_path, env).start()
    try:
        busy = openai.OpenAI(base_url=f"{server.url}/v1", api_key=key, max_retries=0)
        for _ in range(2):
            busy.models.list()
        with pytest.raises(openai.RateLimitError) as err:
            busy.chat.completions.create(model="ragqa", messages=[{"role": "user", "content": LEAVE_Q}])
        assert err.value.status_code == 429 and err.value.body["code"] == "rate_limit_exceeded"
        assert err.value.body["type"] == "rate_limit_error" and "a minute" in err.value.body["message"]
        assert int(err.value.response.headers["Retry-After"]) >= 1
    finally:
        server.stop()
