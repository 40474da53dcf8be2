"""Sentence vectors pooled from the chunk pass at ingest: what they represent, how they are stored and used."""

from __future__ import annotations

import json

import numpy as np
import pytest

from ragqa.index.chunking import contextual_text
from ragqa.index.ingest import upsert_articles
from ragqa.index.reader import open_current
from ragqa.index.sentence_vectors import SentenceVectors, chunk_sentence_spans, chunk_sentences, pool_spans, quantize
from ragqa.service.composition import build_components
from ragqa.types import Article

CHUNK = (
    "Travel policy\nMileage\n"
    "Staff who drive their own car claim mileage at 0.30 EUR per kilometre. "
    "The canteen on the second floor serves vegetarian lunches every weekday. "
    "Parental leave lasts sixteen weeks at full pay.\n\n"
    "- Receipts must reach finance within 30 days.\n"
    "- Café receipts in Zürich need a VAT number."
)
QUESTIONS = {
    "How much can I claim per kilometre when I drive my car?": "mileage",
    "Where can I get a vegetarian lunch?": "canteen",
    "How long is parental leave?": "Parental",
    "What must café receipts show?": "Café",
}


def _spans(text: str) -> list[tuple[int, int]]:
    return chunk_sentence_spans(text)


def test_both_backends_pool_the_same_sentence_vectors_from_one_pass(embedder, onnx_fp32):
    onnx = onnx_fp32
    texts = [CHUNK, "  Short text with leading spaces. And a second sentence.", "Une phrase à Zürich. 東京 office."]
    spans = [_spans(t) for t in texts]
    assert all(spans)
    torch_docs, torch_sentences, _ = embedder.embed_with_sentences(texts, spans)  # signs: test_late_interaction.py
    onnx_docs, onnx_sentences, _ = onnx.embed_with_sentences(texts, spans)
    # The document vectors are exactly what embed_documents gives: nothing changes for retrieval.
    np.testing.assert_allclose(torch_docs, embedder.embed_documents(texts), atol=1e-5)
    np.testing.assert_allclose(onnx_docs, onnx.embed_documents(texts), atol=1e-6)
    for t, o, s in zip(torch_sentences, onnx_sentences, spans, strict=True):
        assert t.shape == o.shape == (len(s), 384)
        assert np.all((t * o).sum(axis=1) > 0.999)
        np.testing.assert_allclose(np.linalg.norm(o, axis=1), 1.0, atol=1e-5)


def test_a_sentence_vector_stands_for_its_sentence_not_the_whole_chunk(embedder):
    """The right sentence wins for each question (its vector also carries the chunk's context: cosine to the sentence
    embedded alone is only 0.4-0.8)."""
    spans = _spans(CHUNK)
    _, (sentences,), _ = embedder.embed_with_sentences([CHUNK], [spans])
    texts = [CHUNK[a:b] for a, b in spans]
    for question, marker in QUESTIONS.items():
        cosines = sentences @ embedder.embed_query(question)
        assert marker in texts[int(np.argmax(cosines))], (question, texts)
    # Not collapsed onto the chunk's vector, nor onto each other.
    (chunk_vector,) = embedder.embed_documents([CHUNK])
    assert np.max(sentences @ chunk_vector) < 0.95
    assert np.max(sentences @ sentences.T - 2 * np.eye(len(spans))) < 0.95


def test_spans_offsets_count_from_the_unstripped_text(embedder):
    text = "\n  Title line\nThe badge office is in building C. It opens at eight."
    spans = _spans(text)
    _, (padded,), _ = embedder.embed_with_sentences([text], [spans])
    stripped = text.strip()
    shift = len(text) - len(text.lstrip())
    _, (plain,), _ = embedder.embed_with_sentences([stripped], [[(a - shift, b - shift) for a, b in spans]])
    np.testing.assert_allclose(padded, plain, atol=1e-5)


def test_sentences_past_the_model_limit_get_no_vector(embedder):
    long = " ".join(f"Clause {i} of the retention policy requires a review by the records officer." for i in range(40))
    spans = _spans(long)
    _, (pooled,), _ = embedder.embed_with_sentences([long], [spans])
    seen = np.linalg.norm(pooled, axis=1) > 0
    assert seen[0] and not seen[-1]  # 256 word pieces cover the first clauses only
    kept_spans, kept, _ = chunk_sentences(spans, pooled)
    assert len(kept_spans) == int(seen.sum()) and kept.dtype == np.int8


