"""API tests: GraphQL documents over HTTP through the app, inside the test's transaction."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import httpx
import pytest
import strawberry

from schema.relay import audience_of, global_id
from tests.conftest import ADMIN


class Api:
    """Posts documents and returns ``data``, failing the test on any error."""

    def __init__(self, client: httpx.AsyncClient) -> None:
        self.client = client

    async def raw(self, query: str, **variables: Any) -> dict[str, Any]:
        response = await self.client.post("/graphql", json={"query": query, "variables": variables})
        body: dict[str, Any] = response.json()
        return body

    async def data(self, query: str, **variables: Any) -> dict[str, Any]:
        body = await self.raw(query, **variables)
        assert "errors" not in body, body["errors"]
        data: dict[str, Any] = body["data"]
        return data

    async def error(self, query: str, **variables: Any) -> dict[str, Any]:
        """The single error of a failing document."""
        body = await self.raw(query, **variables)
        [error] = body["errors"]
        return dict(error)


@pytest.fixture
def api(client: httpx.AsyncClient) -> Api:
    return Api(client)


def id_for(roles: Sequence[str], type_name: str, pk: int) -> strawberry.ID:
    """The global ID callers with ``roles`` get for a row."""
    return global_id(type_name, pk, audience_of(roles))


def admin_id(type_name: str, pk: int) -> strawberry.ID:
    """The global ID an admin (the ``api`` fixture's caller) gets for a row."""
    return id_for(ADMIN, type_name, pk)
