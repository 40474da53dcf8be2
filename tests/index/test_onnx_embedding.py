"""The ONNX Runtime embedder against the PyTorch one: same vectors, same tokenizer counts, export cached."""

from __future__ import annotations

import numpy as np
import pytest

from ragqa.index.embedding import Embedder, EmbeddingError
from ragqa.index.onnx_embedding import OnnxEmbedder
from ragqa.service.composition import build_embedder

# Varied on purpose: empty, one word, questions, unicode, code, markdown, and texts past the 256-piece limit
# (truncation must cut at the same place), mixed in one call so padding and length sorting are exercised.
TEXTS = [
    "",
    "leave",
    "How many days of parental leave do new employees get?",
    "Le café est fermé le dimanche; la réunion a lieu à Zürich (東京 office joins remotely) 🚀.",
    "def embed(texts):\n    return [model(t) for t in texts]  # batch later",
    "## Expenses\n\n- Receipts within **30 days**\n- Use the `travel` form for trips over 500 EUR.",
    "   leading and trailing spaces are stripped by sentence-transformers   ",
    " ".join(f"clause {i} of the data-retention policy requires review by the records officer" for i in range(60)),
    "The quarterly security review found three unpatched servers. " * 12,
    "VPN access requires MFA. Contractors receive time-limited accounts that expire after ninety days.",
]


@pytest.fixture(scope="module")
def onnx_int8(onnx_cache, onnx_fp32):
    embedder = OnnxEmbedder(cache_dir=onnx_cache[1], quantize=True)
    embedder.warm_up()
    return embedder


def _cosines(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    return (a * b).sum(axis=1) / (np.linalg.norm(a, axis=1) * np.linalg.norm(b, axis=1))


def test_is_an_embedder_with_the_same_identity(onnx_fp32, embedder):
    assert isinstance(onnx_fp32, Embedder)
    assert onnx_fp32.model_name == embedder.model_name  # an index built by either opens with the other
    assert onnx_fp32.dim == embedder.dim == 384
    assert onnx_fp32.max_seq_length == embedder.max_seq_length == 256


def test_counts_tokens_like_the_torch_tokenizer(onnx_fp32, embedder):
    counts = [onnx_fp32.count_tokens(t) for t in TEXTS]
    assert counts == [embedder.count_tokens(t) for t in TEXTS]
    assert max(counts) > 256  # the packaged tokenizer.json truncates at 128; counting must not


def test_counting_and_chunking_need_no_graph(tmp_path, onnx_fp32):
    """A process that only chunks (a Ray ingest's driver) loads the tokenizer, never exports or opens the graph."""
    from ragqa.index.chunking import WordPieceCounter

    fresh = OnnxEmbedder(cache_dir=tmp_path / "empty-cache")  # a cold cache: opening the graph would export it
    assert fresh.count_tokens(TEXTS[2]) == onnx_fp32.count_tokens(TEXTS[2])
    assert WordPieceCounter.for_embedder(fresh) is not None
    assert fresh._session is None and not (tmp_path / "empty-cache").exists()


def test_fp32_matches_pytorch(onnx_fp32, embedder):
    ours = onnx_fp32.embed_documents(TEXTS)
    theirs = embedder.embed_documents(TEXTS)
    assert ours.shape == theirs.shape == (len(TEXTS), 384)
    assert ours.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(ours, axis=1), 1.0, atol=1e-5)
    cos = _cosines(ours, theirs)
    assert cos.min() >= 0.999, dict(zip(TEXTS, cos.round(5), strict=True))


def test_int8_stays_close_to_pytorch(onnx_int8, embedder):
    cos = _cosines(onnx_int8.embed_documents(TEXTS), embedder.embed_documents(TEXTS))
    assert cos.min() >= 0.98, dict(zip(TEXTS, cos.round(4), strict=True))
    assert onnx_int8.onnx_path.name.startswith("model.int8")


def test_batching_and_order_do_not_change_vectors(onnx_fp32):
    together = onnx_fp32.embed_documents(TEXTS)
    alone = np.stack([onnx_fp32.embed_documents([t])[0] for t in TEXTS])
    np.testing.assert_allclose(together, alone, atol=1e-5)
    small_batches = OnnxEmbedder(cache_dir=onnx_fp32.cache_dir, batch_size=3)
    np.testing.assert_allclose(small_batches.embed_documents(TEXTS), together, atol=1e-5)
    assert onnx_fp32.embed_documents([]).shape == (0, 384)


