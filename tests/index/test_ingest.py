"""Incremental ingest against a real model, FAISS, BM25 and SQLite: adds, updates, removals, failures."""

from __future__ import annotations

import json

import pytest

from ragqa.index.files import list_versions, read_pointer
from ragqa.index.ingest import _EmbedStream, delete_articles, ingest_paths, upsert_articles
from ragqa.service.composition import open_index
from ragqa.types import Article


@pytest.fixture(autouse=True, params=[True, False], ids=["overlapped", "read-first"])
def overlap(request, monkeypatch):
    """Every test runs with reading beside embedding and with reading first (chosen by CPU count otherwise)."""
    monkeypatch.setattr(_EmbedStream, "overlap", request.param)
    return request.param


def _write(folder, name, title, body, audience="everyone"):
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f"---\ntitle: {title}\naudience: [{audience}]\n---\n# {title}\n\n{body}\n", encoding="utf-8")
    return path


def _corpus(tmp_path):
    docs = tmp_path / "docs"
    _write(docs, "bikes.md", "Bicycle storage", "Bicycles are stored in the basement cage behind door B4. "
           "The cage code changes every month and is posted at reception.")
    _write(docs, "coffee.md", "Coffee machines", "The espresso machine on floor three is descaled every Friday. "
           "Report faults to facilities on extension 2210.")
    _write(docs, "sub/printers.md", "Printing", "Colour printing needs a badge tap at the printer. "
           "Print jobs are deleted after 24 hours if nobody collects them.")
    return docs


def test_incremental_ingest_embeds_only_changes(tmp_path, settings_factory, embedder):
    settings = settings_factory()
    docs = _corpus(tmp_path)

    first = ingest_paths([docs], settings=settings, embedder=embedder)
    assert (first.added, first.updated, first.unchanged, first.removed) == (3, 0, 0, 0)
    assert first.embedded == first.chunks > 0

    again = ingest_paths([docs], settings=settings, embedder=embedder)
    assert (again.added, again.unchanged, again.embedded) == (0, 3, 0)
    assert again.version_id == first.version_id, "an unchanged corpus publishes no new version"

    _write(docs, "coffee.md", "Coffee machines", "The espresso machine moved to floor five in March.")
    changed = ingest_paths([docs], settings=settings, embedder=embedder)
    assert (changed.updated, changed.unchanged) == (1, 2)
    manager = open_index(settings, embedder)
    coffee_chunks = [c for c in manager.current().all_chunks() if c.doc_id == "coffee"]
    assert changed.embedded == len(coffee_chunks)
    hits = manager.retriever().search("where is the espresso machine", k=1)
    assert hits[0].doc_id == "coffee" and "floor five" in hits[0].chunk.text

    (docs / "sub" / "printers.md").unlink()
    removed = ingest_paths([docs], settings=settings, embedder=embedder)
    assert removed.removed == 1 and removed.embedded == 0
    ids = {a.doc_id for a in open_index(settings, embedder).current().articles()}
    assert ids == {"bikes", "coffee"}


def test_doc_ids_are_relative_to_the_ingested_root(tmp_path, settings_factory, embedder):
    settings = settings_factory()
    docs = _corpus(tmp_path)
    ingest_paths([docs], settings=settings, embedder=embedder)
    ids = {a.doc_id for a in open_index(settings, embedder).current().articles()}
    assert ids == {"bikes", "coffee", "sub/printers"}


def test_a_file_that_fails_to_load_keeps_its_indexed_version(tmp_path, settings_factory, embedder):
    settings = settings_factory()
    docs = _corpus(tmp_path)
    ingest_paths([docs], settings=settings, embedder=embedder)
    (docs / "bikes.md").write_bytes(b"---\ntitle: [unclosed\n---\nbody")  # invalid front matter
    report = ingest_paths([docs], settings=settings, embedder=embedder)
    assert any("bikes.md" in f["path"] for f in report.failures)
    assert report.removed == 0
    hits = open_index(settings, embedder).retriever().search("bicycle cage code", k=1)
    assert hits[0].doc_id == "bikes"


def test_single_file_ingest_does_not_remove_its_neighbours(tmp_path, settings_factory, embedder):
    settings = settings_factory()
    docs = _corpus(tmp_path)
    ingest_paths([docs], settings=settings, embedder=embedder)
    report = ingest_paths([docs / "bikes.md"], settings=settings, embedder=embedder)
    assert report.removed == 0 and report.unchanged == 1


def test_api_upsert_and_delete(tmp_path, settings_factory, embedder):
    settings = settings_factory()
    note = Article(doc_id="notes/badges", title="Badges", source="api", text="Lost badges cost 15 euros to replace.",
                   sha256="x1")
    up = upsert_articles([note], settings=settings, embedder=embedder)
    assert up.added == 1 and up.embedded >= 1
    gone = delete_articles(["notes/badges"], settings=settings, embedder=embedder)
    assert gone.removed == 1 and gone.chunks == 0
    assert open_index(settings, embedder).retriever().search("badge replacement", k=3) == []


