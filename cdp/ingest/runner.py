"""``import_file``: a file imported batch by batch, one transaction per batch.

A batch is all-or-nothing, so an import killed half-way leaves whole batches
behind; re-running the file finds those records unchanged (content hashes) and
continues. The ``import_run`` row is committed first so quarantined rows can point
at it, and is closed with the counts at the end: ``completed``, or ``failed`` on
any error; a run whose process was killed is marked by the next one (see
``cdp.ingest.runs``).
"""

from __future__ import annotations

import asyncio
import gc
import time
from collections import Counter, deque
from collections.abc import Callable, Iterator
from contextlib import AsyncExitStack
from dataclasses import dataclass, field
from itertools import chain
from pathlib import Path
from typing import Any

from cdp.db.engine import Database
from cdp.ingest.batch import check_source, ingest_batch
from cdp.ingest.columns import check_kind
from cdp.ingest.encodings import DEFAULT, check_encoding
from cdp.ingest.pg import driver
from cdp.ingest.pipeline import Batch, Preparer
from cdp.ingest.quarantine import quarantine
from cdp.ingest.readers import Chunk, SourceRow, check_decodes, csv_header, read_chunks
from cdp.ingest.rejects import RejectsWriter
from cdp.ingest.results import STATUSES, BatchResult, ItemResult
from cdp.ingest.runs import finish_run, held_run, reap_abandoned

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


def _counts(report: ImportReport) -> dict[str, Any]:
    counts: dict[str, Any] = report.summary() | dict(report.warnings)
    counts["switchboards"] = len(report.switchboards)
    return counts


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
    encoding: str = DEFAULT,
) -> ImportReport:
    """Import ``path``; rejected rows go to quarantine and, if given, ``rejects_path``."""
    check_kind(kind)
    source = check_source(source)
    encoding = check_encoding(encoding)
    started = time.perf_counter()
    chunks = read_chunks(path, kind, batch_size, encoding)
    first = next(chunks, None)  # reads and checks the header before anything is written
    if first is not None:
        # A file in another encoding usually shows in its first rows: say so before
        # a run is recorded (a later chunk that does not decode fails the run).
        check_decodes(first)
    await reap_abandoned(db)
    async with held_run(db, source, kind, str(path)) as run_id:
        report = ImportReport(run_id, source, kind, path, rejects_path=rejects_path)
        try:
            await _run(db, report, first, chunks, encoding, progress)
        except BaseException:
            await finish_run(db, run_id, "failed", _counts(report))
            raise
        report.seconds = time.perf_counter() - started
        await finish_run(db, run_id, "completed", _counts(report))
    return report


async def _run(
    db: Database,
    report: ImportReport,
    first: Chunk | None,
    chunks: Iterator[Chunk],
    encoding: str,
    progress: Callable[[int], None] | None,
) -> None:
    rejects = None
    if report.rejects_path is not None:
        header = list(first.header or []) if first is not None else None
        if header is None:
            header = csv_header(report.path, report.kind, encoding)
        rejects = RejectsWriter(report.rejects_path, header)
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
                preparer = await stack.enter_async_context(Preparer(report.kind))
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
    finally:
        gc.set_threshold(*thresholds)
        if rejects is not None:
            rejects.close()
