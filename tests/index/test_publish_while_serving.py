"""Publishing new versions while queries run: zero failed queries, each from one consistent version."""

from __future__ import annotations

import threading

from ragqa.index.ingest import upsert_articles
from ragqa.service.composition import open_index
from ragqa.types import Article


def _generation(n: int) -> list[Article]:
    # Every article of generation n says n, so a result mixing generations would be visible.
    return [
        Article(doc_id=f"room{i}", title=f"Room {i}", source="api",
                text=f"Meeting room {i} belongs to generation {n}. It seats {i + 4} people.", sha256=f"{n}-{i}")
        for i in range(6)
    ]


def test_queries_during_repeated_publishes_all_succeed_from_one_version(settings_factory, embedder):
    settings = settings_factory(reload_poll_s=0.0)
    upsert_articles(_generation(0), settings=settings, embedder=embedder)
    manager = open_index(settings, embedder)
    failures: list[BaseException] = []
    mixed: list[set] = []
    seen_versions: set[str] = set()
    done = threading.Event()

    def query_loop():
        while not done.is_set():
            try:
                retriever = manager.retriever()
                hits = retriever.search("which generation does the meeting room belong to", k=6)
                generations = {h.chunk.text.split("generation ")[1].split(".")[0] for h in hits}
                seen_versions.add(retriever.version_id)
                if len(generations) != 1:
                    mixed.append(generations)
            except BaseException as exc:  # any failure is a test failure
                failures.append(exc)

    threads = [threading.Thread(target=query_loop) for _ in range(3)]
    for t in threads:
        t.start()
    try:
        for n in range(1, 6):
            upsert_articles(_generation(n), settings=settings, embedder=embedder)
    finally:
        done.set()
        for t in threads:
            t.join()
    assert not failures, failures[:3]
    assert not mixed, mixed[:3]
    assert len(seen_versions) >= 2, "queries should have observed several published versions"
