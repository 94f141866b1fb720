"""``seed_database``: fill an empty, migrated database with a deterministic data set.

Python builds the people, households and holdings (in worker processes for large
runs, chunk by chunk) and streams them in with COPY; PostgreSQL builds consents,
transactions and interactions set-based from the loaded rows and a per-customer
activity profile. Secondary indexes and foreign keys of the bulk tables are
rebuilt once at the end. The whole load is one transaction: it either lands
completely or not at all.
"""

from __future__ import annotations

import os
import random
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, date, datetime, timedelta
from datetime import time as clock
from typing import Any

import asyncpg
from sqlalchemy.ext.asyncio import AsyncConnection

from cdp.config import get_settings
from cdp.crypto import load_master_key
from cdp.db.engine import Database
from cdp.errors import Conflict, InvalidInput
from cdp.seed import activity, loader
from cdp.seed.catalog import make_advisors, make_products
from cdp.seed.chunk import WINDOW_DAYS, Plan
from cdp.seed.pipeline import load_customers
from cdp.seed.referrals import referrals
from cdp.seed.report import Progress, SeedReport

# Everything the seed writes; TRUNCATE ... CASCADE also empties whatever hangs off them.
_DATA_TABLES = ("customer", "advisor", "product", "household", "import_run")
_BULK_TABLES = (
    "customer", "household_member", "holding", "consent", "consent_event", "referral",
    "transaction", "interaction_event",
)  # fmt: skip


async def seed_database(
    db: Database,
    *,
    customers: int,
    seed: int = 42,
    progress: Progress | None = None,
    reset: bool = False,
    as_of: date | None = None,
    workers: int | None = None,
) -> SeedReport:
    """Seed ``customers`` customers; ``as_of`` (default today, UTC) anchors every date.

    Refuses with ``Conflict`` when the database already holds customers, advisors or
    products, unless ``reset`` truncates the data tables first.
    """
    if customers < 1:
        raise InvalidInput("customers must be at least 1")
    started = time.perf_counter()
    report = SeedReport(customers=customers, seed=seed)
    notify: Progress = progress or (lambda stage, done, total: None)
    now = datetime.combine(as_of or datetime.now(UTC).date(), clock(), UTC)
    catalog_rng = random.Random(f"cdp-seed:{seed}:catalog")
    plan = Plan(
        seed=seed,
        customers=customers,
        now=now,
        products=make_products(catalog_rng, now.date()),
        advisors=make_advisors(catalog_rng, customers),
        master_key=load_master_key(get_settings()),
    )
    async with _raw_connection(db) as conn:
        async with conn.transaction():
            await _ensure_empty(conn, reset)
            await _load(conn, plan, report, notify, workers or os.cpu_count() or 1)
        notify("analyze", 0, 1)
        t = time.perf_counter()
        await conn.execute("ANALYZE")
        report.seconds["analyze"] = time.perf_counter() - t
        notify("analyze", 1, 1)
    report.elapsed = time.perf_counter() - started
    return report


@asynccontextmanager
async def _raw_connection(db: Database) -> AsyncIterator[asyncpg.Connection]:
    """The asyncpg connection under the database's engine (or its bound connection)."""
    if isinstance(db.bind, AsyncConnection):
        raw = await db.bind.get_raw_connection()
        yield raw.driver_connection
        return
    async with db.bind.connect() as sa_conn:
        raw = await sa_conn.get_raw_connection()
        yield raw.driver_connection


async def _ensure_empty(conn: asyncpg.Connection, reset: bool) -> None:
    if reset:
        await conn.execute(f"TRUNCATE {', '.join(_DATA_TABLES)} RESTART IDENTITY CASCADE")
        return
    for table in ("customer", "advisor", "product"):
        if await conn.fetchval(f"SELECT EXISTS (SELECT 1 FROM {table})"):
            raise Conflict(
                f"the database already has {table} rows; seed only an empty database "
                "(or pass reset=True / --reset to truncate the data tables first)"
            )


async def _load(
    conn: asyncpg.Connection, plan: Plan, report: SeedReport, notify: Progress, workers: int
) -> None:
    await _timed(report, "advisor", loader.copy_rows(
        conn, "advisor", loader.ADVISOR_COLUMNS,
        [(a.id, a.employee_no, a.name, a.branch) for a in plan.advisors],
    ))  # fmt: skip
    await _timed(report, "product", loader.copy_rows(
        conn, "product", loader.PRODUCT_COLUMNS,
        [(p.id, p.code, p.name, p.category, p.risk_rating, p.min_investment, p.term_days,
          p.expected_yield, p.status, p.launched_at) for p in plan.products],
    ))  # fmt: skip
    await loader.create_profile_table(conn)
    await activity.prepare(conn)
    async with loader.deferred_indexes(conn, _BULK_TABLES):
        onboarded = await load_customers(conn, plan, report, notify, workers)
        rows = referrals(plan.seed, onboarded)
        await _timed(report, "referral", loader.copy_rows(
            conn, "referral", loader.REFERRAL_COLUMNS, rows))  # fmt: skip
        window_start = plan.now - timedelta(days=WINDOW_DAYS)
        await _timed(report, "transaction", activity.opening_purchases(conn, window_start))
        await loader.advance_identities(conn)
        notify("indexes", 0, 1)
        t = time.perf_counter()
    report.seconds["indexes"] = time.perf_counter() - t
    notify("indexes", 1, 1)


async def _timed(report: SeedReport, table: str, work: Any) -> None:
    t = time.perf_counter()
    rows = await work
    report.add(table, rows, time.perf_counter() - t)
