"""Writes audit entries off the request path, in batches.

A request only appends its entry to memory; a background task writes what has
accumulated every ``flush_interval`` seconds, or as soon as ``batch_size`` entries
are waiting, with one COPY per batch. COPY is a single statement, so a batch is
written whole or not at all, whether or not the session has begun a transaction.

Nothing is ever dropped:

- the buffer is bounded (``capacity``); when it is full, ``record`` waits for the
  writer to make room (back-pressure). Requests that read sensitive data slow down
  while the database is unreachable rather than proceed unaudited, and memory stays
  bounded. Flushing synchronously instead would put a database round trip on the
  request path exactly when the database is struggling.
- a failed flush is logged and retried with capped exponential back-off; its
  entries stay at the head of the buffer until a write succeeds.
- ``aclose`` writes everything still buffered before returning. Only if a
  ``timeout`` is given and the database stays unreachable past it are the
  remaining entries given up on, and then each is logged at ERROR level in full
  and ``UnwrittenAuditEntries`` is raised, so they can be replayed from the logs.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import logging
from collections import deque
from collections.abc import Sequence
from types import TracebackType
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from cdp.db.engine import Database
from policies.audit.entry import COLUMNS, AuditEntry

log = logging.getLogger(__name__)


class UnwrittenAuditEntries(RuntimeError):
    """Shutdown gave up on entries the database would not take; each was logged."""

    def __init__(self, entries: Sequence[AuditEntry]) -> None:
        super().__init__(f"{len(entries)} audit entries were not written")
        self.entries = list(entries)


async def copy_entries(session: AsyncSession, entries: Sequence[AuditEntry]) -> None:
    """Write ``entries`` into ``audit_log`` with one COPY on the session's connection."""
    connection = await session.connection()
    raw = await connection.get_raw_connection()
    driver: Any = raw.driver_connection
    await driver.copy_records_to_table(
        "audit_log", records=[e.as_record() for e in entries], columns=COLUMNS
    )


class AuditWriter:
    """Buffers audit entries and writes them in batches from a background task.

    Use as ``async with AuditWriter(db) as writer`` or call ``start()`` and
    ``aclose()`` from the application's lifespan.
    """

    def __init__(
        self,
        db: Database,
        *,
        batch_size: int = 500,
        flush_interval: float = 0.2,
        capacity: int = 20_000,
        max_backoff: float = 5.0,
    ) -> None:
        if batch_size < 1 or capacity < batch_size:
            raise ValueError("need 1 <= batch_size <= capacity")
        self._db = db
        self._batch_size = batch_size
        self._interval = flush_interval
        self._capacity = capacity
        self._max_backoff = max_backoff
        self._pending: deque[AuditEntry] = deque()
        self._wake = asyncio.Event()  # flush now: a batch is full, or someone waits
        self._room = asyncio.Event()  # the buffer has space again
        self._room.set()
        self._drained = asyncio.Event()  # everything recorded so far is written
        self._task: asyncio.Task[None] | None = None
        self._closing = False
        self.written = 0
        self.failed_flushes = 0

    @property
    def pending(self) -> int:
        return len(self._pending)

    def start(self) -> None:
        if self._task is None:
            self._task = asyncio.create_task(self._run(), name="audit-writer")

    async def record(self, entry: AuditEntry) -> None:
        """Buffer ``entry``; returns at once unless the buffer is full (see module doc)."""
        self._check_running()
        while len(self._pending) >= self._capacity:
            self._room.clear()
            self._wake.set()
            await self._room.wait()
            self._check_running()
        self._pending.append(entry)
        if len(self._pending) >= self._batch_size:
            self._wake.set()

    def _check_running(self) -> None:
        # A closed writer refuses entries rather than buffer ones nobody will write.
        if self._closing or self._task is None or self._task.done():
            raise RuntimeError("the audit writer is not running")

    async def flush(self) -> None:
        """Wait until every entry recorded before this call is written."""
        self._check_running()
        while self._pending:
            self._drained.clear()
            self._wake.set()
            await self._drained.wait()

    async def aclose(self, timeout: float | None = None) -> None:
        """Write everything still buffered, then stop the background task."""
        if self._task is None:
            self.start()
        assert self._task is not None
        self._closing = True
        self._wake.set()
        self._room.set()  # wake waiting callers: they refuse now instead of hanging
        try:
            async with asyncio.timeout(timeout):
                await self._task
        except TimeoutError:
            lost = list(self._pending)
            for entry in lost:
                log.error(
                    "audit entry not written at shutdown",
                    extra={"audit_entry": dict(zip(COLUMNS, entry.as_record(), strict=True))},
                )
            raise UnwrittenAuditEntries(lost) from None

    async def __aenter__(self) -> AuditWriter:
        self.start()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.aclose()

    async def _run(self) -> None:
        while True:
            if not self._closing and len(self._pending) < self._batch_size:
                with contextlib.suppress(TimeoutError):
                    async with asyncio.timeout(self._interval):
                        await self._wake.wait()
            self._wake.clear()
            await self._drain()
            if self._closing and not self._pending:
                return

    async def _drain(self) -> None:
        """Write the buffer batch by batch; on failure, back off and retry the same batch."""
        attempt = 0
        while self._pending:
            batch = list(itertools.islice(self._pending, self._batch_size))
            try:
                async with self._db.write_session() as session:
                    await copy_entries(session, batch)
            except Exception:
                attempt += 1
                self.failed_flushes += 1
                delay = min(self._interval * 2**attempt, self._max_backoff)
                log.warning(
                    "audit flush of %d entries failed (attempt %d, %d pending); retry in %.2fs",
                    len(batch),
                    attempt,
                    len(self._pending),
                    delay,
                    exc_info=True,
                )
                await asyncio.sleep(delay)
                continue
            attempt = 0
            for _ in batch:
                self._pending.popleft()
            self.written += len(batch)
            if len(self._pending) < self._capacity:
                self._room.set()
        self._drained.set()
