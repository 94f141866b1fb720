"""The tag engine on a seeded database, next to hand-written SQL for the same tags.

Creates a scratch database on ``CDP_BENCH_DATABASE_URL``, seeds it, installs the
default library and times:

- a full run of the whole library (first run: every value is new) and a second
  full run (nothing changed: the diff writes nothing), with seconds per stage,
  the slowest tags and the disk the tag tables use;
- the incremental path: a holding committed, the background worker's dirty run,
  the customer's tag updated (``--rounds`` times; median and p95);
- a full run of eight simple tags (``--tag``), next to one hand-written
  ``CREATE TABLE AS`` computing the same eight tags the obvious way (one pass over
  holdings, a ``UNION ALL`` per tag, no evidence, no diff, no history). The
  customers per tag must agree, or the benchmark fails.

    .venv/bin/python bench/bench_tags.py --customers 100000
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import os
import secrets
import statistics
import time
from datetime import UTC, datetime

import asyncpg
from rich.console import Console
from rich.table import Table
from scratch import plain_dsn, scratch_database
from sqlalchemy.ext.asyncio import create_async_engine

from cdp.db.engine import Database
from cdp.seed import seed_database
from tagging.engine import RunReport, run_tags
from tagging.library import install_library
from tagging.worker import TagWorker

console = Console()

SUBSET = [
    "asset_tier",
    "million_club",
    "private_banking",
    "professional_candidate",
    "elderly_care",
    "insurance_holder",
    "deposit_only",
    "suitability_breach",
]

HAND_WRITTEN = """
CREATE TABLE bench_hand AS
WITH h AS (
    SELECT h.customer_id,
           sum(h.market_value) AS aum,
           count(*) FILTER (WHERE p.category = 'insurance') AS insurance,
           count(*) FILTER (WHERE p.category <> 'deposit') AS not_deposit,
           count(*) FILTER (WHERE p.risk_rating > coalesce(c.risk_level, 1)) AS above
    FROM holding h
    JOIN product p ON p.id = h.product_id
    JOIN customer c ON c.id = h.customer_id
    GROUP BY h.customer_id
), f AS (
    SELECT c.id, coalesce(h.aum, 0) AS aum, coalesce(h.insurance, 0) AS insurance,
           coalesce(h.not_deposit, 0) AS not_deposit, coalesce(h.above, 0) AS above,
           c.investor_class, date_part('year', age($1::date, c.birth_date)) AS age
    FROM customer c LEFT JOIN h ON h.customer_id = c.id
    WHERE c.status <> 'merged'
      AND EXISTS (SELECT 1 FROM consent k WHERE k.customer_id = c.id
                  AND k.purpose = 'profiling' AND k.granted)
)
SELECT 'asset_tier' AS tag, id,
       CASE WHEN aum >= 6000000 THEN '高净值' WHEN aum >= 500000 THEN '潜力' ELSE '大众' END
           AS value
FROM f
UNION ALL SELECT 'million_club', id, 'true' FROM f WHERE aum >= 1000000
UNION ALL SELECT 'private_banking', id, 'true' FROM f WHERE aum >= 10000000
UNION ALL SELECT 'professional_candidate', id, 'true' FROM f
          WHERE investor_class = 'ordinary' AND aum >= 5000000
UNION ALL SELECT 'elderly_care', id, 'true' FROM f WHERE age >= 65
UNION ALL SELECT 'insurance_holder', id, 'true' FROM f WHERE insurance > 0
UNION ALL SELECT 'deposit_only', id, 'true' FROM f WHERE aum > 0 AND not_deposit = 0
UNION ALL SELECT 'suitability_breach', id, 'true' FROM f
          WHERE investor_class <> 'professional' AND above > 0
"""


async def _hand_written(dsn: str, as_of: datetime) -> tuple[float, dict[str, int]]:
    conn = await asyncpg.connect(dsn)
    try:
        await conn.execute("DROP TABLE IF EXISTS bench_hand")
        started = time.perf_counter()
        async with conn.transaction():
            await conn.execute("SET LOCAL jit = off")
            await conn.execute(HAND_WRITTEN, as_of.date())
        seconds = time.perf_counter() - started
        rows = await conn.fetch("SELECT tag, count(*) FROM bench_hand GROUP BY tag")
        return seconds, {r[0]: r[1] for r in rows}
    finally:
        await conn.close()


async def _incremental(db: Database, dsn: str, rounds: int) -> list[float]:
    """Seconds from a committed holding to the customer's updated tag, via the worker."""
    conn = await asyncpg.connect(dsn)
    worker = TagWorker(db, interval=0.05, daily=False)
    try:
        ids = await conn.fetch(
            "SELECT c.id FROM customer c JOIN consent k ON k.customer_id = c.id"
            " AND k.purpose = 'profiling' AND k.granted"
            " WHERE c.status <> 'merged' AND NOT EXISTS (SELECT 1 FROM tag_value v"
            " JOIN tag_definition d ON d.id = v.tag_id AND d.key = 'private_banking'"
            " WHERE v.customer_id = c.id) ORDER BY c.id LIMIT $1",
            rounds,
        )
        product = await conn.fetchval("SELECT id FROM product ORDER BY id LIMIT 1")
        worker.start()
        latencies = []
        for (customer_id,) in ids:
            started = time.perf_counter()
            await conn.execute(
                "INSERT INTO holding (customer_id, product_id, units, market_value, cost,"
                " opened_at, updated_at) VALUES ($1, $2, 1, 20000000, 20000000, now(), now())",
                customer_id,
                product,
            )
            while not await conn.fetchval(
                "SELECT EXISTS (SELECT 1 FROM tag_value v JOIN tag_definition d"
                " ON d.id = v.tag_id AND d.key = 'private_banking' WHERE v.customer_id = $1)",
                customer_id,
            ):
                if time.perf_counter() - started > 60:
                    raise SystemExit(f"customer {customer_id}: no tag after 60 s")
                await asyncio.sleep(0.02)
            latencies.append(time.perf_counter() - started)
        return latencies
    finally:
        await worker.stop()
        await conn.close()


