"""Normalising the next batch in a worker process while the current one is written.

On two cores the natural split is Python normalisation in one process and the
database work (with identity resolution, which needs the database) in the other.
A chunk of the file travels to a worker as the bytes read; the worker parses it and
sends back the line numbers, the unreadable rows and ``prepare_rows`` output
(flattened for the trip, see ``prepare_for_transfer``), so nothing bound to a
connection or session crosses the process boundary, and the writing process neither
parses rows nor pickles them.

The worker is forked: it starts at once with every module already imported (a
spawned interpreter would spend a noticeable share of a typical import re-importing
them), and it touches nothing it inherits but the code and the cipher. It freezes
the inherited objects out of garbage collection, whose passes over them would
otherwise copy the parent's memory page by page, and lowers its own priority
(``NICENESS``).
"""

from __future__ import annotations

import asyncio
import gc
import multiprocessing
import os
from collections.abc import Iterator, Mapping, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from datetime import date
from types import TracebackType

from cdp.ingest.prepare import Prepared, prepare_for_transfer, received
from cdp.ingest.readers import Chunk, SourceRow, split_chunk

WORKERS = 2
# Workers run at a lower priority than the process writing to the database. That
# process and its database backend are the import's critical path (each batch is
# written only after the one before it); the workers, batches ahead, can give up a
# core for the moments the writer needs it and catch up while it waits.
NICENESS = 10


@dataclass
class Batch:
    """Rows to ingest in one transaction: the readable rows' values and line numbers,
    the rows that could not be read, and what a worker made of the readable ones."""

    values: Sequence[Mapping[str, object]]
    numbers: list[int]
    unreadable: list[SourceRow]
    prepared: Prepared | None = None

    @property
    def size(self) -> int:
        return len(self.numbers) + len(self.unreadable)

    @classmethod
    def of(cls, chunk: Chunk) -> Batch:
        """A chunk parsed in this process, to be prepared here too."""
        numbers, values, unreadable = split_chunk(chunk)
        return cls(values, numbers, unreadable)


class ParsedOnDemand(Sequence[Mapping[str, object]]):
    """The readable rows' values of chunks a worker parsed, parsed again here only if
    asked for: results quote a row's values only when it is rejected."""

    def __init__(self, chunks: Sequence[Chunk], count: int) -> None:
        self._chunks = chunks
        self._count = count
        self._values: list[dict[str, object]] | None = None

    def __len__(self) -> int:
        return self._count

    def __getitem__(self, index: int) -> Mapping[str, object]:  # type: ignore[override]
        if self._values is None:
            self._values = [v for c in self._chunks for v in split_chunk(c)[1]]
        return self._values[index]

    def __iter__(self) -> Iterator[Mapping[str, object]]:
        return (self[i] for i in range(self._count))


def _start_worker() -> None:
    gc.freeze()
    os.nice(NICENESS)


def prepare_chunk(
    kind: str, chunk: Chunk, today: date
) -> tuple[list[int], list[SourceRow], Prepared]:
    """In a worker: a chunk parsed and its readable rows prepared for the trip back."""
    numbers, values, unreadable = split_chunk(chunk)
    return numbers, unreadable, prepare_for_transfer(kind, values, today)


class Preparer:
    """Worker processes that prepare batches; ``async with`` shuts them down cleanly.

    Each chunk is split between two workers. Parsing and normalising are the largest
    share of the CPU an import needs, and the process writing to the database mostly
    waits on it: two workers let the scheduler put that share wherever a core is free
    rather than leave the whole of it to one process.
    """

    def __init__(self, kind: str) -> None:
        self.kind = kind
        self._pool: ProcessPoolExecutor | None = None

    async def __aenter__(self) -> Preparer:
        self._pool = ProcessPoolExecutor(
            WORKERS, mp_context=multiprocessing.get_context("fork"), initializer=_start_worker
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

    def submit(self, chunk: Chunk) -> asyncio.Future[Batch]:
        """Start preparing ``chunk``; await the batch when its turn comes."""
        if self._pool is None:
            raise RuntimeError("the preparer is not running")
        loop, today = asyncio.get_running_loop(), date.today()
        halves = chunk.halves()
        parts = [
            loop.run_in_executor(self._pool, prepare_chunk, self.kind, half, today)
            for half in halves
        ]
        return asyncio.ensure_future(_joined(self.kind, halves, parts))


async def _joined(
    kind: str,
    halves: Sequence[Chunk],
    parts: list[asyncio.Future[tuple[list[int], list[SourceRow], Prepared]]],
) -> Batch:
    numbers: list[int] = []
    unreadable: list[SourceRow] = []
    prepared: Prepared = []
    for part_numbers, part_unreadable, part in await asyncio.gather(*parts):
        numbers += part_numbers
        unreadable += part_unreadable
        prepared += received(kind, part)
    return Batch(ParsedOnDemand(halves, len(numbers)), numbers, unreadable, prepared)
