"""The app's read engine: no transaction per request, and the server refuses writes."""

from __future__ import annotations

import asyncio

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from cdp.config import get_settings
from cdp.db.engine import Database, create_engine, create_read_engine, read


async def test_read_sessions_autocommit_on_read_only_connections(database_url: str) -> None:
    settings = get_settings()
    db = Database(create_engine(settings, database_url), create_read_engine(settings, database_url))
    try:
        async with db.read_session() as session:
            # Outside a transaction block every statement is its own transaction,
            # so the transaction timestamp moves from one statement to the next.
            first = (await session.execute(text("select now()"))).scalar_one()
            second = (await session.execute(text("select now()"))).scalar_one()
            assert first < second
            with pytest.raises(DBAPIError, match="read-only transaction"):
                await session.execute(text("create temp table scratch (a int)"))
        async with db.write_session() as session:
            readonly = text("select current_setting('transaction_read_only')")
            assert (await session.execute(readonly)).scalar_one() == "off"
    finally:
        await db.dispose()


async def test_a_cancelled_read_finishes_its_statement_and_keeps_the_connection(
    database_url: str,
) -> None:
    settings = get_settings()
    db = Database(create_engine(settings, database_url), create_read_engine(settings, database_url))
    try:
        async with db.read_session() as session:
            pid = (await read(session, text("select pg_backend_pid()"))).scalar_one()
            slow = asyncio.ensure_future(read(session, text("select pg_sleep(0.2), 1")))
            await asyncio.sleep(0.05)  # the statement is on its way
            slow.cancel()
            with pytest.raises(asyncio.CancelledError):
                await slow
            # Same connection, still in a usable state.
            assert (await read(session, text("select pg_backend_pid()"))).scalar_one() == pid
    finally:
        await db.dispose()
