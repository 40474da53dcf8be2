"""Model-free checks of the OpenAI-compatible layer: model ids, the sources list, the stream's last piece, errors."""

from __future__ import annotations

import json

import pytest

from ragqa.service.api.errors import ApiError
from ragqa.service.api.openai_errors import openai_error
from ragqa.service.api.routes_openai import _backend, _rest, model_ids, sources_markdown
from ragqa.service.models import Answer, Citation, Grounding
from ragqa.settings import Settings


def _answer(text: str, citations=()) -> Answer:
    return Answer(answer=text, abstained=not citations, citations=list(citations), grounding=Grounding(score=1.0))


def test_model_ids_name_the_backends():
    assert model_ids(Settings(llm="extractive")) == {"ragqa": None, "ragqa-extractive": "extractive"}
    assert model_ids(Settings(llm="ollama"))["ragqa-ollama"] == "ollama"
    assert _backend("ragqa", Settings()) is None
    with pytest.raises(ApiError) as err:
        _backend("gpt-4o", Settings())
    assert err.value.status == 404 and err.value.param == "model" and err.value.code == "model_not_found"


def test_sources_list_in_markdown():
    cite = Citation(ref=1, doc_id="hr/leave", title="Annual leave", source="hr/leave.md", url=None, chunk_id="c1",
                    text="25 days", start=0, end=7, score=0.9)
    web = cite.model_copy(update={"ref": 2, "url": "https://intranet.example/leave"})
    assert sources_markdown(_answer("25 days [1][2].", [cite, web])) == (
        "\n\nSources:\n[1] Annual leave — hr/leave.md\n[2] Annual leave — https://intranet.example/leave")
    assert sources_markdown(_answer("I could not find this in the articles.")) == ""


def test_stream_ends_with_what_the_client_lacks():
    assert _rest("25 days [1].\n\nCaution: …", "25 days [1].") == "\n\nCaution: …"
    assert _rest("25 days [1].", "25 days [1].") == ""
    changed = _rest("I could not find this.", "Sign in at evil.example [1].")
    assert changed.endswith("I could not find this.") and "did not pass the answer checks" in changed


def test_openai_error_shape_and_status():
    response = openai_error(422, "`messages[0].content` is blank: send some text.", param="messages")
    body = json.loads(response.body)
    assert response.status_code == 400
    assert body == {"error": {"message": "`messages[0].content` is blank: send some text.",
                              "type": "invalid_request_error", "param": "messages", "code": None}}
    assert json.loads(openai_error(503, "No index").body)["error"]["type"] == "server_error"
