"""Throwaway databases for benchmark runs.

Each benchmark creates its own database on the server named by
``CDP_BENCH_DATABASE_URL`` (default: the local server), migrates it, and drops it
afterwards, so runs never touch a real database and never see each other's rows.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import asyncpg
from sqlalchemy import make_url

from cdp.db.engine import async_url
from cdp.db.migrate import upgrade

DEFAULT_SERVER = "postgresql://postgres@127.0.0.1:5432/postgres"


def server_url() -> str:
    return os.environ.get("CDP_BENCH_DATABASE_URL", DEFAULT_SERVER)


def plain_dsn(url: str, database: str | None = None) -> str:
    """A libpq-style DSN (for asyncpg), optionally naming another database."""
    parsed = make_url(url).set(drivername="postgresql")
    if database:
        parsed = parsed.set(database=database)
    return parsed.render_as_string(hide_password=False)


def database_url(name: str, server: str | None = None) -> str:
    """The SQLAlchemy (asyncpg) URL of database ``name`` on the bench server."""
    return (
        make_url(async_url(server or server_url()))
        .set(database=name)
        .render_as_string(hide_password=False)
    )


async def _admin(sql: str, server: str | None) -> None:
    conn = await asyncpg.connect(plain_dsn(server or server_url()))
    try:
        await conn.execute(sql)
    finally:
        await conn.close()


async def create_database(name: str, server: str | None = None) -> None:
    await _admin(f'CREATE DATABASE "{name}"', server)


async def drop_database(name: str, server: str | None = None) -> None:
    await _admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)', server)


@asynccontextmanager
async def scratch_database(prefix: str = "cdp_bench") -> AsyncIterator[str]:
    """A fresh, migrated database for the block; yields its asyncpg URL."""
    name = f"{prefix}_{uuid.uuid4().hex[:8]}"
    await create_database(name)
    try:
        url = database_url(name)
        await upgrade(url)
        yield url
    finally:
        await drop_database(name)
