"""The database going away under a running app is UNAVAILABLE, not an internal error."""

from __future__ import annotations

from collections.abc import AsyncIterator

import asyncpg
import pytest
from sqlalchemy.ext.asyncio import create_async_engine

from cdp.db.engine import Database
from tests.conftest import AppClient, _plain_dsn

APP_NAME = "cdp-unavailable-test"
QUERY = {"query": "{ customers(first: 1) { nodes { name } } }"}


@pytest.fixture
async def own_database(database_url: str) -> AsyncIterator[Database]:
    """The test database through a pool of its own, whose connections can be killed."""
    engine = create_async_engine(
        database_url,
        isolation_level="AUTOCOMMIT",
        connect_args={"server_settings": {"application_name": APP_NAME}},
    )
    try:
        yield Database(engine)
    finally:
        await engine.dispose()


async def _terminate_backends(database_url: str) -> int:
    admin = await asyncpg.connect(_plain_dsn(database_url))
    try:
        killed = await admin.fetch(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1",
            APP_NAME,
        )
        return len(killed)
    finally:
        await admin.close()


async def test_a_lost_connection_is_unavailable_and_the_next_request_reconnects(
    app_client: AppClient, own_database: Database, database_url: str
) -> None:
    async with app_client(database=own_database) as client:
        assert "errors" not in (await client.post("/graphql", json=QUERY)).json()
        # As a server restart does to every open connection of the pool. A background
        # task of the app (the policy holder's periodic reload) may meet the dead
        # connection first, and the pool then reconnects before the request runs:
        # kill again until a request is the one that meets it.
        for _ in range(5):
            assert await _terminate_backends(database_url) >= 1
            body = (await client.post("/graphql", json=QUERY)).json()
            if "errors" in body:
                break
        [error] = body["errors"]
        assert error["extensions"]["code"] == "UNAVAILABLE"
        assert error["message"] == "The database is unavailable; retry later."
        assert "requestId" in error["extensions"]
        assert "errors" not in (await client.post("/graphql", json=QUERY)).json()
