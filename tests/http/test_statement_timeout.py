"""Every API statement runs under the statement timeout; one past it is TIMEOUT."""

from __future__ import annotations

from collections.abc import AsyncIterator

import asyncpg
import pytest
from sqlalchemy import make_url, text

from cdp.config import get_settings
from cdp.db.engine import Database, api_database, create_engine
from tests.conftest import AppClient

QUERY = "{ customers(first: 1) { totalCount } }"


@pytest.fixture
async def timed_db(database_url: str) -> AsyncIterator[Database]:
    """The API's own database wiring on the committed test database, with a short
    timeout and one pooled connection, so every request reuses the same one."""
    settings = get_settings().model_copy(update={"statement_timeout_ms": 300, "db_pool_size": 1})
    db = api_database(settings, database_url)
    yield db
    await db.dispose()


async def _backend_pid(db: Database) -> int:
    async with db.read_session() as session:
        pid: int = (await session.execute(text("SELECT pg_backend_pid()"))).scalar_one()
    return pid


async def test_a_statement_past_the_timeout_is_timeout_and_the_connection_survives(
    app_client: AppClient, timed_db: Database, database_url: str
) -> None:
    pid = await _backend_pid(timed_db)
    # Another session holds the table: the API's count waits until the server
    # cancels it, however fast the machine.
    dsn = make_url(database_url).set(drivername="postgresql").render_as_string(False)
    blocker = await asyncpg.connect(dsn)
    try:
        async with app_client(database=timed_db) as client:
            transaction = blocker.transaction()
            await transaction.start()
            await blocker.execute("LOCK TABLE customer IN ACCESS EXCLUSIVE MODE")
            try:
                body = (await client.post("/graphql", json={"query": QUERY})).json()
            finally:
                await transaction.rollback()
            [error] = body["errors"]
            assert error["extensions"]["code"] == "TIMEOUT"
            assert error["path"] == ["customers"]
            assert "requestId" in error["extensions"]

            again = (await client.post("/graphql", json={"query": QUERY})).json()
            assert "errors" not in again, again
            assert isinstance(again["data"]["customers"]["totalCount"], int)
    finally:
        await blocker.close()
    # The cancelled statement left its connection in the pool, usable.
    assert await _backend_pid(timed_db) == pid


async def test_the_api_engines_carry_the_timeout_and_others_do_not(
    timed_db: Database, database_url: str
) -> None:
    async with timed_db.read_session() as session:
        assert (await session.execute(text("SHOW statement_timeout"))).scalar_one() == "300ms"
    async with timed_db.write_session() as session:
        assert (await session.execute(text("SHOW statement_timeout"))).scalar_one() == "300ms"
    # Imports and seeding use the plain engine: their long statements are not cut.
    plain = create_engine(get_settings(), database_url)
    try:
        async with plain.connect() as conn:
            assert (await conn.execute(text("SHOW statement_timeout"))).scalar_one() == "0"
    finally:
        await plain.dispose()