def test_versions_are_immutable_and_pruned(tmp_path, settings_factory, embedder):
    settings = settings_factory()
    for i in range(5):
        art = Article(doc_id=f"d{i}", title=f"Doc {i}", source="api", text=f"Fact number {i} is here.", sha256=str(i))
        upsert_articles([art], settings=settings, embedder=embedder)
    versions = list_versions(settings.index_dir)
    assert len(versions) == 3 and read_pointer(settings.index_dir) == versions[0]
    manifest = json.loads((settings.index_dir / "versions" / versions[0] / "manifest.json").read_text())
    assert manifest["counts"] == {"articles": 5, "chunks": 5}
    assert manifest["embedding"]["model"] == embedder.model_name and manifest["embedding"]["dim"] == 384
    assert set(manifest["files"]) >= {"vectors.f32", "meta.sqlite"}


def test_changed_chunker_settings_rechunk_everything(tmp_path, settings_factory, embedder):
    docs = _corpus(tmp_path)
    first = ingest_paths([docs], settings=settings_factory(), embedder=embedder)
    smaller = settings_factory(chunk_tokens=48, chunk_overlap_tokens=0)
    report = ingest_paths([docs], settings=smaller, embedder=embedder)
    assert report.updated == 3 and report.embedded == report.chunks >= first.chunks
    assert any("re-chunking" in n for n in report.notes)
    again = ingest_paths([docs], settings=smaller, embedder=embedder)
    assert again.embedded == 0


def test_vectors_stay_with_their_chunks_whatever_the_input_order(settings_factory, embedder):
    # Upload order differs from the stored (doc_id) order: each chunk must keep its own vector.
    settings = settings_factory()
    facts = {"zeta": "Penguins live in Antarctica.", "alpha": "Espresso is brewed under pressure.",
             "10": "Violins have four strings.", "9": "Glaciers are slow rivers of ice."}
    articles = [Article(doc_id=d, title="", source="api", text=t, sha256=d) for d, t in facts.items()]
    upsert_articles(articles, settings=settings, embedder=embedder)
    retriever = open_index(settings, embedder).retriever()
    for doc_id, text in facts.items():
        assert retriever.search(text, k=1, mode="dense")[0].doc_id == doc_id


def _many(folder, n, words=120):
    import random

    rng = random.Random(n)
    vocab = "staff leave office travel expense laptop badge visitor parking holiday claim receipt".split()
    for i in range(n):
        body = " ".join(rng.choice(vocab) for _ in range(rng.randint(5, words))) + "."
        _write(folder, f"a{i:03d}.md", f"Article {i}", body)
    return folder


def test_every_chunk_keeps_its_own_vector_through_the_batching(tmp_path, settings_factory, embedder):
    # Chunks are embedded longest first, in batches across articles: each must still get its own vector.
    import numpy as np

    from ragqa.index.chunking import contextual_text

    settings = settings_factory()
    docs = _many(tmp_path / "docs", 60, words=400)
    report = ingest_paths([docs], settings=settings, embedder=embedder)
    assert report.embedded == report.chunks > 2 * embedder.batch_size
    version = open_index(settings, embedder).current()
    titles = {a.doc_id: a.title for a in version.articles()}
    chunks = version.all_chunks()
    expected = embedder.embed_documents([contextual_text(titles[c.doc_id], c) for c in chunks])
    stored = version.vectors(list(range(len(chunks))))
    assert np.min(np.sum(stored * expected, axis=1)) > 0.999


def test_a_failure_while_reading_stops_the_ingest_and_keeps_the_served_version(tmp_path, settings_factory,
                                                                               embedder, monkeypatch):
    import threading

    from ragqa.index.chunking import Chunker

    settings = settings_factory()
    docs = _many(tmp_path / "docs", 10)
    first = ingest_paths([docs], settings=settings, embedder=embedder)
    _many(tmp_path / "docs", 40)  # new texts and more articles
    real = Chunker.chunk

    def chunk(self, article):
        if article.doc_id == "a025":
            raise RuntimeError("chunker broke")
        return real(self, article)

    monkeypatch.setattr(Chunker, "chunk", chunk)
    with pytest.raises(RuntimeError, match="chunker broke"):
        ingest_paths([docs], settings=settings, embedder=embedder)
    assert read_pointer(settings.index_dir) == first.version_id
    assert not [t for t in threading.enumerate() if t.name == "ragqa-ingest-reader"]


def test_a_failure_while_embedding_stops_the_reader_and_keeps_the_served_version(tmp_path, settings_factory,
                                                                                 embedder):
    import threading

    settings = settings_factory()
    docs = _many(tmp_path / "docs", 10)
    first = ingest_paths([docs], settings=settings, embedder=embedder)
    _many(tmp_path / "docs", 300, words=300)

    class Failing:
        def __init__(self, inner):
            self.inner, self.calls = inner, 0
            self.model_name, self.dim, self.max_seq_length = inner.model_name, inner.dim, inner.max_seq_length
            self.tokenizer, self.batch_size = inner.tokenizer, 8

        def count_tokens(self, text):
            return self.inner.count_tokens(text)

        def embed_documents(self, texts, show_progress=False):
            self.calls += 1
            if self.calls == 2:
                raise KeyboardInterrupt  # Ctrl-C in the middle of embedding
            return self.inner.embed_documents(texts)

    with pytest.raises(KeyboardInterrupt):
        ingest_paths([docs], settings=settings, embedder=Failing(embedder))
    assert read_pointer(settings.index_dir) == first.version_id
    assert not [t for t in threading.enumerate() if t.name == "ragqa-ingest-reader"]
    again = ingest_paths([docs], settings=settings, embedder=embedder)
    assert again.updated == 10 and again.added == 290


