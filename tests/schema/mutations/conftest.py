"""An HTTP client on the app whose sessions share the test's rolled-back transaction."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest

from tests.conftest import AppClient


@pytest.fixture
async def client(app_client: AppClient) -> AsyncIterator[httpx.AsyncClient]:
    """An admin's client; ``app_client`` gives one for any other principal."""
    async with app_client() as c:
        yield c
