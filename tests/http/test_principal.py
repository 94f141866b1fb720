"""The authenticated principal reaches the GraphQL context: roles, advisor id, key id."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

import cdp.app
from cdp.auth.store import create_key
from cdp.db.engine import AsyncWriteSession
from schema.context import Context
from tests.conftest import AppClient, bearer


@pytest.fixture
def contexts(monkeypatch: pytest.MonkeyPatch) -> list[Context]:
    """Every context the app builds during the test."""
    seen: list[Context] = []
    build = cdp.app._GraphQL.get_context

    async def spy(self: Any, request: Any, response: Any) -> Context:
        context = await build(self, request, response)
        seen.append(context)
        return context

    monkeypatch.setattr(cdp.app._GraphQL, "get_context", spy)
    return seen


async def test_jwt_roles_and_advisor_reach_the_context(
    app_client: AppClient, contexts: list[Context]
) -> None:
    async with app_client(roles=["advisor", "marketer"], advisor_id=42, subject="u-7") as client:
        response = await client.post("/graphql", json={"query": "{ __typename }"})
    assert response.status_code == 200
    [context] = contexts
    principal = context.principal
    assert principal.kind == "jwt"
    assert principal.subject == "u-7"
    assert principal.roles == {"advisor", "marketer"}
    assert principal.advisor_id == 42
    assert principal.claims["sub"] == "u-7"


async def test_api_key_principal_reaches_the_context(
    app_client: AppClient, contexts: list[Context], session: AsyncWriteSession
) -> None:
    row, token = await create_key(session, "acme", "partner", datetime.now(UTC))
    await session.commit()
    async with app_client(headers=bearer(token)) as client:
        await client.post("/graphql", json={"query": "{ __typename }"})
    [context] = contexts
    assert context.principal.kind == "api_key"
    assert context.principal.subject == "acme"
    assert context.principal.roles == {"partner"}
    assert context.principal.key_id == row.id
    assert context.principal.advisor_id is None


async def test_a_source_system_key_brings_its_sources(
    app_client: AppClient, contexts: list[Context], session: AsyncWriteSession
) -> None:
    _, token = await create_key(session, "crm", "source_system", datetime.now(UTC), sources=["crm"])
    await session.commit()
    async with app_client(headers=bearer(token)) as client:
        await client.post("/graphql", json={"query": "{ __typename }"})
    [context] = contexts
    assert context.principal.roles == {"source_system"}
    assert context.principal.sources == {"crm"}