def test_query_embeddings_are_cached_and_read_only(onnx_fp32):
    first = onnx_fp32.embed_query("Who approves travel over 500 EUR?")
    assert onnx_fp32.embed_query("Who approves travel over 500 EUR?") is first
    assert not first.flags.writeable
    np.testing.assert_allclose(first, onnx_fp32.embed_documents(["Who approves travel over 500 EUR?"])[0], atol=1e-6)


def test_export_is_reused_from_the_cache(onnx_cache, onnx_fp32, onnx_int8, monkeypatch):
    assert onnx_fp32.exported  # the module's first load had a cold cache
    assert onnx_fp32.onnx_path.is_file() and onnx_fp32.onnx_path.parent.parent == onnx_cache[1]
    assert not list(onnx_fp32.onnx_path.parent.glob(".*.tmp"))  # atomic writes leave no temp files

    def no_export(*args, **kwargs):
        raise AssertionError("exported again although the cache holds the model")

    monkeypatch.setattr("ragqa.index.onnx_embedding.export_onnx", no_export)
    monkeypatch.setattr("ragqa.index.onnx_embedding.quantize_int8", no_export)
    monkeypatch.setattr("ragqa.index.onnx_embedding.fuse_transformer", no_export)
    for quantize in (False, True):
        again = OnnxEmbedder(cache_dir=onnx_cache[1], quantize=quantize)
        again.warm_up()
        assert not again.exported
        assert again.onnx_path == (onnx_int8 if quantize else onnx_fp32).onnx_path


def test_fp32_runs_a_fused_graph_and_int8_quantises_the_unfused_one(onnx_fp32, onnx_int8):
    import onnx

    def ops(path):
        return {node.op_type for node in onnx.load(str(path), load_external_data=False).graph.node}

    assert onnx_fp32.fused and onnx_fp32.onnx_path.name.startswith("model.fp32-fused")
    assert {"Attention", "SkipLayerNormalization", "EmbedLayerNormalization"} <= ops(onnx_fp32.onnx_path)
    assert not onnx_int8.fused and "Attention" not in ops(onnx_int8.onnx_path)


@pytest.mark.parametrize("failure", ["drift", "error"])
def test_a_graph_that_fuses_badly_falls_back_to_the_unfused_one_once(onnx_fp32, tmp_path, monkeypatch, caplog,
                                                                      failure):
    import shutil

    folder = tmp_path / onnx_fp32.onnx_path.parent.name
    folder.mkdir()
    shutil.copy(onnx_fp32.onnx_path.parent / "model.fp32.onnx", folder)  # exported already: only fusion runs
    if failure == "drift":  # fusion works, but its outputs are held to an impossible bound
        monkeypatch.setattr("ragqa.index.onnx_embedding.FUSION_MAX_ABS_DIFF", -1.0)
    else:
        def broken(*args, **kwargs):
            raise RuntimeError("unknown attention pattern")

        monkeypatch.setattr("ragqa.index.onnx_embedding.fuse_transformer", broken)
    unfused = OnnxEmbedder(cache_dir=tmp_path)
    unfused.warm_up()
    assert not unfused.fused and unfused.onnx_path == folder / "model.fp32.onnx"
    assert "using the unfused ONNX graph" in caplog.text
    assert sorted(p.name for p in folder.iterdir()) == ["model.fp32.onnx", "unfusable"]  # no fused file, no temp file
    np.testing.assert_allclose(unfused.embed_documents(TEXTS), onnx_fp32.embed_documents(TEXTS), atol=1e-5)

    def no_retry(*args, **kwargs):
        raise AssertionError("fusion tried again although it failed before")

    monkeypatch.setattr("ragqa.index.onnx_embedding.fuse_transformer", no_retry)
    again = OnnxEmbedder(cache_dir=tmp_path)
    again.warm_up()
    assert again.onnx_path == folder / "model.fp32.onnx"


