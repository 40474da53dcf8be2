"""Named points in the publish path where a test can kill the process (SIGKILL), to prove crash safety.

Inert unless RAGQA_TEST_CRASH_AT names a point: then the process writes the point's name to the file named by
RAGQA_TEST_CRASH_MARKER (if set, so the test can tell where it died) and kills itself with SIGKILL, which no
handler, `finally` or atexit hook can intercept, as with a power cut or the OOM killer.
"""

from __future__ import annotations

import os
import signal

ENV = "RAGQA_TEST_CRASH_AT"
MARKER_ENV = "RAGQA_TEST_CRASH_MARKER"

# In the order publish_version reaches them.
POINTS = (
    "before-write",  # the chunks are embedded; nothing of the new version is on disk yet
    "files-written",  # the new version's data files are written, not yet fsynced, checksummed nor validated
    "validated",  # the new version is complete and validated, still under its temporary name
    "renamed",  # the new version has its final name; CURRENT still names the previous one
    "swapped",  # CURRENT names the new version
)


def crash_point(name: str) -> None:
    """Die here, by SIGKILL, when RAGQA_TEST_CRASH_AT is `name`; otherwise do nothing."""
    if os.environ.get(ENV) == name:
        _die(name)


def _die(name: str) -> None:
    marker = os.environ.get(MARKER_ENV)
    if marker:
        fd = os.open(marker, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        try:
            os.write(fd, f"{name} {os.getpid()}\n".encode())
            os.fsync(fd)
        finally:
            os.close(fd)
    os.kill(os.getpid(), signal.SIGKILL)
