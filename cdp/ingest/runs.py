"""The ``import_run`` rows: started, finished, and found again when a process died.

A process importing a file holds a PostgreSQL advisory lock keyed on its run for as
long as it works on it, on a connection of its own. A killed process (SIGKILL, an
out-of-memory kill, a lost machine) loses its connection and with it the lock, so a
run still ``running`` whose lock can be taken has no process behind it: the next
import (or ``cdp import runs``) marks it ``failed`` with ``abandoned`` in its counts.
The run row is inserted and locked in one transaction, so no one ever sees it
running and unlocked.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import orjson
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession

from cdp.db.engine import Database
from cdp.errors import InvalidInput

# Advisory-lock keys of import runs: this prefix in the high 32 bits, the run id below.
_LOCK_SPACE = 0x43445049 << 32


def lock_key(run_id: int) -> int:
    return _LOCK_SPACE + run_id


@dataclass(frozen=True)
class RunRow:
    id: int
    source: str
    kind: str
    origin: str
    status: str
    started_at: datetime
    finished_at: datetime | None
    counts: dict[str, Any]


@asynccontextmanager
async def _connection(db: Database) -> AsyncIterator[AsyncConnection]:
    if isinstance(db.bind, AsyncConnection):  # tests: the test's own connection
        yield db.bind
        return
    async with db.bind.connect() as conn:
        yield conn


@asynccontextmanager
async def held_run(db: Database, source: str, kind: str, origin: str) -> AsyncIterator[int]:
    """A new ``running`` run, locked for as long as the block runs."""
    async with _connection(db) as conn:
        async with conn.begin_nested() if conn.in_transaction() else conn.begin():
            run_id: int = (
                await conn.execute(
                    text(
                        "INSERT INTO import_run (source, kind, origin) "
                        "VALUES (:source, :kind, :origin) RETURNING id"
                    ),
                    {"source": source, "kind": kind, "origin": origin},
                )
            ).scalar_one()
            await conn.execute(text("SELECT pg_advisory_lock(:k)"), {"k": lock_key(run_id)})
        try:
            yield run_id
        finally:
            # A pooled connection outlives the block: the lock must not.
            await conn.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": lock_key(run_id)})
            if not isinstance(db.bind, AsyncConnection):
                await conn.commit()


async def finish_run(db: Database, run_id: int, status: str, counts: dict[str, Any]) -> None:
    async with db.write_session() as session:
        await session.execute(
            text(
                "UPDATE import_run SET status = :status, finished_at = now(), "
                "counts = CAST(:counts AS jsonb) WHERE id = :id"
            ),
            {"id": run_id, "status": status, "counts": orjson.dumps(counts).decode()},
        )


async def reap_abandoned(db: Database) -> list[int]:
    """Mark ``failed`` every running run that no process holds; their ids."""
    async with db.write_session() as session:
        rows = await session.execute(
            text(
                "UPDATE import_run SET status = 'failed', finished_at = now(), "
                "counts = counts || '{\"abandoned\": 1}'::jsonb "
                "WHERE status = 'running' AND pg_try_advisory_xact_lock(:space + id) "
                "RETURNING id"
            ),
            {"space": _LOCK_SPACE},
        )
        return sorted(r[0] for r in rows)


async def list_runs(session: AsyncSession, limit: int, source: str | None = None) -> list[RunRow]:
    """The latest runs, newest first (reads only: ``reap_abandoned`` marks dead ones)."""
    if not 1 <= limit <= 10_000:
        raise InvalidInput("limit must be between 1 and 10000", argument="limit")
    where = "WHERE source = :source" if source is not None else ""
    rows = await session.execute(
        text(
            "SELECT id, source, kind, origin, status, started_at, finished_at, counts "
            f"FROM import_run {where} ORDER BY id DESC LIMIT :limit"
        ),
        {"limit": limit, "source": source},
    )
    return [RunRow(*r) for r in rows]
