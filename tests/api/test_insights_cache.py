"""Insights and /admin embed a logged question once: a reload clusters from the server's kept vectors."""

from __future__ import annotations

import time

import numpy as np
from fastapi.testclient import TestClient

from ragqa.service.api.answer_log import AnswerStore
from ragqa.service.api.question_vectors import QuestionVectors
from tests.api.helpers import build_index

GAPS = ["Is there a gym at the office?", "Does the company have a fitness centre for staff?",
        "Can I bring my dog to work?", "Are pets allowed in the office?"]


class CountingEmbedder:
    """The real embedder, passed through; remembers every text sent to `embed_documents`."""

    def __init__(self, inner):
        self.inner = inner
        self.embedded: list[str] = []

    def __getattr__(self, name):
        return getattr(self.inner, name)

    def embed_documents(self, texts, **kwargs):
        self.embedded.extend(texts)
        return self.inner.embed_documents(texts, **kwargs)


def test_kept_vectors_match_the_model_and_stay_bounded(embedder):
    counting = CountingEmbedder(embedder)
    cache = QuestionVectors(counting, max_items=3)
    first = cache.embed_documents(GAPS[:3])
    np.testing.assert_allclose(first, embedder.embed_documents(GAPS[:3]), atol=1e-6)
    assert counting.embedded == GAPS[:3]
    again = cache.embed_documents([GAPS[2], GAPS[0], GAPS[2]])  # in any order, repeated: all from memory
    assert counting.embedded == GAPS[:3]
    np.testing.assert_array_equal(again, first[[2, 0, 2]])
    cache.embed_documents([GAPS[3]])  # a fourth text pushes out the least recently used (GAPS[1])
    assert len(cache) == 3 and counting.embedded[3:] == [GAPS[3]]
    cache.embed_documents([GAPS[1], GAPS[3]])
    assert counting.embedded[4:] == [GAPS[1]]
    assert cache.embed_documents([]).shape == (0, embedder.dim)


def test_a_reload_of_insights_or_admin_embeds_nothing_new(tmp_path, embedder):
    from ragqa.service.api.app import create_app
    from ragqa.service.api.keys import KeyStore
    from ragqa.settings import Settings

    build_index(tmp_path, embedder)
    settings = Settings(index_dir=tmp_path / "index", data_dir=tmp_path / "data", require_auth=True,
                        rate_limit_per_minute=1000)
    _, key = KeyStore(settings.data_dir).create(name="owner", scopes=["admin", "ask"])
    counting = CountingEmbedder(embedder)
    with TestClient(create_app(settings, embedder=counting), headers={"Authorization": f"Bearer {key}"}) as c:
        def ask(question: str) -> None:
            answer = c.post("/v1/ask", json={"question": question}).json()
            assert answer["abstained"], answer
            deadline = time.monotonic() + 10
            while not AnswerStore(settings.data_dir).rows(request_ids=[answer["request_id"]]):
                assert time.monotonic() < deadline, "the answer was not logged"
                time.sleep(0.05)

        def embedded_by(path: str) -> list[str]:
            before = len(counting.embedded)
            r = c.get(path, headers={"Accept": "text/html"} if path == "/admin" else {})
            assert r.status_code == 200, r.text
            return counting.embedded[before:]

        for question in GAPS:
            ask(question)
        assert sorted(embedded_by("/v1/insights")) == sorted(GAPS)  # the first load embeds each question once
        assert embedded_by("/v1/insights") == []
        assert embedded_by("/admin") == []
        assert embedded_by("/v1/insights?since=2020-01-01") == []
        ask("Which wifi network should guests use?")
        assert embedded_by("/admin") == ["Which wifi network should guests use?"]  # only the new one
