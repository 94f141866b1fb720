"""Audit trail cost: on the request path, and when rows reach the database.

1. Per request: a synthetic request (build a page of 20 customers and mask their
   phones, then yield to the event loop as a request awaiting I/O would) without
   auditing, and the same request also making an ``AuditEntry`` and handing it to
   a running ``AuditWriter``. Shown: wall time per request, which includes the
   background flushes sharing the event loop, and of it the time spent making the
   entry and inside ``record()``.
2. Writing N rows: the writer's COPY in batches, a multi-row INSERT per batch,
   an executemany INSERT, and one INSERT with its own commit per row (what
   auditing inside each request would cost). The last runs on a tenth of the rows.
3. The whole request: the customer-360 list (50 customers with profile, holdings →
   product and tags, as ``bench_api.py`` asks it) sent in-process through the app
   (httpx's ASGI transport, no sockets), one request at a time, as an admin who
   reads annual income and holdings in clear. Audit off (recording and gathering
   patched out) and on alternate request by request, so a slow spell of a shared
   machine hits both alike.

    .venv/bin/python bench/bench_audit.py [--requests 50000] [--rows 50000] \
        [--customers 2000] [--http-requests 200] [--rounds 5]

Uses a fresh database on ``CDP_BENCH_DATABASE_URL`` (default: the local server).
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import os
import time
from collections.abc import Awaitable, Callable

from http_audit import print_whole_requests, whole_requests
from rich.console import Console
from rich.table import Table
from scratch import scratch_database
from sqlalchemy import insert, text
from sqlalchemy.ext.asyncio import create_async_engine

from cdp.db.engine import Database
from cdp.db.models import AuditLog
from cdp.principal import Principal
from cdp.seed import seed_database
from policies.audit import AuditEntry, AuditWriter
from policies.audit.entry import COLUMNS
from policies.audit.writer import copy_entries

CALLER = Principal(subject="advisor-workbench", kind="jwt", roles=frozenset({"advisor"}))
FIELDS = ("Customer.name", "Customer.phone", "Customer.idNumber")


def synthetic_request(n: int) -> tuple[list[dict[str, object]], list[int]]:
    """The in-memory work of one page request, audited or not."""
    ids = list(range(n * 20, n * 20 + 20))
    page = [{"id": i, "name": f"客户{i}", "phone": f"139{i:08d}"} for i in ids]
    for row in page:
        phone = str(row["phone"])
        row["phone"] = f"{phone[:3]}****{phone[-4:]}"
    return page, ids


def entry_for(n: int, ids: list[int]) -> AuditEntry:
    return AuditEntry.of(
        CALLER,
        operation="CustomerPage",
        field_paths=FIELDS,
        customer_ids=ids,
        policy_version="bench",
        request_id=f"req-{n}",
    )


async def per_request(db: Database, requests: int) -> list[tuple[str, float, float]]:
    t0 = time.perf_counter()
    for n in range(requests):
        synthetic_request(n)
        await asyncio.sleep(0)
    baseline = (time.perf_counter() - t0) / requests

    in_entry = in_record = 0.0
    async with AuditWriter(db) as writer:
        t0 = time.perf_counter()
        for n in range(requests):
            _, ids = synthetic_request(n)
            e0 = time.perf_counter()
            entry = entry_for(n, ids)
            r0 = time.perf_counter()
            await writer.record(entry)
            r1 = time.perf_counter()
            in_entry += r0 - e0
            in_record += r1 - r0
            await asyncio.sleep(0)
        audited = (time.perf_counter() - t0) / requests
    in_entry, in_record = in_entry / requests, in_record / requests
    return [
        ("request without auditing", baseline, 0.0),
        ("request + audit, flushes included", audited, audited - baseline),
        ("  making the AuditEntry", in_entry, in_entry),
        ("  record()", in_record, in_record),
    ]


async def clear(db: Database) -> None:
    async with db.write_session() as s:
        await s.execute(text("TRUNCATE audit_log"))


async def timed(db: Database, work: Callable[[], Awaitable[None]]) -> float:
    await clear(db)
    t0 = time.perf_counter()
    await work()
    return time.perf_counter() - t0


async def writes(db: Database, rows: int, batch: int) -> list[tuple[str, int, float]]:
    entries = [entry_for(n, list(range(n * 20, n * 20 + 20))) for n in range(rows)]
    batches = [entries[i : i + batch] for i in range(0, rows, batch)]
    dicts = [dict(zip(COLUMNS, e.as_record(), strict=True)) for e in entries]

    async def copy() -> None:
        for b in batches:
            async with db.write_session() as s:
                await copy_entries(s, b)

    async def multi_row() -> None:
        for i in range(0, rows, batch):
            async with db.write_session() as s:
                await s.execute(insert(AuditLog).values(dicts[i : i + batch]))

    async def executemany() -> None:
        for i in range(0, rows, batch):
            async with db.write_session() as s:
                await s.execute(insert(AuditLog), dicts[i : i + batch])

    single = rows // 10

    async def row_by_row() -> None:
        for d in dicts[:single]:
            async with db.write_session() as s:
                await s.execute(insert(AuditLog), d)

    async def writer() -> None:
        async with AuditWriter(db, batch_size=batch) as w:
            for e in entries:
                await w.record(e)

    return [
        (f"COPY, batches of {batch} (the writer's write)", rows, await timed(db, copy)),
        (f"multi-row INSERT, batches of {batch}", rows, await timed(db, multi_row)),
        (f"executemany INSERT, batches of {batch}", rows, await timed(db, executemany)),
        ("INSERT + commit per row (audit in request)", single, await timed(db, row_by_row)),
        ("AuditWriter end to end, record() to aclose()", rows, await timed(db, writer)),
    ]


async def main(args: argparse.Namespace) -> None:
    os.environ.setdefault("CDP_ENCRYPTION_KEY", base64.urlsafe_b64encode(os.urandom(32)).decode())
    async with scratch_database() as url:
        db = Database(create_async_engine(url, pool_size=2))
        try:
            request_rows = await per_request(db, args.requests)
            write_rows = await writes(db, args.rows, args.batch)
            await clear(db)
            await seed_database(db, customers=args.customers, seed=42)
        finally:
            await db.dispose()
        http = await whole_requests(url, args.http_requests, args.rounds)

    console = Console()
    table = Table(title=f"cost per request ({args.requests} requests)")
    for column in ("request", "µs / request", "overhead µs"):
        table.add_column(column, justify="right")
    for label, seconds, overhead in request_rows:
        table.add_row(label, f"{seconds * 1e6:.2f}", f"{overhead * 1e6:+.2f}")
    console.print(table)
    table = Table(title="writing audit rows (20 customer ids and 3 field paths each)")
    for column in ("method", "rows", "seconds", "rows / s", "× row-by-row"):
        table.add_column(column, justify="right")
    slowest = write_rows[3][1] / write_rows[3][2]
    for label, count, seconds in write_rows:
        rate = count / seconds
        table.add_row(label, str(count), f"{seconds:.3f}", f"{rate:,.0f}", f"{rate / slowest:.1f}")
    console.print(table)
    print_whole_requests(console, http, args)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--requests", type=int, default=50_000)
    parser.add_argument("--rows", type=int, default=50_000)
    parser.add_argument("--batch", type=int, default=500)
    parser.add_argument("--customers", type=int, default=2000)
    parser.add_argument("--http-requests", type=int, default=200)
    parser.add_argument("--rounds", type=int, default=5)
    asyncio.run(main(parser.parse_args()))
