"""Normalising the next batch in a worker process while the current one is written.

On two cores the natural split is Python normalisation in one process and the
database work (with identity resolution, which needs the database) in the other.
Rows travel to the worker as plain dicts and come back as ``prepare_rows`` output
(flattened for the trip, see ``prepare_for_transfer``), so nothing bound to a
connection or session crosses the process boundary.

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

from cdp.ingest.prepare import Prepared, prepare_for_transfer, received

WORKERS = 2


class Preparer:
    """Worker processes that prepare batches; ``async with`` shuts them down cleanly.

    Each batch is split between two workers. Normalising is the largest share of the
    CPU an import needs, and the process writing to the database mostly waits on it:
    two workers let the scheduler put that share wherever a core is free rather than
    leave the whole of it to one process.
    """

    def __init__(self, kind: str) -> None:
        self.kind = kind
        self._pool: ProcessPoolExecutor | None = None

    async def __aenter__(self) -> Preparer:
        self._pool = ProcessPoolExecutor(
            WORKERS, mp_context=multiprocessing.get_context("fork"), initializer=gc.freeze
        )
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if self._pool is not None:
            # Waits for a batch still being prepared (at most one), so the processes
            # are joined before the import returns or raises.
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None

    def submit(self, rows: Sequence[Mapping[str, object]]) -> asyncio.Future[Prepared]:
        """Start preparing ``rows``; await the result when the batch's turn comes."""
        if self._pool is None:
            raise RuntimeError("the preparer is not running")
        loop, today, rows = asyncio.get_running_loop(), date.today(), list(rows)
        half = (len(rows) + 1) // 2
        parts = [
            loop.run_in_executor(self._pool, partial(prepare_for_transfer, self.kind, part, today))
            for part in (rows[:half], rows[half:])
        ]
        return asyncio.ensure_future(_joined(self.kind, parts))


async def _joined(kind: str, parts: list[asyncio.Future[Prepared]]) -> Prepared:
    out: Prepared = []
    for part in await asyncio.gather(*parts):
        out.extend(received(kind, part))
    return out
