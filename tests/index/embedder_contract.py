"""The contract every embedder keeps (the Embedder protocol, index/embedding.py).

A backend's test class inherits EmbedderContract and provides two fixtures: `model`, a warmed-up instance
(shared, so the suite loads each model once), and `make_cold`, which builds a new instance without warming it.
"""

from __future__ import annotations

import threading

import numpy as np
import pytest

from ragqa.index.embedding import PACKAGED_MODEL_NAME, Embedder, SentenceEmbedder

TEXTS = [
    "How many days of parental leave do new employees get?",
    "leave",
    "Le café est fermé le dimanche; la réunion a lieu à Zürich (東京 office joins remotely).",
    "## Expenses\n\n- Receipts within **30 days**\n- Use the `travel` form for trips over 500 EUR.",
    "   leading and trailing spaces   ",
    "The quarterly security review found three unpatched servers. " * 40,  # past max_seq_length
]


class EmbedderContract:
    @pytest.fixture
    def model(self):
        raise NotImplementedError("a backend's test class provides a warmed-up embedder")

    @pytest.fixture
    def make_cold(self):
        raise NotImplementedError("a backend's test class provides a factory of cold embedders")

    def test_implements_the_protocol_with_the_packaged_models_identity(self, model):
        assert isinstance(model, Embedder) and isinstance(model, SentenceEmbedder)
        assert model.model_name == PACKAGED_MODEL_NAME  # recorded in manifests: indexes are interchangeable
        assert (model.dim, model.max_seq_length) == (384, 256)
        assert isinstance(model.batch_size, int) and model.batch_size > 0

    def test_document_vectors_are_unit_float32_rows(self, model):
        vectors = model.embed_documents(TEXTS)
        assert vectors.shape == (len(TEXTS), model.dim) and vectors.dtype == np.float32
        assert vectors.flags.c_contiguous
        np.testing.assert_allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)

    def test_empty_input_gives_no_rows_and_an_empty_text_a_unit_vector(self, model):
        assert model.embed_documents([]).shape == (0, model.dim)
        empty = model.embed_documents([""])
        assert empty.shape == (1, model.dim) and np.isfinite(empty).all()
        np.testing.assert_allclose(np.linalg.norm(empty), 1.0, atol=1e-5)

    def test_deterministic_and_a_batch_equals_its_texts_one_by_one(self, model):
        together = model.embed_documents(TEXTS)
        np.testing.assert_allclose(model.embed_documents(TEXTS), together, atol=1e-6)
        alone = np.stack([model.embed_documents([t])[0] for t in TEXTS])
        np.testing.assert_allclose(alone, together, atol=1e-5)
        np.testing.assert_allclose(model.embed_documents(TEXTS[::-1])[::-1], together, atol=1e-5)

    def test_query_vector_is_the_document_vector_cached_read_only(self, model):
        question = "Who approves travel over 500 EUR?"
        first = model.embed_query(question)
        assert model.embed_query(question) is first and not first.flags.writeable
        np.testing.assert_allclose(first, model.embed_documents([question])[0], atol=1e-6)

    def test_vectors_carry_meaning(self, model):
        query = model.embed_query("How long is parental leave?")
        docs = model.embed_documents(["New parents get sixteen weeks of paid parental leave.",
                                      "The canteen serves a vegetarian lunch every day."])
        assert docs[0] @ query > docs[1] @ query + 0.2

    def test_text_past_the_limit_is_cut_there(self, model):
        words = [f"clause{i}" for i in range(400)]
        long, longer = " ".join(words), " ".join(words + ["entirely different ending about canteens"] * 20)
        assert model.count_tokens(long) > model.max_seq_length
        np.testing.assert_allclose(model.embed_documents([longer])[0], model.embed_documents([long])[0], atol=1e-5)

    def test_counts_tokens_with_specials_and_without_truncating(self, model):
        assert model.count_tokens("") == 2  # [CLS] [SEP]
        assert model.count_tokens("leave") == 3
        assert model.count_tokens(TEXTS[-1]) > model.max_seq_length
        assert model.count_tokens("parental leave policy") < model.count_tokens("parental leave policy " * 3)

    def test_sentence_vectors_come_with_the_document_vectors(self, model):
        text = "Receipts are due within thirty days. Trips over 500 EUR need approval."
        spans = [[(0, 36), (37, len(text))]]
        vectors, sentences, signs = model.embed_with_sentences([text], spans)
        np.testing.assert_allclose(vectors, model.embed_documents([text]), atol=1e-5)
        assert sentences[0].shape == (2, model.dim)
        np.testing.assert_allclose(np.linalg.norm(sentences[0], axis=1), 1.0, atol=1e-5)
        assert signs[0].shape == (model.count_tokens(text), model.dim // 8) and signs[0].dtype == np.uint8
        assert model.embed_with_sentences([], [])[0].shape == (0, model.dim)

    def test_used_before_warm_up_it_loads_once_even_from_many_threads(self, model, make_cold, monkeypatch):
        cold = make_cold()
        loads = []
        load = cold._load
        monkeypatch.setattr(cold, "_load", lambda: (loads.append(1), load())[1])
        results: list[np.ndarray] = [None] * 4
        start = threading.Barrier(len(results))

        def ask(i: int) -> None:
            start.wait()
            results[i] = cold.embed_documents([TEXTS[0]])[0]

        threads = [threading.Thread(target=ask, args=(i,)) for i in range(len(results))]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert len(loads) == 1
        for vector in results:
            np.testing.assert_allclose(vector, model.embed_documents([TEXTS[0]])[0], atol=1e-5)
        cold.warm_up()  # again: nothing to do
        assert len(loads) == 1
