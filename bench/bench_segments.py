"""Segment preview on a seeded database, next to hand-written SQL for the same rule.

Seeds a scratch database on ``CDP_BENCH_DATABASE_URL`` (or reuses one with
``--reuse-db NAME``) and times, in alternating rounds, the preview of each rule
(count and first 20 customers, the rule compiled over the feature query restricted
to what it reads, as ``previewSegment`` runs it) and one hand-written statement
computing the same count and ids the obvious way. The counts and ids must agree,
or the benchmark fails.

    .venv/bin/python bench/bench_segments.py --customers 100000
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import os
import secrets
import statistics
import time

from rich.console import Console
from rich.table import Table
from scratch import database_url, scratch_database
from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine

from cdp.db.engine import Database
from cdp.seed import seed_database
from tagging.segments import preview

console = Console()

_PROFILED = (
    "c.status <> 'merged' AND EXISTS (SELECT 1 FROM consent k WHERE k.customer_id = c.id "
    "AND k.purpose = 'profiling' AND k.granted)"
)
_PAGE = "SELECT id, count(*) OVER () AS total FROM m ORDER BY id LIMIT 20"

# (label, rule, the same condition as hand-written SQL over customer c)
CASES = (
    (
        "AUM and city",
        "aum >= 600万 and city = '上海市'",
        "c.city = '上海市' AND (SELECT coalesce(sum(h.market_value), 0) FROM holding h "
        "WHERE h.customer_id = c.id) >= 6000000",
    ),
    (
        "purchases in 90 days, risk level",
        "count(transactions where kind = 'purchase' within 90d) >= 3 and risk_level >= 3",
        "c.risk_level >= 3 AND (SELECT count(*) FROM transaction t WHERE t.customer_id = c.id "
        "AND t.kind = 'purchase' AND t.occurred_at > now() - interval '90 days' "
        "AND t.occurred_at <= now()) >= 3",
    ),
    (
        "fund holder, age",
        "exists(holdings where product.category = 'mutual_fund') and age >= 40",
        "c.birth_date <= (current_date - interval '40 years') AND EXISTS (SELECT 1 FROM "
        "holding h JOIN product p ON p.id = h.product_id WHERE h.customer_id = c.id "
        "AND p.category = 'mutual_fund')",
    ),
)


async def _ours(db: Database, rule: str) -> tuple[float, int, tuple[int, ...]]:
    async with db.read_session() as session:
        started = time.perf_counter()
        found = await preview(session, rule, filterable=None)
        return time.perf_counter() - started, found.count, found.customer_ids


async def _baseline(db: Database, condition: str) -> tuple[float, int, tuple[int, ...]]:
    sql = f"WITH m AS (SELECT c.id FROM customer c WHERE {_PROFILED} AND {condition}) {_PAGE}"
    async with db.read_session() as session:
        started = time.perf_counter()
        rows = (await session.execute(text(sql))).all()
        seconds = time.perf_counter() - started
    return seconds, int(rows[0].total) if rows else 0, tuple(int(r.id) for r in rows)


async def run(url: str, rounds: int) -> Table:
    db = Database(create_async_engine(url, pool_size=2))
    table = Table(
        "rule", "customers", "preview ms (median)", "hand SQL ms (median)", "ratio (median)"
    )
    try:
        for label, rule, condition in CASES:
            ours: list[float] = []
            theirs: list[float] = []
            ratios: list[float] = []
            count = 0
            for i in range(rounds + 1):  # round 0 warms caches and is not counted
                # Alternate which goes first, so neither always finds the cache warm.
                if i % 2:
                    a = await _ours(db, rule)
                    b = await _baseline(db, condition)
                else:
                    b = await _baseline(db, condition)
                    a = await _ours(db, rule)
                if (a[1], a[2]) != (b[1], b[2]):
                    raise SystemExit(f"{label}: preview {a[1]} {a[2]} != SQL {b[1]} {b[2]}")
                count = a[1]
                if i:
                    ours.append(a[0])
                    theirs.append(b[0])
                    ratios.append(a[0] / b[0])
            table.add_row(
                label,
                f"{count:,}",
                f"{statistics.median(ours) * 1e3:.0f}",
                f"{statistics.median(theirs) * 1e3:.0f}",
                f"×{statistics.median(ratios):.2f}",
            )
    finally:
        await db.dispose()
    return table


async def main(args: argparse.Namespace) -> None:
    os.environ.setdefault(
        "CDP_ENCRYPTION_KEY", base64.urlsafe_b64encode(secrets.token_bytes(32)).decode()
    )
    if args.reuse_db:
        console.print(await run(database_url(args.reuse_db), args.rounds))
        return
    async with scratch_database("cdp_bench_segments") as url:
        db = Database(create_async_engine(url, pool_size=2))
        try:
            console.print(f"seeding {args.customers:,} customers …")
            await seed_database(db, customers=args.customers, seed=args.seed)
        finally:
            await db.dispose()
        console.print(await run(url, args.rounds))


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--customers", type=int, default=100_000)
    parser.add_argument("--reuse-db", help="Measure an existing (seeded) database instead.")
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--rounds", type=int, default=5)
    asyncio.run(main(parser.parse_args()))
