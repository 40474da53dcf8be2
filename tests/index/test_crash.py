"""A killed ingest (kill -9) at any moment leaves the previous version served and the next ingest completes."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time

import pytest

from index.ingest import ingest_paths
from index.store import IndexManager, IndexVersion, list_versions, read_pointer

pytestmark = [pytest.mark.integration, pytest.mark.slow]


def _write_corpus(folder, generation: int, n: int = 40):
    folder.mkdir(parents=True, exist_ok=True)
    for i in range(n):
        body = " ".join(f"Item {i} generation {generation} sentence {j} about storage rooms." for j in range(40))
        (folder / f"a{i:03}.md").write_text(f"---\ntitle: Article {i}\n---\n{body}\n", encoding="utf-8")


def _ingest_process(folder, index_dir):
    env = os.environ | {"RAGQA_INDEX_DIR": str(index_dir), "HF_HUB_OFFLINE": "1"}
    code = "import sys; from service.cli import main; sys.exit(main(sys.argv[1:]))"
    return subprocess.Popen([sys.executable, "-c", code, "ingest", str(folder), "--json"], env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def test_kill_9_at_random_points_never_loses_the_served_version(tmp_path, settings_factory, embedder):
    settings = settings_factory()
    docs = tmp_path / "docs"
    _write_corpus(docs, generation=0)
    ingest_paths([docs], settings=settings, embedder=embedder)
    good = read_pointer(settings.index_dir)

    rng = random.Random(7)
    versions_dir = settings.index_dir / "versions"
    for attempt in range(4):
        _write_corpus(docs, generation=attempt + 1)
        proc = _ingest_process(docs, settings.index_dir)
        if attempt == 3:  # kill while the new version's files are being written
            deadline = time.monotonic() + 120
            while time.monotonic() < deadline and not list(versions_dir.glob(".tmp-*")) and proc.poll() is None:
                time.sleep(0.005)
        else:
            time.sleep(rng.uniform(2.0, 9.0))
        if proc.poll() is None:
            proc.send_signal(signal.SIGKILL)
        proc.wait()
        pointer = read_pointer(settings.index_dir)
        assert pointer is not None
        # Whatever CURRENT names is complete and valid (checksums verified on open)...
        IndexVersion.open(versions_dir / pointer).close()
        # ...and still answers.
        hits = IndexManager(settings, embedder).retriever().search("storage rooms and keys", k=3)
        assert hits
        good = pointer

    final = ingest_paths([docs], settings=settings, embedder=embedder)
    assert final.version_id == read_pointer(settings.index_dir)
    assert not list(versions_dir.glob(".tmp-*")), "partial builds are cleaned by the next ingest"
    assert good in list_versions(settings.index_dir) or final.version_id == good
