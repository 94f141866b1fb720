"""``import_file``: a file imported batch by batch, one transaction per batch.

A batch is all-or-nothing, so an import killed half-way leaves whole batches
behind; re-running the file finds those records unchanged (content hashes) and
continues. The ``import_run`` row is committed first so quarantined rows can point
at it, and is closed with the counts at the end.
"""

from __future__ import annotations

import asyncio
import gc
import time
from collections import Counter, deque
from collections.abc import Callable
from contextlib import AsyncExitStack
from dataclasses import dataclass, field
from itertools import chain
from pathlib import Path
from typing import Any

import orjson

from cdp.db.engine import Database
from cdp.ingest.batch import check_source, ingest_batch
from cdp.ingest.columns import check_kind
from cdp.ingest.pg import driver
from cdp.ingest.pipeline import Batch, Preparer
from cdp.ingest.quarantine import quarantine
from cdp.ingest.readers import Chunk, SourceRow, csv_header, read_chunks
from cdp.ingest.rejects import RejectsWriter
from cdp.ingest.results import STATUSES, BatchResult, ItemResult

BATCH_SIZE = 10_000  # lines per batch and transaction
AHEAD = 2  # batches prepared in advance of the one being written
SAMPLE = 20  # rejected rows kept in the report for display


@dataclass
class ImportReport:
    run_id: int
    source: str
    kind: str
    path: Path
    read: int = 0
    counts: Counter[str] = field(default_factory=Counter)
    rejected_sample: list[ItemResult] = field(default_factory=list)
    switchboards: set[str] = field(default_factory=set)
    warnings: Counter[str] = field(default_factory=Counter)
    seconds: float = 0.0
    rejects_path: Path | None = None

    def summary(self) -> dict[str, int]:
        return {"read": self.read, **{s: self.counts.get(s, 0) for s in STATUSES}}

    def add(self, result: BatchResult) -> None:
        self.counts.update(result.counts())
        self.switchboards |= result.switchboards
        self.warnings.update(result.warnings)
        room = SAMPLE - len(self.rejected_sample)
        if room > 0:
            self.rejected_sample.extend(result.rejected[:room])


async def _start_run(db: Database, source: str, kind: str, origin: str) -> int:
    async with db.write_session() as session:
        pg = await driver(session)
        run_id: int = await pg.fetchval(
            "INSERT INTO import_run (source, kind, origin) VALUES ($1, $2, $3) RETURNING id",
            source,
            kind,
            origin,
        )
    return run_id


async def _finish_run(db: Database, report: ImportReport, status: str) -> None:
    counts: dict[str, Any] = report.summary() | dict(report.warnings)
    counts["switchboards"] = len(report.switchboards)
    async with db.write_session() as session:
        pg = await driver(session)
        await pg.execute(
            "UPDATE import_run SET status = $2, finished_at = now(), counts = $3::text::jsonb "
            "WHERE id = $1",
            report.run_id,
            status,
            orjson.dumps(counts).decode(),
        )


def _unreadable(row: SourceRow) -> ItemResult:
    key = row.values.get("source_key") or row.values.get("customer_key")
    return ItemResult(
        row.number, "rejected", str(key) if key else None, None, None, None, "row_invalid",
        row.error, row.values,
    )  # fmt: skip


async def _one_batch(db: Database, batch: Batch, report: ImportReport) -> BatchResult:
    bad = [_unreadable(r) for r in batch.unreadable]
    async with db.write_session() as session:
        # A file batch need not wait for its commit to reach disk: a crash can lose
        # the last few committed batches, which re-running the file imports again
        # (re-runs are idempotent). Only this transaction is affected.
        await (await driver(session)).execute("SET LOCAL synchronous_commit = off")
        result = await ingest_batch(
            session,
            source=report.source,
            kind=report.kind,
            rows=batch.values,
            run_id=report.run_id,
            row_numbers=batch.numbers,
            prepared=batch.prepared,
        )
        if bad:
            await quarantine(await driver(session), report.run_id, report.source, report.kind, bad)
    result.items = sorted([*result.items, *bad], key=lambda it: it.row_number)
    return result


async def import_file(
    db: Database,
    path: Path,
    *,
    source: str,
    kind: str,
    rejects_path: Path | None,
    progress: Callable[[int], None] | None,
    batch_size: int = BATCH_SIZE,
) -> ImportReport:
    """Import ``path``; rejected rows go to quarantine and, if given, ``rejects_path``."""
    check_kind(kind)
    source = check_source(source)
    started = time.perf_counter()
    chunks = read_chunks(path, kind, batch_size)
    first = next(chunks, None)  # reads and checks the header before anything is written
    run_id = await _start_run(db, source, kind, str(path))
    report = ImportReport(run_id, source, kind, path, rejects_path=rejects_path)
    rejects = RejectsWriter(rejects_path, csv_header(path)) if rejects_path else None
    # Batches keep tens of thousands of objects alive; collecting the young
    # generation every 700 allocations would traverse them over and over.
    thresholds = gc.get_threshold()
    gc.set_threshold(50_000, 20, 100)
    try:
        following = next(chunks, None)
        # A file of one chunk is done in-process; longer ones are parsed and
        # prepared by workers up to ``AHEAD`` batches in advance of the one being
        # written, so the workers keep busy through a slow write rather than wait
        # for the next chunk to be handed out.
        async with AsyncExitStack() as stack:
            preparer = None
            if following is not None:
                preparer = await stack.enter_async_context(Preparer(kind))
            queue: deque[asyncio.Future[Batch] | Batch] = deque()
            rest = chain([c for c in (first, following) if c is not None], chunks)
            while True:
                while len(queue) <= AHEAD:
                    more: Chunk | None = next(rest, None)
                    if more is None:
                        break
                    queue.append(preparer.submit(more) if preparer else Batch.of(more))
                if not queue:
                    break
                pending = queue.popleft()
                batch = pending if isinstance(pending, Batch) else await pending
                result = await _one_batch(db, batch, report)
                report.read += batch.size
                report.add(result)
                if rejects is not None:
                    rejects.write(result.rejected)
                if progress is not None:
                    progress(batch.size)
    except BaseException:
        await _finish_run(db, report, "failed")
        raise
    finally:
        gc.set_threshold(*thresholds)
        if rejects is not None:
            rejects.close()
    report.seconds = time.perf_counter() - started
    await _finish_run(db, report, "completed")
    return report
