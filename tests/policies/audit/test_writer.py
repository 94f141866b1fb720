"""The batching writer against a real, committed-to database.

Each test gets its own database: the writer commits from a background task, so it
cannot share the rolled-back connection a test reads through.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable

import pytest
from sqlalchemy import select, text

from cdp.db.engine import Database
from cdp.db.models import AuditLog
from policies.audit import AuditEntry, AuditWriter, UnwrittenAuditEntries

MakeDatabase = Callable[[], Awaitable[Database]]


def entry(n: int) -> AuditEntry:
    return AuditEntry(
        principal=f"user-{n}",
        roles=("advisor",),
        operation="CustomerPage",
        field_paths=("Customer.phone",),
        customer_ids=(n,),
        request_id=f"req-{n}",
    )


async def stored(db: Database) -> list[str]:
    async with db.read_session() as s:
        rows = await s.execute(select(AuditLog.request_id).order_by(AuditLog.id))
        return [r for r in rows.scalars() if r is not None]


async def eventually(db: Database, count: int, within: float = 5.0) -> None:
    async with asyncio.timeout(within):
        while len(await stored(db)) < count:
            await asyncio.sleep(0.02)


async def break_table(db: Database) -> None:
    """Make every flush fail for real: the table is not there."""
    async with db.write_session() as s:
        await s.execute(text("ALTER TABLE audit_log RENAME TO audit_log_away"))


async def mend_table(db: Database) -> None:
    async with db.write_session() as s:
        await s.execute(text("ALTER TABLE audit_log_away RENAME TO audit_log"))


async def test_shutdown_writes_everything_still_buffered(fresh_database: MakeDatabase) -> None:
    db = await fresh_database()
    # Neither the interval nor the batch size would ever trigger a flush here.
    async with AuditWriter(db, batch_size=10_000, flush_interval=3600) as writer:
        for n in range(1234):
            await writer.record(entry(n))
        assert writer.pending == 1234
        assert await stored(db) == []
    assert writer.pending == 0
    assert await stored(db) == [f"req-{n}" for n in range(1234)]
    with pytest.raises(RuntimeError, match="not running"):
        await writer.record(entry(0))


async def test_flushes_after_the_interval(fresh_database: MakeDatabase) -> None:
    db = await fresh_database()
    async with AuditWriter(db, batch_size=1000, flush_interval=0.05) as writer:
        await writer.record(entry(1))
        await eventually(db, 1)
        assert writer.written == 1


async def test_flushes_a_full_batch_without_waiting_for_the_interval(
    fresh_database: MakeDatabase,
) -> None:
    db = await fresh_database()
    async with AuditWriter(db, batch_size=5, flush_interval=3600) as writer:
        for n in range(5):
            await writer.record(entry(n))
        await eventually(db, 5)
        await writer.record(entry(5))
        await writer.flush()
        assert len(await stored(db)) == 6


async def test_failed_flushes_are_logged_retried_and_keep_their_entries(
    fresh_database: MakeDatabase, caplog: pytest.LogCaptureFixture
) -> None:
    db = await fresh_database()
    await break_table(db)
    caplog.set_level(logging.WARNING, logger="policies.audit.writer")
    async with AuditWriter(db, batch_size=2, flush_interval=0.01, max_backoff=0.05) as writer:
        for n in range(3):
            await writer.record(entry(n))
        async with asyncio.timeout(5):
            while writer.failed_flushes < 3:
                await asyncio.sleep(0.01)
        assert writer.pending == 3
        assert "audit flush of 2 entries failed" in caplog.text
        await mend_table(db)
        await writer.flush()
    assert await stored(db) == ["req-0", "req-1", "req-2"]


async def test_a_full_buffer_holds_callers_back_until_there_is_room(
    fresh_database: MakeDatabase,
) -> None:
    db = await fresh_database()
    await break_table(db)
    async with AuditWriter(
        db, batch_size=2, capacity=4, flush_interval=0.01, max_backoff=0.05
    ) as writer:
        for n in range(4):
            await writer.record(entry(n))
        blocked = asyncio.create_task(writer.record(entry(4)))
        await asyncio.sleep(0.2)
        assert not blocked.done()
        assert writer.pending == 4
        await mend_table(db)
        await asyncio.wait_for(blocked, 5)
    assert await stored(db) == [f"req-{n}" for n in range(5)]


async def test_shutdown_with_a_deadline_reports_and_logs_what_it_could_not_write(
    fresh_database: MakeDatabase, caplog: pytest.LogCaptureFixture
) -> None:
    db = await fresh_database()
    await break_table(db)
    writer = AuditWriter(db, batch_size=10, flush_interval=0.01, max_backoff=0.05)
    writer.start()
    await writer.record(entry(1))
    with pytest.raises(UnwrittenAuditEntries) as raised:
        await writer.aclose(timeout=0.3)
    assert [e.request_id for e in raised.value.entries] == ["req-1"]
    logged = [r for r in caplog.records if r.getMessage() == "audit entry not written at shutdown"]
    assert [r.__dict__["audit_entry"]["request_id"] for r in logged] == ["req-1"]
