"""The app over HTTP: GraphQL, health, readiness, metrics, request ids, error mapping."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable

import httpx
import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine

from cdp.db.engine import Database
from tests.conftest import AppClient


@pytest.fixture
async def broken_client(app_client: AppClient) -> AsyncIterator[httpx.AsyncClient]:
    """An app whose database cannot be reached."""
    engine = create_async_engine("postgresql+asyncpg://postgres@127.0.0.1:1/none")
    try:
        async with app_client(database=Database(engine)) as c:
            yield c
    finally:
        await engine.dispose()


async def test_invalid_document_is_a_validation_error(client: httpx.AsyncClient) -> None:
    response = await client.post("/graphql", json={"query": "{ customer { nope } }"})
    errors = response.json()["errors"]
    assert errors
    assert {e["extensions"]["code"] for e in errors} == {"GRAPHQL_VALIDATION_FAILED"}


async def test_unreadable_policy_refuses_every_request(
    broken_client: httpx.AsyncClient,
) -> None:
    # No database, so no policy: fail closed, say why, and leak nothing of the cause.
    response = await broken_client.post(
        "/graphql",
        json={"query": '{ customer(customerNo: "C1") { name } }'},
        headers={"x-request-id": "req-123"},
    )
    assert response.status_code == 503
    [error] = response.json()["errors"]
    assert error["extensions"] == {"code": "UNAVAILABLE", "requestId": "req-123"}
    assert "policy" in error["message"]
    assert "127.0.0.1" not in response.text
    assert response.headers["x-request-id"] == "req-123"


async def test_health_and_readiness(client: httpx.AsyncClient) -> None:
    assert (await client.get("/healthz")).json() == {"status": "ok"}
    ready = await client.get("/readyz")
    assert ready.status_code == 200
    assert ready.json() == {"status": "ok", "database": "ok", "policy": "ok"}


async def test_not_ready_without_database(broken_client: httpx.AsyncClient) -> None:
    assert (await broken_client.get("/healthz")).status_code == 200
    ready = await broken_client.get("/readyz")
    assert ready.status_code == 503
    assert ready.json()["status"] == "unavailable"


async def test_not_ready_while_the_policy_store_cannot_be_read(
    app_client: AppClient, fresh_database: Callable[[], Awaitable[Database]]
) -> None:
    db = await fresh_database()
    async with db.write_session() as session:
        await session.execute(text("ALTER TABLE casbin_rule RENAME TO casbin_rule_away"))
    async with app_client(database=db) as client:
        ready = await client.get("/readyz")
    assert ready.status_code == 503
    assert ready.json() == {"status": "unavailable", "database": "ok", "policy": "ProgrammingError"}


async def test_request_id_generated_and_metrics_counted(client: httpx.AsyncClient) -> None:
    first = await client.get("/healthz")
    assert len(first.headers["x-request-id"]) == 32
    metrics = (await client.get("/metrics")).text
    assert 'cdp_http_requests_total{method="GET",route="/healthz",status="200"}' in metrics


async def test_graphiql_served_outside_production(client: httpx.AsyncClient) -> None:
    response = await client.get("/graphql", headers={"accept": "text/html"})
    assert response.status_code == 200
    assert "graphiql" in response.text.lower()