def test_pooling_uses_overlapping_word_tokens_and_the_special_tokens():
    tokens = np.array([[1.0, 0, 0], [0, 1.0, 0], [0, 0, 1.0], [0, 1.0, 1.0], [1.0, 0, 0]], dtype=np.float32)
    offsets = [(0, 0), (0, 4), (5, 9), (10, 14), (0, 0)]  # [CLS] w1 w2 w3 [SEP]
    pooled = pool_spans(tokens, offsets, [(0, 4), (6, 12), (20, 30)])
    expected = (tokens[[0, 2, 3, 4]].sum(axis=0)) / 4  # w2 and w3 overlap 6..12, plus both special tokens
    np.testing.assert_allclose(pooled[1], expected / np.linalg.norm(expected), atol=1e-6)
    assert not pooled[2].any()  # no token there


def test_int8_storage_keeps_the_direction():
    rng = np.random.default_rng(7)
    vectors = rng.normal(size=(200, 384)).astype(np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    restored = quantize(vectors).astype(np.float32)
    restored /= np.linalg.norm(restored, axis=1, keepdims=True)
    assert np.min((restored * vectors).sum(axis=1)) > 0.999


def test_stored_rows_round_trip_through_files(tmp_path):
    rng = np.random.default_rng(3)

    def chunk(n):
        return (np.arange(2 * n, dtype=np.int32).reshape(n, 2), rng.integers(-127, 127, (n, 8), dtype=np.int8),
                rng.integers(0, 255, (3 * n, 1), dtype=np.uint8))

    per_chunk = [chunk(3), None, chunk(0), chunk(2)]
    stored = SentenceVectors.from_chunks(per_chunk, 8)

    def write_bytes(path, data):
        path.write_bytes(bytes(data))

    meta = stored.write(tmp_path, write_bytes)
    opened = SentenceVectors.open(tmp_path, meta, n_chunks=4, dim=8)
    assert meta["count"] == 5 and meta["tokens"] == 15
    for row, original in enumerate(per_chunk):
        spans, vectors, signs = opened.chunk(row)
        if original is None:
            assert len(spans) == 0 == len(signs) and opened.lookup(row) == {}
            continue
        np.testing.assert_array_equal(spans, original[0])
        np.testing.assert_array_equal(vectors, original[1])
        np.testing.assert_array_equal(signs, original[2])
        assert set(opened.lookup(row)) == {tuple(s) for s in original[0].tolist()}
    with pytest.raises(ValueError):
        SentenceVectors.open(tmp_path, {"count": 6}, n_chunks=4, dim=8)


# --- in an index, and in the answer path ---------------------------------------------------------------------

class CountingEmbedder:
    """The real embedder, counting the texts it embeds (no behaviour changed)."""

    def __init__(self, inner, *, sentences: bool = True):
        self.inner, self.documents = inner, 0
        self.model_name, self.dim, self.max_seq_length = inner.model_name, inner.dim, inner.max_seq_length
        self.batch_size = inner.batch_size
        if sentences:
            self.embed_with_sentences = inner.embed_with_sentences

    def count_tokens(self, text):
        return self.inner.count_tokens(text)

    def embed_documents(self, texts, *, show_progress=False):
        self.documents += len(texts)
        return self.inner.embed_documents(texts)

    def embed_query(self, text):
        return self.inner.embed_query(text)


ARTICLES = [
    Article(doc_id="travel", title="Travel policy", source="api", sha256="t1",
            text="# Mileage\n\nStaff who drive their own car claim mileage at 0.30 EUR per kilometre. "
                 "Claims are paid with the next salary.\n\n# Trains\n\nSecond-class tickets are refunded."),
    Article(doc_id="leave", title="Leave", source="api", sha256="l1",
            text="Parental leave lasts sixteen weeks at full pay. Notify your manager eight weeks ahead."),
]


def test_an_ingested_version_stores_a_vector_for_each_sentence_of_each_chunk(settings_factory, embedder):
    settings = settings_factory()
    upsert_articles(ARTICLES, settings=settings, embedder=embedder)
    version = open_current(settings.index_dir)
    try:
        assert version.manifest["sentences"]["count"] == len(version.sentences.spans) > 0
        titles = {a.doc_id: a.title for a in ARTICLES}
        for row, chunk in enumerate(version.all_chunks()):
            stored = version.sentence_vectors(row)
            assert set(stored) == set(chunk_sentence_spans(chunk.text))
            # Equal (int8 aside) to pooling the chunk's contextual text again.
            text = contextual_text(titles[chunk.doc_id], chunk)
            shift = len(text) - len(chunk.text)
            spans = sorted(stored)
            _, (fresh,), _ = embedder.embed_with_sentences([text], [[(a + shift, b + shift) for a, b in spans]])
            got = np.stack([stored[s] for s in spans])
            assert np.all((got * fresh).sum(axis=1) > 0.999)
    finally:
        version.close()


def test_answers_score_sentences_with_stored_vectors_and_no_model_call(settings_factory, embedder):

    settings = settings_factory()
    counting = CountingEmbedder(embedder)
    upsert_articles(ARTICLES, settings=settings, embedder=counting)
    service = build_components(settings, embedder=counting).answers
    before = counting.documents
    answer = service.answer("How much is the mileage allowance per kilometre?")
    assert not answer.abstained and "0.30 EUR" in answer.answer and answer.citations[0].doc_id == "travel"
    assert counting.documents == before  # the question is embedded as a query; no sentence is embedded
    assert service.answer("What is the capital of Peru?").abstained


def test_an_index_without_sentence_vectors_still_answers(settings_factory, embedder):
    """Versions written before sentence vectors (or by an embedder without them) embed sentences per question."""

    settings = settings_factory()
    plain = CountingEmbedder(embedder, sentences=False)
    upsert_articles(ARTICLES, settings=settings, embedder=plain)
    version = open_current(settings.index_dir)
    manifest = version.manifest
    version.close()
    assert manifest["sentences"] is None and not any(n.startswith("sentences") for n in manifest["files"])
    service = build_components(settings, embedder=plain).answers
    before = plain.documents
    answer = service.answer("How much is the mileage allowance per kilometre?")
    assert not answer.abstained and "0.30 EUR" in answer.answer
    assert plain.documents > before  # scored by embedding the sentences instead


def test_reingest_carries_sentence_vectors_and_token_signs_of_unchanged_chunks_over(settings_factory, embedder):
    settings = settings_factory()
    upsert_articles(ARTICLES, settings=settings, embedder=embedder)
    first = open_current(settings.index_dir)
    before = {c.chunk_id: first.sentence_vectors(r) for r, c in enumerate(first.all_chunks())}
    signs_before = {c.chunk_id: first.sentence_rows([r])[0][2] for r, c in enumerate(first.all_chunks())}
    first.close()
    changed = Article(doc_id="leave", title="Leave", source="api", sha256="l2",
                      text="Parental leave lasts twenty weeks at full pay. Notify your manager eight weeks ahead.")
    upsert_articles([changed], settings=settings, embedder=embedder)
    second = open_current(settings.index_dir)
    try:
        after = {c.chunk_id: (c, second.sentence_vectors(r)) for r, c in enumerate(second.all_chunks())}
        second_rows = {c.chunk_id: r for r, c in enumerate(second.all_chunks())}
        for chunk_id, (chunk, stored) in after.items():
            assert set(stored) == set(chunk_sentence_spans(chunk.text))
            signs = second.sentence_rows([second_rows[chunk_id]])[0][2]
            if chunk.doc_id == "travel":  # unchanged: the very same vectors and token signs
                for span, vec in stored.items():
                    np.testing.assert_array_equal(vec, before[chunk_id][span])
                np.testing.assert_array_equal(signs, signs_before[chunk_id])
            else:  # re-embedded: the new text's own signs
                assert signs.shape != signs_before[chunk_id].shape or not np.array_equal(signs, signs_before[chunk_id])
        assert json.loads((second.path / "manifest.json").read_text())["sentences"]["count"] == len(
            second.sentences.spans)
    finally:
        second.close()
