"""A small seeded database for the documentation's examples."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from cdp.config import get_settings
from cdp.db.engine import Database
from graph.communities import communities, label
from graph.state import build_state, write_state
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


@pytest.fixture(scope="module")
async def docs_data_dir(docs_engine: AsyncEngine, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A data directory holding the knowledge graph of the seeded database, as
    `cdp graph build` stores it, so the graph examples answer."""
    data_dir = tmp_path_factory.mktemp("docs-data")
    settings = get_settings().model_copy(update={"data_dir": data_dir})
    state = await build_state(Database(docs_engine), settings)
    label(state.core, communities(state.core))
    write_state(state, settings)
    return data_dir


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
