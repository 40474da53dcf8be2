"""Run a coroutine to completion from a synchronous test, whatever loop the thread already has.

Playwright's sync API (the browser tests) leaves an event loop running in the main thread, where
`asyncio.run` refuses to start; a worker thread has none.
"""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor


def run_async(coro):
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, coro).result()
