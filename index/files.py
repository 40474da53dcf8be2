"""Files of an index directory: checksums, fsync, the CURRENT pointer, the one-writer lock, old versions.

Layout of an index directory:
    CURRENT                 the id of the version being served (replaced atomically with os.replace)
    versions/<id>/          one immutable version: manifest.json, vectors.f32, [dense.faiss], keyword/, meta.sqlite,
                            [sentences.*: sentence vectors pooled at ingest, index/sentence_vectors.py]
    versions/.tmp-<id>/     a version being built; never read; removed by the next writer
    .lock                   held by the one writer (ingest) at a time
"""

from __future__ import annotations

import contextlib
import contextvars
import hashlib
import os
import shutil
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

from ragqa.index.errors import IndexStoreError, WriterBusy

FORMAT_VERSION = 1  # of the files of a version (manifest.json records it)
CURRENT = "CURRENT"


VERSIONS = "versions"


KEEP_VERSIONS = 3  # older versions are pruned; readers holding one keep their open files (POSIX)


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def check_checksums(folder: Path, files: dict) -> None:
    """Every file's sha256 against the manifest, large files hashed in parallel (hashlib releases the GIL)."""
    from concurrent.futures import ThreadPoolExecutor

    names = sorted(files, key=lambda name: -files[name]["bytes"])
    with ThreadPoolExecutor(max_workers=max(1, min(4, os.cpu_count() or 1))) as pool:
        digests = dict(zip(names, pool.map(lambda name: sha256_file(folder / name), names), strict=True))
    for name in sorted(files):
        if digests[name] != files[name]["sha256"]:
            raise IndexStoreError(f"{folder / name} is damaged (checksum differs from the manifest).")


def fsync_file(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def write_bytes(path: Path, data: bytes | memoryview) -> None:
    with path.open("wb") as fh:
        fh.write(data)
        fh.flush()
        os.fsync(fh.fileno())


def write_pointer(index_dir: Path, version_id: str) -> None:
    """Swap CURRENT to `version_id` atomically: a reader sees the old or the new id, never a torn file."""
    tmp = index_dir / f".{CURRENT}.{uuid.uuid4().hex}"
    write_bytes(tmp, version_id.encode())
    os.replace(tmp, index_dir / CURRENT)
    fsync_dir(index_dir)


def read_pointer(index_dir: Path) -> str | None:
    try:
        return (index_dir / CURRENT).read_text().strip() or None
    except FileNotFoundError:
        return None


_WRITER_WAIT_S: contextvars.ContextVar[float] = contextvars.ContextVar("ragqa_writer_wait_s", default=600.0)


@contextlib.contextmanager
def writer_lock_wait(seconds: float) -> Iterator[None]:
    """Within this block (this thread or task), a WriterLock waits at most `seconds` for another writer.

    The API sets a short wait so a request never parks a server thread behind a long CLI ingest.
    """
    token = _WRITER_WAIT_S.set(seconds)
    try:
        yield
    finally:
        _WRITER_WAIT_S.reset(token)


class WriterLock:
    """One writer at a time per index directory (an exclusive flock, released by the kernel on a crash).

    timeout_s None: the wait set by writer_lock_wait(), else 600 s (a CLI ingest queues behind another).
    """

    def __init__(self, index_dir: Path, timeout_s: float | None = None):
        self.path = index_dir / ".lock"
        self.timeout_s = _WRITER_WAIT_S.get() if timeout_s is None else timeout_s
        self._fd: int | None = None

    def __enter__(self) -> WriterLock:
        import fcntl

        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        deadline = time.monotonic() + self.timeout_s
        while True:
            try:
                fcntl.flock(self._fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                return self
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    os.close(self._fd)
                    self._fd = None
                    raise WriterBusy(
                        f"Another ingest holds {self.path}; wait for it to finish and retry."
                    ) from None
                time.sleep(min(0.05, max(0.0, deadline - time.monotonic())))

    def __exit__(self, *exc) -> None:
        import fcntl

        if self._fd is not None:
            fcntl.flock(self._fd, fcntl.LOCK_UN)
            os.close(self._fd)
            self._fd = None


def cleanup_partial_builds(index_dir: Path) -> None:
    """Remove builds left by a killed ingest (call while holding the WriterLock)."""
    versions = index_dir / VERSIONS
    if versions.is_dir():
        for tmp in versions.glob(".tmp-*"):
            shutil.rmtree(tmp, ignore_errors=True)


def prune_versions(versions: Path, keep: set) -> None:
    done = sorted((p for p in versions.iterdir() if p.is_dir() and not p.name.startswith(".")), reverse=True)
    for old in done[KEEP_VERSIONS:]:
        if old.name not in keep:
            shutil.rmtree(old, ignore_errors=True)


def list_versions(index_dir: Path) -> list[str]:
    """Published version ids, newest first."""
    versions = index_dir / VERSIONS
    if not versions.is_dir():
        return []
    return sorted((p.name for p in versions.iterdir() if p.is_dir() and not p.name.startswith(".")), reverse=True)
