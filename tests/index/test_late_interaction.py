"""The MaxSim rerank (issue 20): 1-bit token signs stored at ingest, question tokens from the query's own pass, and
the second ranking stage of search. Real model, real index, real retriever."""

from __future__ import annotations

import numpy as np
import pytest

from ragqa.index.chunking import contextual_text
from ragqa.index.ingest import upsert_articles
from ragqa.index.late_interaction import maxsim, token_signs, unit_rows
from ragqa.index.reader import open_current
from ragqa.index.retrieve import Retriever
from ragqa.index.sentence_vectors import SentenceVectors
from ragqa.service.composition import build_components, open_index
from ragqa.types import Article

PASSAGES = [
    "Staff who drive their own car claim mileage at 0.30 EUR per kilometre, paid with the next salary.",
    "The canteen on the second floor serves vegetarian lunches every weekday between noon and two.",
    "Parental leave lasts sixteen weeks at full pay; tell your manager eight weeks before it starts.",
]
QUESTIONS = {
    "How much is the mileage allowance for driving my car?": 0,
    "Where can I eat a vegetarian lunch?": 1,
    "How many weeks of parental leave do I get?": 2,
}


def test_maxsim_over_signs_is_the_float_formula_on_sign_vectors():
    rng = np.random.default_rng(5)
    question = unit_rows(rng.standard_normal((4, 16)))
    chunks = [rng.standard_normal((n, 16)).astype(np.float32) for n in (3, 0, 5)]
    counts = np.array([len(c) for c in chunks])
    signs = token_signs(np.concatenate(chunks))
    got = maxsim(question, signs, counts)
    for i, c in enumerate(chunks):
        if not len(c):
            assert np.isnan(got[i])  # a chunk without tokens scores nothing, not zero
            continue
        reference = (question @ (np.sign(c) / 4.0).T).max(axis=1).mean()  # sqrt(16) = 4
        assert got[i] == pytest.approx(reference, abs=1e-5)
    with pytest.raises(ValueError, match="divisible by 8"):
        token_signs(np.ones((2, 12)))


@pytest.mark.parametrize("backend", ["torch", "onnx"])
def test_a_question_gets_its_vector_and_token_embeddings_from_one_pass(backend, embedder, onnx_fp32):
    model = embedder if backend == "torch" else onnx_fp32
    text = "How long is parental leave in Porto?"
    vec, tokens = model.embed_query_with_tokens(text)
    assert float(vec @ model.embed_query(text)) > 0.9999
    assert tokens.shape == (model.count_tokens(text), model.dim)
    np.testing.assert_allclose(np.linalg.norm(tokens, axis=1), 1.0, atol=1e-5)
    again = model.embed_query_with_tokens(text)
    assert again[1] is tokens and not tokens.flags.writeable  # cached, and callers cannot change the cache


def test_both_backends_give_the_same_token_signs(embedder, onnx_fp32):
    spans = [[(0, 10)] for _ in PASSAGES]
    _, _, torch_signs = embedder.embed_with_sentences(PASSAGES, spans)
    _, _, onnx_signs = onnx_fp32.embed_with_sentences(PASSAGES, spans)
    for t, o, text in zip(torch_signs, onnx_signs, PASSAGES, strict=True):
        assert t.shape == o.shape == (embedder.count_tokens(text), 48)
        assert np.mean(np.unpackbits(t) == np.unpackbits(o)) > 0.99  # components near 0 may flip


def test_maxsim_over_stored_signs_finds_the_passage_each_question_is_about(embedder):
    _, _, signs = embedder.embed_with_sentences(PASSAGES, [[] for _ in PASSAGES])
    counts = np.array([len(s) for s in signs])
    for question, want in QUESTIONS.items():
        _, tokens = embedder.embed_query_with_tokens(question)
        scores = maxsim(tokens, np.concatenate(signs), counts)
        assert int(np.argmax(scores)) == want, (question, scores)


ARTICLES = [Article(doc_id=f"a{i}", title=title, source="api", sha256=f"s{i}", text=text)
            for i, (title, text) in enumerate(zip(("Mileage", "Canteen", "Parental leave"), PASSAGES, strict=True))]


