"""The embedding backends the benches compare, built by name (one instance per backend per bench run)."""

from __future__ import annotations

from ragqa.index.embedding import Embedder
from ragqa.settings import DEFAULT_BATCH_SIZE

BACKENDS = ("torch", "onnx", "onnx-int8")


def make_embedder(backend: str, *, batch_size: int = DEFAULT_BATCH_SIZE) -> Embedder:
    """torch: sentence-transformers; onnx: ONNX Runtime fp32; onnx-int8: weight MatMuls in int8."""
    if backend not in BACKENDS:
        raise ValueError(f"unknown backend {backend!r}; choose from {', '.join(BACKENDS)}")
    from ragqa.service.composition import build_embedder
    from ragqa.settings import Settings

    embedder = build_embedder(Settings(embedding_backend=backend, embedding_batch_size=batch_size))
    embedder.embed_documents(["warm-up: the first call allocates buffers", "a second, shorter one"])
    return embedder


def word_piece_counter():
    """(count_tokens, max_seq_length) of the packaged model's tokenizer, without loading a model."""
    import json

    from tokenizers import Tokenizer

    from ragqa.index.embedding import resolve_model_path

    folder = resolve_model_path("")
    tokenizer = Tokenizer.from_file(str(folder / "tokenizer.json"))
    tokenizer.no_truncation()
    tokenizer.no_padding()
    limit = json.loads((folder / "sentence_bert_config.json").read_text())["max_seq_length"]
    return (lambda text: len(tokenizer.encode(text).ids)), int(limit)
