"""Two processes on one database: a change committed by one reaches the other's holder
within a second, also after the listening connection was killed; stopping is clean."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Awaitable, Callable

import pytest
from sqlalchemy import text

from cdp.db.engine import Database
from policies.holder import PolicyHolder
from policies.lines import parse_policy
from policies.pg_store import PgPolicyStore, PolicyChange
from policies.watcher import PolicyWatcher, listen_dsn

CHANGE = PolicyChange(add=parse_policy("p, marketer, Customer.email, read, mask"))


async def eventually(check: Callable[[], bool], within: float = 1.0) -> float:
    """Seconds until ``check`` holds; fails after ``within``."""
    start = time.monotonic()
    while not check():
        assert time.monotonic() - start < within, "not within the deadline"
        await asyncio.sleep(0.01)
    return time.monotonic() - start


@pytest.fixture
async def worker(
    fresh_database: Callable[[], Awaitable[Database]], fields: frozenset[str]
) -> AsyncIterator[tuple[Database, PolicyHolder, PolicyWatcher]]:
    """A database with real commits, and a holder kept current as a worker's would be."""
    db = await fresh_database()
    holder = PolicyHolder(PgPolicyStore(db), fields)
    await holder.refresh()
    watcher = PolicyWatcher(listen_dsn(db.bind), holder.refresh, retry_interval=0.05)
    await watcher.start()
    await asyncio.wait_for(watcher.listening.wait(), 5)
    yield db, holder, watcher
    await watcher.stop()


async def test_a_change_reaches_another_worker_within_a_second(
    worker: tuple[Database, PolicyHolder, PolicyWatcher], fields: frozenset[str]
) -> None:
    db, holder, _ = worker
    before = holder.version
    other = PgPolicyStore(db)  # the admin's process
    version = await other.apply(CHANGE, fields)
    assert version != before
    await eventually(lambda: holder.version == version)


async def test_the_watcher_reconnects_after_losing_its_connection(
    worker: tuple[Database, PolicyHolder, PolicyWatcher], fields: frozenset[str]
) -> None:
    db, holder, watcher = worker
    pid = watcher.backend_pid
    async with db.write_session() as session:
        await session.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
    await eventually(lambda: watcher.backend_pid not in (None, pid), within=5)
    version = await PgPolicyStore(db).apply(CHANGE, fields)
    await eventually(lambda: holder.version == version)


async def test_stop_is_idempotent_and_closes_the_connection(
    worker: tuple[Database, PolicyHolder, PolicyWatcher],
) -> None:
    db, _, watcher = worker
    pid = watcher.backend_pid
    await watcher.stop()
    await watcher.stop()
    async with db.read_session() as session:
        query = text("SELECT count(*) FROM pg_stat_activity WHERE pid = :pid")
        assert (await session.execute(query, {"pid": pid})).scalar_one() == 0
