"""One small seeded database per test module (seeding is the slow part)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import date

import pytest
from sqlalchemy.ext.asyncio import create_async_engine

from cdp.db.engine import Database
from cdp.db.migrate import upgrade
from cdp.seed import SeedReport, seed_database
from tests.conftest import DatabaseFactory

AS_OF = date(2026, 6, 30)
CUSTOMERS = 3_000


async def seeded(
    factory: DatabaseFactory, *, customers: int, seed: int
) -> tuple[Database, SeedReport]:
    url = await factory.create("cdp_seed")
    await upgrade(url)
    db = Database(create_async_engine(url, pool_size=2))
    report = await seed_database(db, customers=customers, seed=seed, as_of=AS_OF, workers=1)
    return db, report


@pytest.fixture(scope="module")
async def seeded_db(
    database_factory: DatabaseFactory,
) -> AsyncIterator[tuple[Database, SeedReport]]:
    db, report = await seeded(database_factory, customers=CUSTOMERS, seed=7)
    yield db, report
    await db.dispose()
