"""Errors of the index store: each message names the file and the fix."""

from __future__ import annotations


class IndexStoreError(RuntimeError):
    """The index on disk is missing, damaged or incompatible; the message names the file and the fix."""


class IndexNotReady(IndexStoreError):
    """No usable index version is available yet."""


class IndexMismatch(IndexStoreError):
    """The index was built with another embedding model than the one configured."""


class WriterBusy(IndexStoreError):
    """Another writer (an ingest, another server's PUT) held the writer lock for longer than the wait allowed."""


class ClusterError(IndexStoreError):
    """An ingest on a Ray cluster could not run or finish; nothing was published (the message says what to do)."""
