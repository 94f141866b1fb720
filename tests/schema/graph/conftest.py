"""The knowledge graph's GraphQL fields over HTTP, on a snapshot stored for the test."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest

from cdp.config import get_settings
from cdp.db.engine import Database
from graph.communities import communities, label
from graph.state import build_state, write_state
from tests.conftest import AppClient

GraphClient = Callable[..., AbstractAsyncContextManager[httpx.AsyncClient]]


@pytest.fixture
def build_graph(db: Database, tmp_path: Path) -> Callable[[], Any]:
    """Store a snapshot of the test's data (with communities), as `cdp graph build` does."""

    async def build() -> None:
        settings = get_settings().model_copy(update={"data_dir": tmp_path})
        state = await build_state(db, settings)
        label(state.core, communities(state.core))
        write_state(state, settings)

    return build


@pytest.fixture
def graph_client(app_client: AppClient, tmp_path: Path) -> GraphClient:
    """Clients of an app serving the test's snapshot, caught up before every answer."""

    @asynccontextmanager
    async def make(**kwargs: Any) -> AsyncIterator[httpx.AsyncClient]:
        async with app_client(data_dir=tmp_path, graph_refresh_seconds=0, **kwargs) as client:
            yield client

    return make


async def gql(client: httpx.AsyncClient, query: str, **variables: Any) -> dict[str, Any]:
    response = await client.post("/graphql", json={"query": query, "variables": variables})
    body: dict[str, Any] = response.json()
    return body


def codes(body: dict[str, Any]) -> list[str]:
    return [e["extensions"]["code"] for e in body.get("errors", [])]
