"""Process-level plumbing shared by the CLI and the app: logging-free database setup.

A command or the server opens one ``Database`` for its lifetime; the embedded
server (when no URL is configured) is started on first use and stopped at exit.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from cdp.config import Settings, get_settings
from cdp.db.engine import Database, create_engine, database_url


@asynccontextmanager
async def open_database(settings: Settings | None = None) -> AsyncIterator[Database]:
    settings = settings or get_settings()
    db = Database(create_engine(settings, database_url(settings)))
    try:
        yield db
    finally:
        await db.dispose()
