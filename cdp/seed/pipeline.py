"""The customer phase: chunks built in worker processes, loaded as they arrive.

While PostgreSQL copies chunk *n* and builds its transactions and interactions,
the workers are already building the next chunks, so on a two-core machine both
cores stay busy: one or two Python generators and one database backend.
"""

from __future__ import annotations

import asyncio
import multiprocessing
import time
from collections import deque
from collections.abc import AsyncIterator
from concurrent.futures import Future, ProcessPoolExecutor

import asyncpg

from cdp.crypto import Cipher
from cdp.seed import activity, loader, textcopy
from cdp.seed.chunk import CHUNK_SIZE, EncodedChunk, Plan, build_encoded_chunk
from cdp.seed.consents import consents
from cdp.seed.people import unique_id_number
from cdp.seed.report import Progress, SeedReport

_COLUMNS = {
    "customer": loader.CUSTOMER_COLUMNS, "household": loader.HOUSEHOLD_COLUMNS,
    "household_member": loader.MEMBER_COLUMNS, "holding": loader.HOLDING_COLUMNS,
    "seed_profile": loader.PROFILE_COLUMNS,
}  # fmt: skip


async def load_customers(
    conn: asyncpg.Connection, plan: Plan, report: SeedReport, notify: Progress, workers: int
) -> list[tuple[float, int]]:
    """Load every chunk with its activity; return (onboarded epoch, id) for referrals."""
    cipher = Cipher.from_master_key(plan.master_key)
    taken: set[str] = set()
    onboarded: list[tuple[float, int]] = []
    done = 0
    notify("customers", 0, plan.customers)
    chunks = _chunks(plan, workers)
    while True:
        waited = time.perf_counter()
        chunk = await anext(chunks, None)
        # Time spent waiting for the generator processes (not overlapped with loading).
        report.add("generate (waiting for workers)", 0, time.perf_counter() - waited)
        if chunk is None:
            break
        _dedupe_id_numbers(chunk, cipher, taken)
        payloads = {"customer": b"".join(chunk.customers), **chunk.tables}
        for table, data in payloads.items():
            started = time.perf_counter()
            await loader.copy_text(conn, table, _COLUMNS[table], data)
            report.add(table, chunk.counts[table], time.perf_counter() - started)
        await _activity(conn, plan, report, chunk)
        onboarded.extend(chunk.onboarded)
        done += chunk.counts["customer"]
        notify("customers", done, plan.customers)
    report.rows.pop("seed_profile", None)
    report.rows.pop("generate (waiting for workers)", None)
    return onboarded


async def _activity(
    conn: asyncpg.Connection, plan: Plan, report: SeedReport, chunk: EncodedChunk
) -> None:
    lo = chunk.index * CHUNK_SIZE + 1
    hi = lo + chunk.counts["customer"] - 1
    started = time.perf_counter()
    events, current = await consents(conn, plan.seed, plan.now, lo, hi)
    report.add("consent_event", events, time.perf_counter() - started)
    report.add("consent", current)
    started = time.perf_counter()
    rows = await activity.transactions(conn, plan.seed, lo, hi)
    report.add("transaction", rows, time.perf_counter() - started)
    started = time.perf_counter()
    rows = await activity.events(conn, plan.seed, lo, hi, len(plan.products))
    report.add("interaction_event", rows, time.perf_counter() - started)


def _dedupe_id_numbers(chunk: EncodedChunk, cipher: Cipher, taken: set[str]) -> None:
    """Chunks draw ID numbers independently; bump the rare clash to a free sequence."""
    for i, number in enumerate(chunk.id_numbers):
        unique = unique_id_number(number, taken)
        if unique != number:
            fields = chunk.customers[i].split(b"\t")
            fields[6] = textcopy.field(cipher.encrypt(unique)).encode()
            fields[7] = textcopy.field(cipher.keyed_hash(unique)).encode()
            chunk.customers[i] = b"\t".join(fields)


async def _chunks(plan: Plan, workers: int) -> AsyncIterator[EncodedChunk]:
    """Chunks in index order; built in worker processes when there is more than one."""
    if workers <= 1 or plan.chunks == 1:
        for index in range(plan.chunks):
            yield build_encoded_chunk(plan, index)
        return
    # spawn, not fork: the parent runs an event loop and open sockets.
    ctx = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(workers, mp_context=ctx) as pool:
        pending: deque[Future[EncodedChunk]] = deque()
        submitted = 0
        while submitted < plan.chunks or pending:
            while submitted < plan.chunks and len(pending) < workers + 1:
                pending.append(pool.submit(build_encoded_chunk, plan, submitted))
                submitted += 1
            yield await asyncio.wrap_future(pending.popleft())