def _long_article(folder, paragraphs):
    return _write(folder, "handbook.md", "Staff handbook", "\n\n".join(paragraphs))


_PARAGRAPHS = [
    f"Section {i} covers {topic}. " + " ".join(
        f"Rule {i}.{j}: staff must check the {topic} guidance with their manager before week {j + i}."
        for j in range(9))
    for i, topic in enumerate(["travel", "expenses", "laptops", "visitors", "parking", "holidays"])
]


def test_an_edited_article_re_embeds_only_its_changed_chunks(tmp_path, settings_factory, embedder):
    import numpy as np

    from ragqa.index.chunking import contextual_text

    settings = settings_factory()
    docs = tmp_path / "docs"
    _long_article(docs, _PARAGRAPHS)
    _write(docs, "coffee.md", "Coffee machines", "The espresso machine on floor three is descaled every Friday.")
    first = ingest_paths([docs], settings=settings, embedder=embedder)
    before = [c for c in open_index(settings, embedder).current().all_chunks() if c.doc_id == "handbook"]
    assert len(before) >= 4, "the article must span several chunks for this test to mean anything"

    _long_article(docs, [*_PARAGRAPHS, "Section 6: the rooftop terrace is closed to staff during thunderstorms."])
    report = ingest_paths([docs], settings=settings, embedder=embedder)
    assert (report.updated, report.unchanged) == (1, 1)
    version = open_index(settings, embedder).current()
    after = [c for c in version.all_chunks() if c.doc_id == "handbook"]
    old_texts = {contextual_text("Staff handbook", c) for c in before}
    new_texts = [contextual_text("Staff handbook", c) for c in after]
    changed = sum(t not in old_texts for t in new_texts)
    assert 1 <= changed <= 2 < len(after)
    assert report.embedded == changed and report.reused == len(after) - changed
    assert report.chunks == first.chunks + len(after) - len(before)

    # Copied or embedded, every vector is the one a full rebuild gives its chunk.
    fresh = ingest_paths([docs], settings=settings_factory(index_dir=tmp_path / "rebuilt"), embedder=embedder)
    assert fresh.embedded == fresh.chunks == report.chunks
    rebuilt = open_index(settings_factory(index_dir=tmp_path / "rebuilt"), embedder).current()
    assert [c.chunk_id for c in rebuilt.all_chunks()] == [c.chunk_id for c in version.all_chunks()]
    rows = list(range(version.num_chunks))
    assert np.min(np.sum(version.vectors(rows) * rebuilt.vectors(rows), axis=1)) > 0.9999
    # The keyword index, built from the parent's tokens plus the changed chunks', scores like a full build's.
    for query in ["rooftop terrace thunderstorms", "parking guidance manager week", "espresso descaled Friday"]:
        got, want = version.keyword_search(query, 5, None), rebuilt.keyword_search(query, 5, None)
        assert got[0].tolist() == want[0].tolist() and np.allclose(got[1], want[1], rtol=1e-6)

    hits = open_index(settings, embedder).retriever().search("is the rooftop terrace open in a thunderstorm", k=1)
    assert hits[0].doc_id == "handbook" and "thunderstorms" in hits[0].chunk.text


def test_an_edit_in_the_middle_keeps_the_vectors_of_the_chunks_around_it(tmp_path, settings_factory, embedder):
    import numpy as np

    settings = settings_factory()
    docs = tmp_path / "docs"
    _long_article(docs, _PARAGRAPHS)
    ingest_paths([docs], settings=settings, embedder=embedder)
    before = open_index(settings, embedder).current()
    old = {c.text: row for row, c in enumerate(before.all_chunks())}
    edited = list(_PARAGRAPHS)
    edited[3] = edited[3].replace("Rule 3.4:", "Rule 3.4 (revised in May):")
    _long_article(docs, edited)
    report = ingest_paths([docs], settings=settings, embedder=embedder)
    assert report.updated == 1 and report.embedded >= 1 and report.reused >= 2
    after = open_index(settings, embedder).current()
    kept = [(row, old[c.text]) for row, c in enumerate(after.all_chunks()) if c.text in old]
    assert len(kept) == report.reused and report.embedded + report.reused == after.num_chunks
    new_rows, old_rows = zip(*kept, strict=True)
    assert np.array_equal(after.vectors(list(new_rows)), before.vectors(list(old_rows)))  # copied bit for bit
    hits = open_index(settings, embedder).retriever().search("which rule was revised in May", k=1)
    assert "revised in May" in hits[0].chunk.text
