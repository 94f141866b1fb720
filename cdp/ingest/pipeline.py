"""Normalising the next batch in a worker process while the current one is written.

On two cores the natural split is Python normalisation in one process and the
database work (with identity resolution, which needs the database) in the other.
Rows travel to the worker as plain dicts and come back as ``prepare_rows`` output,
so nothing bound to a connection or session crosses the process boundary.

The worker is forked: it starts at once with every module already imported (a
spawned interpreter would spend a noticeable share of a typical import re-importing
them), and it touches nothing it inherits but the code and the cipher. It freezes
the inherited objects out of garbage collection, whose passes over them would
otherwise copy the parent's memory page by page.
"""

from __future__ import annotations

import asyncio
import gc
import multiprocessing
from collections.abc import Mapping, Sequence
from concurrent.futures import ProcessPoolExecutor
from datetime import date
from functools import partial
from types import TracebackType

from cdp.ingest.prepare import Prepared, prepare_rows


class Preparer:
    """One worker process that prepares batches; ``async with`` shuts it down cleanly."""

    def __init__(self, kind: str) -> None:
        self.kind = kind
        self._pool: ProcessPoolExecutor | None = None

    async def __aenter__(self) -> Preparer:
        self._pool = ProcessPoolExecutor(
            1, mp_context=multiprocessing.get_context("fork"), initializer=gc.freeze
        )
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if self._pool is not None:
            # Waits for a batch still being prepared (at most one), so the process
            # is joined before the import returns or raises.
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None

    def submit(self, rows: Sequence[Mapping[str, object]]) -> asyncio.Future[Prepared]:
        """Start preparing ``rows``; await the result when the batch's turn comes."""
        if self._pool is None:
            raise RuntimeError("the preparer is not running")
        job = partial(prepare_rows, self.kind, list(rows), date.today(), seal=True)
        return asyncio.get_running_loop().run_in_executor(self._pool, job)
