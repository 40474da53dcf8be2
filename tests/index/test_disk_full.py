"""Disk full during ingest: a clear error, the previous version still served, no partial version left."""

from __future__ import annotations

import subprocess

import pytest

from ragqa.index.errors import IndexStoreError
from ragqa.index.files import read_pointer
from ragqa.index.ingest import ingest_paths
from ragqa.service.composition import open_index

pytestmark = pytest.mark.integration


@pytest.fixture
def small_fs(tmp_path):
    mount = tmp_path / "small"
    mount.mkdir()
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", str(mount)], capture_output=True)
    if done.returncode != 0:
        pytest.skip(f"cannot mount a small tmpfs here: {done.stderr.decode().strip()}")
    yield mount
    subprocess.run(["umount", "-l", str(mount)], check=False)


def test_disk_full_mid_write_keeps_the_previous_version(tmp_path, small_fs, settings_factory, embedder):
    settings = settings_factory(index_dir=small_fs / "index")
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "first.md").write_text("---\ntitle: Lockers\n---\nLockers are on level two; keys at reception.\n")
    first = ingest_paths([docs], settings=settings, embedder=embedder)

    # Enough distinct text that the new version cannot fit in the 1 MB filesystem (~400 chunks).
    for i in range(40):
        text = " ".join(f"Shelf {i}-{j} holds archive boxes for project {i * 1000 + j}." for j in range(150))
        (docs / f"bulk{i:03}.md").write_text(f"---\ntitle: Bulk {i}\n---\n{text}\n")
    with pytest.raises(IndexStoreError, match="Disk full"):
        ingest_paths([docs], settings=settings, embedder=embedder)

    assert read_pointer(settings.index_dir) == first.version_id
    assert not list((settings.index_dir / "versions").glob(".tmp-*")), "no partial version left behind"
    hits = open_index(settings, embedder).retriever().search("where are the lockers", k=1)
    assert hits[0].doc_id == "first"