def test_load_embedder_dispatches_to_onnx(onnx_cache, onnx_fp32, settings_factory, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(onnx_cache[0]))  # the default cache folder: reuse the export
    loaded = build_embedder(settings_factory(embedding_backend="onnx"))
    assert isinstance(loaded, OnnxEmbedder) and not loaded.exported
    np.testing.assert_allclose(loaded.embed_query("badge access"), onnx_fp32.embed_query("badge access"), atol=1e-6)


def test_model_folder_without_fast_tokenizer_is_refused_clearly(tmp_path):
    (tmp_path / "config.json").write_text('{"hidden_size": 384}')
    with pytest.raises(EmbeddingError, match="tokenizer.json.*RAGQA_EMBEDDING_BACKEND=torch"):
        OnnxEmbedder(str(tmp_path), cache_dir=tmp_path / "cache")


@pytest.mark.model  # loads the PyTorch model through load_embedder
def test_default_backend_falls_back_to_pytorch_but_an_explicit_choice_fails_clearly(tmp_path, settings_factory,
                                                                                     caplog):
    """A model folder the ONNX path cannot take (no fast tokenizer): the default still serves, with a warning."""
    import os

    from ragqa.index.embedding import SentenceTransformerEmbedder, resolve_model_path

    folder = tmp_path / "minilm-without-fast-tokenizer"
    folder.mkdir()
    for item in resolve_model_path("").iterdir():
        if item.name != "tokenizer.json":
            os.symlink(item, folder / item.name)
    settings = settings_factory(embedding_model=str(folder))
    assert settings.embedding_backend == "onnx" and "embedding_backend" not in settings.model_fields_set
    with caplog.at_level("WARNING"):
        loaded = build_embedder(settings)
    assert isinstance(loaded, SentenceTransformerEmbedder)
    assert "using PyTorch" in caplog.text and "tokenizer.json" in caplog.text
    assert loaded.embed_query("badge access").shape == (loaded.dim,)
    with pytest.raises(EmbeddingError, match="tokenizer.json"):
        build_embedder(settings_factory(embedding_model=str(folder), embedding_backend="onnx"))


def test_ingest_stores_the_vectors_the_embedder_gives_for_the_same_texts(onnx_fp32, settings_factory):
    """Ingest's batching (length-sorted, streamed beside reading) changes no vector or sentence vector."""
    from ragqa.index.chunking import contextual_text
    from ragqa.index.ingest import ingest_paths
    from ragqa.index.reader import open_current
    from ragqa.index.sentence_vectors import chunk_sentence_spans, chunk_sentences
    from tests.conftest import CORPUS

    settings = settings_factory()
    ingest_paths([CORPUS], settings=settings, embedder=onnx_fp32)
    version = open_current(settings.index_dir)
    try:
        rows = list(range(version.num_chunks))
        titles = {r.article.doc_id: r.article.title for r in version.article_records(with_text=False)}
        chunks = version.all_chunks()
        texts = [contextual_text(titles[c.doc_id], c) for c in chunks]
        vectors, sentences = version.vectors(rows), version.sentence_rows(rows)
    finally:
        version.close()
    assert len(texts) > 20
    own = [chunk_sentence_spans(c.text) for c in chunks]  # in the chunk's text; shifted into the embedded text
    shifted = [[(a + len(t) - len(c.text), b + len(t) - len(c.text)) for a, b in sp]
               for t, c, sp in zip(texts, chunks, own, strict=True)]
    expected, pooled, signs = onnx_fp32.embed_with_sentences(texts, shifted)
    np.testing.assert_allclose(vectors, expected, atol=1e-5)
    assert sum(len(spans) for spans, _, _ in sentences) > len(texts)
    for (spans, vecs, bits), sp, want, want_bits in zip(sentences, own, pooled, signs, strict=True):
        want_spans, want_vecs, _ = chunk_sentences(sp, want)
        np.testing.assert_array_equal(spans, want_spans)
        # The token signs of the same pass (a component within float noise of 0 may flip between batchings).
        assert bits.shape == want_bits.shape and np.mean(bits == want_bits) > 0.99
        np.testing.assert_allclose(vecs.astype(np.int16), want_vecs.astype(np.int16), atol=1)  # int8 rounding
