"""WriteGate: index writes (PUT/DELETE /v1/documents) that can never starve reads.

Writes run on their own few threads, not the shared pool that serves searches and health checks; at most
`max_pending` are admitted per process (more get 503 at once), and each waits at most `lock_wait_s` for the
index's writer lock (held by a CLI ingest, say) before answering 503 with Retry-After.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

import anyio
import anyio.to_thread

from ragqa.service.api.errors import ApiError

T = TypeVar("T")

_RETRY_AFTER_S = 5


class WriteGate:
    def __init__(self, *, max_pending: int, lock_wait_s: float):
        self.max_pending = max_pending
        self.lock_wait_s = lock_wait_s
        self._pending = 0  # touched on the event loop only
        self._threads: anyio.CapacityLimiter | None = None  # created on the loop that uses it

    async def run(self, work: Callable[[], T]) -> T:
        """`work()` on a write thread with the short writer-lock wait; ApiError 503 when busy."""
        from ragqa.index.errors import WriterBusy
        from ragqa.index.files import writer_lock_wait

        if self._pending >= self.max_pending:
            raise _busy(f"{self.max_pending} index writes are already waiting in this server")
        if self._threads is None:
            self._threads = anyio.CapacityLimiter(self.max_pending)
        self._pending += 1
        try:
            def bounded() -> T:
                with writer_lock_wait(self.lock_wait_s):
                    return work()

            return await anyio.to_thread.run_sync(bounded, limiter=self._threads)
        except WriterBusy:
            raise _busy(f"another writer (an ingest) held the index for over {self.lock_wait_s:g} s") from None
        finally:
            self._pending -= 1


def _busy(why: str) -> ApiError:
    return ApiError(503, f"The index is busy: {why}. Retry after {_RETRY_AFTER_S} s.",
                    headers={"Retry-After": str(_RETRY_AFTER_S)})
