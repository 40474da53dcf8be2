"""Index versions on disk: model mismatch refused, damage detected, fallback to the last good version."""

from __future__ import annotations

import os

import pytest

from ragqa.index.embedding import resolve_model_path
from ragqa.index.errors import IndexMismatch, IndexStoreError
from ragqa.index.files import list_versions, read_pointer
from ragqa.index.ingest import upsert_articles
from ragqa.index.reader import IndexVersion
from ragqa.service.composition import build_embedder, open_index
from ragqa.settings import Settings
from ragqa.types import Article


def _article(i: int, text: str) -> Article:
    return Article(doc_id=f"doc{i}", title=f"Doc {i}", source="api", text=text, sha256=f"{i}-{hash(text)}")


def _two_versions(settings, embedder):
    upsert_articles([_article(1, "The Leeds office opens at seven in the morning.")], settings=settings,
                    embedder=embedder)
    upsert_articles([_article(2, "The Porto office closes at half past seven in the evening.")],
                    settings=settings, embedder=embedder)
    return list_versions(settings.index_dir)


def test_an_index_built_with_another_model_is_refused_with_a_clear_message(tmp_path, settings_factory, embedder):
    settings = settings_factory()
    upsert_articles([_article(1, "Some text about badges.")], settings=settings, embedder=embedder)
    # A second, real model folder: the packaged files under another name (a different model identity).
    other = tmp_path / "other-minilm"
    other.mkdir()
    for item in resolve_model_path("").iterdir():
        os.symlink(item, other / item.name)
    other_embedder = build_embedder(Settings(embedding_model=str(other), embedding_backend="torch"))
    with pytest.raises(IndexMismatch) as info:
        open_index(settings, other_embedder).retriever()
    message = str(info.value)
    assert "sentence-transformers/all-MiniLM-L6-v2" in message and "other-minilm" in message
    assert "RAGQA_EMBEDDING_MODEL" in message


@pytest.mark.parametrize("victim", ["vectors.f32", "meta.sqlite", "manifest.json", "keyword/size.json",
                                    "sentences.i8", "sentences.offsets.i64"])
def test_damaged_current_version_is_detected_and_the_last_good_one_served(victim, settings_factory, embedder):
    settings = settings_factory()
    versions = _two_versions(settings, embedder)
    current = settings.index_dir / "versions" / versions[0]
    target = current / victim
    data = target.read_bytes()
    target.write_bytes(data[: len(data) // 2] + b"\x00garbage")

    with pytest.raises(IndexStoreError) as info:
        IndexVersion.open(current)
    assert victim.split("/")[-1] in str(info.value)

    manager = open_index(settings, embedder)
    status = manager.status()
    assert status["ready"] is False and victim.split("/")[-1] in status["error"]
    assert status["fallback"] is True and status["serving"] == versions[1]
    assert manager.retriever().search("Leeds office hours", k=1)[0].doc_id == "doc1"


def test_manager_switches_to_a_newly_published_version(settings_factory, embedder):
    settings = settings_factory(reload_poll_s=0.0)
    upsert_articles([_article(1, "Visitors sign in at reception.")], settings=settings, embedder=embedder)
    manager = open_index(settings, embedder)
    before = manager.retriever()
    upsert_articles([_article(2, "Parking permits are issued by facilities.")], settings=settings, embedder=embedder)
    after = manager.retriever()
    assert after.version_id == read_pointer(settings.index_dir) != before.version_id
    # The old retriever still answers from its own version.
    assert {h.doc_id for h in before.search("parking permits", k=5)} == {"doc1"}
    assert after.search("parking permits", k=1)[0].doc_id == "doc2"


def test_no_index_gives_a_message_with_the_fix(settings_factory, embedder):
    settings = settings_factory()
    with pytest.raises(IndexStoreError, match="ragqa ingest"):
        open_index(settings, embedder).retriever()


@pytest.mark.parametrize("kind", ["ivf", "hnsw"])
def test_an_approximate_version_opens_memory_mapped_and_finds_what_exact_search_finds(kind, tmp_path, embedder):
    """Past ann_threshold the dense index is approximate, recorded in the manifest, memory-mapped; damage caught."""
    import faiss
    import numpy as np

    from ragqa.index.ingest import ingest_paths
    from ragqa.settings import Settings
    from tests.conftest import CORPUS

    settings = Settings(index_dir=tmp_path / "index", data_dir=tmp_path / "data", ann_threshold=10, ann_index=kind)
    ingest_paths([CORPUS], settings=settings, embedder=embedder)
    current = settings.index_dir / "versions" / read_pointer(settings.index_dir)
    version = IndexVersion.open(current)
    dense = version.manifest["dense"]
    assert dense["type"] == kind and version.num_chunks > 10
    if kind == "ivf":  # the scan depth was calibrated on the version's own vectors and recorded
        assert 1 <= dense["nprobe"] <= dense["nlist"] < version.num_chunks
        assert dense["calibrated_recall_at_10"] >= settings.ivf_target_recall or dense["nprobe"] == dense["nlist"]
        # Memory-mapped lists, without the 32 read-ahead threads FAISS would start on every search (index/dense.py).
        lists = faiss.downcast_InvertedLists(faiss.extract_index_ivf(version._dense).invlists)
        assert isinstance(lists, faiss.OnDiskInvertedLists) and lists.prefetch_nthread == 0
    exact = IndexVersion.open(current)
    exact._dense = faiss.IndexFlatIP(exact.dim)
    exact._dense.add(np.ascontiguousarray(exact.vectors(list(range(exact.num_chunks)))))
    exact.manifest = exact.manifest | {"dense": {"type": "flat", "metric": "inner_product"}}
    overlap = []
    for question in ["How long must a passphrase be?", "annual leave in Porto", "who approves travel expenses"]:
        vec = embedder.embed_query(question)
        approx_rows, _ = version.dense_search(vec, 10, None)
        exact_rows, _ = exact.dense_search(vec, 10, None)
        overlap.append(len(set(approx_rows.tolist()) & set(exact_rows.tolist())) / 10)
        allowed = np.zeros(version.num_chunks, dtype=bool)
        allowed[::3] = True
        rows, _ = version.dense_search(vec, 10, allowed)
        assert len(rows) and allowed[rows].all()  # the permission filter runs inside HNSW too
    assert np.mean(overlap) >= 0.9

    # One flipped byte, written in place (same size, different checksum). Published files are never rewritten
    # by ragqa; truncating a file that a process has memory-mapped would crash that process (SIGBUS).
    version.close()
    exact.close()
    with (current / "dense.faiss").open("r+b") as fh:
        fh.seek(fh.seek(0, os.SEEK_END) // 2)
        byte = fh.read(1)
        fh.seek(-1, os.SEEK_CUR)
        fh.write(bytes([byte[0] ^ 0xFF]))
    with pytest.raises(IndexStoreError, match="dense.faiss"):
        IndexVersion.open(current)
