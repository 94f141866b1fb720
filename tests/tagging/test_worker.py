"""The background worker: the daily full run, then changed customers within seconds."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from decimal import Decimal

from sqlalchemy import delete, select

from cdp.db.engine import Database
from cdp.db.models import TagRun
from tagging.worker import TagWorker
from tests.factories import create_holding, create_product
from tests.tagging.tagkit import active_tag, profiled_customer, values_of


async def test_worker_runs_daily_then_follows_changes(
    fresh_database: Callable[[], Awaitable[Database]],
) -> None:
    db = await fresh_database()
    async with db.write_session() as session:
        await active_tag(session, "hnw", "aum >= 6000000")
        customer = await profiled_customer(session, aum=7_000_000)
    worker = TagWorker(db, interval=0.05)

    assert await worker.step() is not None  # no full run today yet: one now
    assert await worker.step() is None  # nothing dirty, nothing due
    async with db.read_session() as session:
        assert await values_of(session, "hnw") == {customer.id: True}

    worker.start()
    try:
        async with db.write_session() as session:
            other = await profiled_customer(session)
            product = await create_product(session)
            await create_holding(session, other, product, market_value=Decimal(6_500_000))
        # How fast is bench_tags.py's question; here only that the worker gets there.
        began = time.monotonic()
        while time.monotonic() - began < 30:
            async with db.read_session() as session:
                if other.id in await values_of(session, "hnw"):
                    break
            await asyncio.sleep(0.05)
    finally:
        await worker.stop()
    async with db.read_session() as session:
        assert await values_of(session, "hnw") == {customer.id: True, other.id: True}


async def test_processes_starting_together_run_the_day_once(
    fresh_database: Callable[[], Awaitable[Database]],
) -> None:
    # Every server process starts its worker at the same moment; one full run a day.
    db = await fresh_database()
    async with db.write_session() as session:
        await active_tag(session, "hnw", "aum >= 6000000")
        await profiled_customer(session, aum=7_000_000)
    workers = [TagWorker(db, interval=0.05) for _ in range(3)]

    await asyncio.gather(*(w.step() for w in workers))
    await asyncio.gather(*(w.step() for w in workers))

    async with db.read_session() as session:
        kinds = (await session.scalars(select(TagRun.kind))).all()
    # The others may follow the customer's dirty mark, which the full run cleared.
    assert kinds.count("full") == 1


async def test_the_day_once_done_is_not_asked_again(
    fresh_database: Callable[[], Awaitable[Database]],
) -> None:
    # The loop asks whether the day's run is due only until it finds it done.
    db = await fresh_database()
    worker = TagWorker(db, interval=0.05)
    assert (await worker.step() or "").startswith("full run")
    assert await worker.step() is None  # found done today
    async with db.write_session() as session:
        await session.execute(delete(TagRun))
    assert await worker.step() is None  # not asked again today
    assert (await TagWorker(db, interval=0.05).step() or "").startswith("full run")