def test_ingest_stores_each_chunks_token_signs(settings_factory, embedder):
    """(Carried over with unchanged chunks: tests/index/test_sentence_vectors.py.)"""
    settings = settings_factory()
    upsert_articles(ARTICLES, settings=settings, embedder=embedder)
    version = open_current(settings.index_dir)
    try:
        assert version.has_token_signs and version.manifest["sentences"]["tokens"] == len(version.sentences.token_signs)
        titles = {a.doc_id: a.title for a in ARTICLES}
        for row, chunk in enumerate(version.all_chunks()):
            signs = version.sentence_rows([row])[0][2]
            text = contextual_text(titles[chunk.doc_id], chunk)
            assert signs.shape == (embedder.count_tokens(text), 48)
            _, _, (fresh,) = embedder.embed_with_sentences([text], [[]])
            assert np.mean(np.unpackbits(signs) == np.unpackbits(fresh)) > 0.99
    finally:
        version.close()


def test_a_version_written_before_token_signs_opens_without_them(tmp_path):
    rng = np.random.default_rng(1)
    stored = SentenceVectors.from_chunks(
        [(np.zeros((1, 2), np.int32), rng.integers(-9, 9, (1, 8), dtype=np.int8), np.zeros((0, 1), np.uint8))], 8)

    def write_bytes(path, data):
        path.write_bytes(bytes(data))

    meta = stored.write(tmp_path, write_bytes)
    old = {k: v for k, v in meta.items() if k != "tokens"}  # what an older manifest says
    opened = SentenceVectors.open(tmp_path, old, n_chunks=1, dim=8)
    assert len(opened.token_signs) == 0 and np.isnan(opened.maxsim(np.ones((2, 8)), np.array([0])))[0]


def _rows(hits):
    return [h.row for h in hits]


def test_the_rerank_reorders_only_the_fused_head_by_fused_and_maxsim_z_scores(sample_index, embedder):
    version = open_index(sample_index, embedder).retriever().version
    question = "Who approves a business trip abroad?"
    plain = Retriever(version, embedder, sample_index.model_copy(update={"rerank": "none"}))
    fused = plain.search(question, k=20)
    heavy = Retriever(version, embedder, sample_index.model_copy(update={"rerank_depth": 8, "rerank_weight": 100.0}))
    reranked = heavy.search(question, k=20)
    # The head: the fused top 8, now in MaxSim order (the fused z-score hardly counts at this weight).
    assert set(_rows(reranked[:8])) == set(_rows(fused[:8]))
    _, tokens = embedder.embed_query_with_tokens(question)
    late = version.maxsim_scores(tokens, np.array(_rows(reranked[:8])))
    assert list(late) == sorted(late, reverse=True) and _rows(reranked[:8]) != _rows(fused[:8])
    # The rest: the fused order, below the head.
    assert _rows(reranked[8:]) == _rows(fused[8:20])
    scores = [h.score for h in reranked]
    assert scores == sorted(scores, reverse=True)
    none = Retriever(version, embedder, sample_index.model_copy(update={"rerank_depth": 8, "rerank_weight": 0.0}))
    assert _rows(none.search(question, k=20)) == _rows(fused)  # weight 0: the fused order


def test_answers_are_written_from_the_ranking_their_gate_was_calibrated_on(sample_index, embedder):
    answers = build_components(sample_index, embedder=embedder).answers
    retriever = answers.index.retriever()
    changed = 0
    for question in ("How many days of annual leave do Leeds staff get?", "Who approves a business trip abroad?",
                     "What should I do if I clicked a link in a phishing email?", "How do I book a meeting room?"):
        got = _rows(answers._retrieve(retriever, question, 8, None))[:8]  # then dense hits the fusion left out
        assert got == _rows(retriever.search(question, k=8, fusion="rrf", rerank="none"))
        changed += got != _rows(retriever.search(question, k=8))  # search itself: score fusion and rerank
    assert changed  # the two rankings differ, so the check above could fail
