"""An HTTP client on the app whose sessions share the test's rolled-back transaction."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest

from cdp.app import create_app
from cdp.config import get_settings
from cdp.db.engine import Database


@pytest.fixture
async def client(db: Database) -> AsyncIterator[httpx.AsyncClient]:
    app = create_app(get_settings(), database=db)
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://cdp.test") as c:
            yield c
