"""An ingest killed by SIGKILL at each named point of the publish path leaves a valid version serving: the
previous one before the CURRENT swap, the new one after it; the next ingest then completes."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys

import pytest

from ragqa.index.crash_points import ENV, MARKER_ENV, POINTS, crash_point
from ragqa.index.files import VERSIONS, list_versions, read_pointer
from ragqa.index.ingest import ingest_paths
from ragqa.index.reader import IndexVersion
from ragqa.service.composition import open_index
from ragqa.settings import Settings


def _write_corpus(folder, generation: int, n: int = 12):
    folder.mkdir(parents=True, exist_ok=True)
    for i in range(n):
        body = " ".join(f"Item {i} generation{generation} sentence {j} about storage rooms." for j in range(30))
        (folder / f"a{i:03}.md").write_text(f"---\ntitle: Article {i}\n---\n{body}\n", encoding="utf-8")


@pytest.fixture(scope="module")
def served(tmp_path_factory, embedder):
    """An index of generation 0 of the corpus, built once; each test works on its own copy."""
    root = tmp_path_factory.mktemp("crash-base")
    _write_corpus(root / "docs", generation=0)
    settings = Settings(index_dir=root / "index", data_dir=root / "data")
    ingest_paths([root / "docs"], settings=settings, embedder=embedder)
    return root / "index"


def _generation_served(settings, embedder) -> set[str]:
    hits = open_index(settings, embedder).retriever().search("storage rooms", k=5)
    assert hits, "the index serves no passages"
    return {word for hit in hits for word in hit.chunk.text.split() if word.startswith("generation")}


@pytest.mark.integration
@pytest.mark.slow
@pytest.mark.parametrize("point", POINTS)
def test_sigkill_at_each_publish_point_leaves_a_valid_version_serving(point, served, tmp_path, settings_factory,
                                                                      embedder):
    settings = settings_factory()
    shutil.copytree(served, settings.index_dir)
    before = read_pointer(settings.index_dir)
    docs = tmp_path / "docs"
    _write_corpus(docs, generation=1)
    marker = tmp_path / "crashed-at"
    env = os.environ | {"RAGQA_INDEX_DIR": str(settings.index_dir), "RAGQA_DATA_DIR": str(settings.data_dir),
                        ENV: point, MARKER_ENV: str(marker)}
    code = "import sys; from ragqa.service.cli import main; sys.exit(main(sys.argv[1:]))"
    done = subprocess.run([sys.executable, "-c", code, "ingest", str(docs), "--json"], env=env,
                          capture_output=True, text=True, timeout=600)

    # It died by SIGKILL, at that point and nowhere else.
    assert done.returncode == -signal.SIGKILL, (done.returncode, done.stdout, done.stderr[-2000:])
    assert marker.read_text().split()[0] == point

    after = read_pointer(settings.index_dir)
    if point == "swapped":
        assert after != before and after in list_versions(settings.index_dir)
    else:
        assert after == before
    IndexVersion.open(settings.index_dir / VERSIONS / after).close()  # complete: counts and checksums verified
    assert _generation_served(settings, embedder) == {"generation1" if point == "swapped" else "generation0"}

    final = ingest_paths([docs], settings=settings, embedder=embedder)
    assert final.version_id == read_pointer(settings.index_dir)
    assert not list((settings.index_dir / VERSIONS).glob(".tmp-*")), "partial builds are cleaned by the next ingest"
    assert _generation_served(settings, embedder) == {"generation1"}


def test_crash_points_are_inert_unless_named(monkeypatch, tmp_path):
    marker = tmp_path / "crashed-at"
    monkeypatch.setenv(MARKER_ENV, str(marker))
    monkeypatch.delenv(ENV, raising=False)
    for point in POINTS:
        crash_point(point)  # still alive
    monkeypatch.setenv(ENV, "some-other-point")
    crash_point(POINTS[0])
    assert not marker.exists()
