"""A small seeded database for the documentation's examples."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from cdp.db.engine import Database
from tests.conftest import DatabaseFactory
from tests.seed.conftest import seeded

# The pages' answers were produced from this data set (docs/roles.md says so).
CUSTOMERS = 300
SEED = 42


@pytest.fixture(scope="module")
async def docs_engine(database_factory: DatabaseFactory) -> AsyncIterator[AsyncEngine]:
    db, _ = await seeded(database_factory, customers=CUSTOMERS, seed=SEED)
    assert not isinstance(db.bind, Database)
    engine = db.bind
    assert isinstance(engine, AsyncEngine)
    yield engine
    await db.dispose()


@pytest.fixture
async def docs_db(docs_engine: AsyncEngine) -> AsyncIterator[Database]:
    """The seeded database in a transaction rolled back after the test.

    Mutating examples may then run in any order without changing what the next
    example reads.
    """
    async with docs_engine.connect() as conn:
        outer = await conn.begin()
        try:
            yield Database(conn)
        finally:
            await outer.rollback()
