"""How fast ``cdp seed`` fills a database, next to a plain COPY of the same customers.

Creates a fresh database on the server named by ``CDP_BENCH_DATABASE_URL``, seeds
it, then copies the seeded customer rows (already encoded, so no generation cost)
into a bare copy of the customer table: the gap between the two customer rows/s
figures is what generating people, encrypting ID numbers and keeping the related
tables consistent costs. The database is dropped afterwards.

    .venv/bin/python bench/bench_seed.py --customers 1000000
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import io
import os
import secrets
import time

import asyncpg
from rich.console import Console
from rich.table import Table
from scratch import plain_dsn, scratch_database
from sqlalchemy.ext.asyncio import create_async_engine

from cdp.db.engine import Database
from cdp.seed import SeedReport, seed_database

console = Console()


async def _baseline(dsn: str) -> tuple[int, float]:
    """Rows and seconds of a plain COPY of the seeded customers into a bare table."""
    conn = await asyncpg.connect(dsn)
    try:
        buffer = io.BytesIO()
        await conn.copy_from_table("customer", output=buffer)
        rows = await conn.fetchval("SELECT count(*) FROM customer")
        await conn.execute("CREATE TABLE bench_customer_copy (LIKE customer)")
        started = time.perf_counter()
        buffer.seek(0)
        await conn.copy_to_table("bench_customer_copy", source=buffer)
        return rows, time.perf_counter() - started
    finally:
        await conn.close()


def _table(report: SeedReport, baseline: tuple[int, float]) -> Table:
    table = Table(title=f"cdp seed: {report.customers:,} customers, seed {report.seed}")
    for column in ("table", "rows", "seconds", "rows/s"):
        table.add_column(column, justify="left" if column == "table" else "right")
    for name in (*report.rows, *(k for k in report.seconds if k not in report.rows)):
        rows, seconds = report.rows.get(name), report.seconds.get(name, 0.0)
        rate = f"{rows / seconds:,.0f}" if rows and seconds else ""
        table.add_row(name, f"{rows:,}" if rows is not None else "", f"{seconds:.1f}", rate)
    rows, seconds = baseline
    table.add_row("baseline: plain COPY of customer", f"{rows:,}", f"{seconds:.1f}",
                  f"{rows / seconds:,.0f}")  # fmt: skip
    table.add_row("[bold]total seed[/]", f"[bold]{report.total_rows:,}[/]",
                  f"[bold]{report.elapsed:.1f}[/]",
                  f"[bold]{report.total_rows / report.elapsed:,.0f}[/]")  # fmt: skip
    return table


async def main(customers: int, seed: int, workers: int | None) -> None:
    os.environ.setdefault(
        "CDP_ENCRYPTION_KEY", base64.urlsafe_b64encode(secrets.token_bytes(32)).decode()
    )
    async with scratch_database("cdp_bench_seed") as url:
        db = Database(create_async_engine(url, pool_size=2))
        last = [0.0]

        def progress(stage: str, done: int, total: int) -> None:
            if time.perf_counter() - last[0] > 10 or done == total:
                last[0] = time.perf_counter()
                console.print(f"  {stage}: {done:,}/{total:,}", highlight=False)

        try:
            report = await seed_database(
                db, customers=customers, seed=seed, progress=progress, workers=workers
            )
        finally:
            await db.dispose()
        console.print(_table(report, await _baseline(plain_dsn(url))))


if __name__ == "__main__":  # worker processes import this module; only the parent runs
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--customers", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--workers", type=int, default=None, help="generator processes")
    args = parser.parse_args()
    asyncio.run(main(args.customers, args.seed, args.workers))