async def _engine_counts(dsn: str) -> dict[str, int]:
    conn = await asyncpg.connect(dsn)
    try:
        rows = await conn.fetch(
            "SELECT d.key, count(v.customer_id) FROM tag_definition d"
            " LEFT JOIN tag_value v ON v.tag_id = d.id GROUP BY d.key"
        )
        return {r[0]: r[1] for r in rows}
    finally:
        await conn.close()


async def _disk(dsn: str) -> list[tuple[str, int, int]]:
    conn = await asyncpg.connect(dsn)
    try:
        rows = await conn.fetch(
            "SELECT relname, n_live_tup, pg_total_relation_size(relid) FROM pg_stat_user_tables"
            " WHERE relname IN ('tag_value', 'tag_event') ORDER BY relname"
        )
        return [(r[0], r[1], r[2]) for r in rows]
    finally:
        await conn.close()


def _seconds(report: RunReport) -> float:
    return sum(report.stages.values())


def _run_row(table: Table, label: str, report: RunReport) -> None:
    stages = report.stages
    table.add_row(
        label,
        f"{report.counts.get('values', 0):,}",
        f"{report.counts.get('entered', 0) + report.counts.get('changed', 0):,}",
        *(f"{stages.get(s, 0):.1f}" for s in ("features", "evaluate", "write")),
        f"{_seconds(report):.1f}",
    )


async def main(customers: int, seed: int, rounds: int) -> None:
    os.environ.setdefault(
        "CDP_ENCRYPTION_KEY", base64.urlsafe_b64encode(secrets.token_bytes(32)).decode()
    )
    as_of = datetime.now(UTC)
    async with scratch_database("cdp_bench_tags") as url:
        db = Database(create_async_engine(url, pool_size=2))
        try:
            console.print(f"seeding {customers:,} customers …")
            await seed_database(db, customers=customers, seed=seed)
            async with db.write_session() as session:
                await install_library(session, actor="bench")
            first = await run_tags(db, as_of=as_of)
            second = await run_tags(db, as_of=as_of)
            subset = await run_tags(db, keys=SUBSET, as_of=as_of)
            hand_seconds, hand_counts = await _hand_written(plain_dsn(url), as_of)
            counts = await _engine_counts(plain_dsn(url))
            latencies = await _incremental(db, plain_dsn(url), rounds)
            disk = await _disk(plain_dsn(url))
        finally:
            await db.dispose()
    wrong = {k: (counts.get(k), hand_counts.get(k, 0)) for k in SUBSET}
    wrong = {k: v for k, v in wrong.items() if v[0] != v[1]}
    if wrong:
        raise SystemExit(f"engine and hand-written SQL disagree (engine, hand): {wrong}")

    runs = Table(title=f"tag runs: {customers:,} customers, {len(first.tags)} tags")
    for column in ("run", "values", "written", "features s", "evaluate s", "write s", "total s"):
        runs.add_column(column, justify="left" if column == "run" else "right")
    _run_row(runs, "library, first full run", first)
    _run_row(runs, "library, unchanged full run", second)
    _run_row(runs, f"engine, {len(SUBSET)} tags (no changes)", subset)
    engine_eval = subset.stages.get("features", 0) + subset.stages.get("evaluate", 0)
    runs.add_row(
        f"baseline: hand-written SQL, same {len(SUBSET)} tags", "", "", "", "", "",
        f"{hand_seconds:.1f}",
    )  # fmt: skip
    runs.add_row(
        "ratio engine features+evaluate / hand-written", "", "", "", "", "",
        f"{engine_eval / hand_seconds:.2f}×",
    )  # fmt: skip
    console.print(runs)

    slow = Table(title="slowest tags (seconds: the batch's time shared by its tags)")
    for column in ("tag", "seconds", "customers"):
        slow.add_column(column, justify="left" if column == "tag" else "right")
    ranked = sorted(first.tags.items(), key=lambda kv: -kv[1]["seconds"])[:10]
    for key, entry in ranked:
        slow.add_row(key, f"{entry['seconds']:.3f}", f"{int(entry['values']):,}")
    console.print(slow)

    ordered = sorted(latencies)
    p95 = ordered[min(len(ordered) - 1, int(0.95 * len(ordered)))]
    fast = Table(title="incremental: holding committed → tag updated by the worker")
    for column in ("updates", "median s", "p95 s", "max s", "target p95 s"):
        fast.add_column(column, justify="right")
    fast.add_row(
        str(len(ordered)),
        f"{statistics.median(ordered):.2f}",
        f"{p95:.2f}",
        f"{ordered[-1]:.2f}",
        "2.00",
    )
    console.print(fast)

    space = Table(title="disk used")
    for column in ("table", "rows", "MB"):
        space.add_column(column, justify="left" if column == "table" else "right")
    for name, rows, size in disk:
        space.add_row(name, f"{rows:,}", f"{size / 1e6:.1f}")
    console.print(space)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--customers", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--rounds", type=int, default=20, help="incremental updates timed")
    args = parser.parse_args()
    asyncio.run(main(args.customers, args.seed, args.rounds))
