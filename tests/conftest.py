"""Test session: a real PostgreSQL, migrated once, and a rolled-back transaction per test.

``CDP_TEST_DATABASE_URL`` names a server to use (a fresh database is created on it
for this session and dropped afterwards); without it an embedded server is
started under a temporary directory.
"""

from __future__ import annotations

import base64
import os
import time
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator, Sequence
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from pathlib import Path
from typing import Any

import asyncpg
import httpx
import jwt
import pytest
from sqlalchemy import make_url
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, create_async_engine

from cdp.config import Settings, get_settings
from cdp.crypto import get_cipher
from cdp.db.engine import AsyncWriteSession, Database, async_url
from cdp.db.migrate import upgrade

TEST_KEY = base64.urlsafe_b64encode(b"k" * 32).decode()
# Signs the tokens API tests authenticate with; set for the test session only.
TEST_JWT_SECRET = "test-only-jwt-secret-of-at-least-32-bytes"
ADMIN = ("admin",)


@pytest.fixture(scope="session", autouse=True)
def _test_environment(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    os.environ["CDP_ENV"] = "test"
    os.environ["CDP_ENCRYPTION_KEY"] = TEST_KEY
    os.environ["CDP_DATA_DIR"] = str(tmp_path_factory.mktemp("data"))
    os.environ["CDP_LOG_JSON"] = "false"
    os.environ["CDP_JWT_SECRET"] = TEST_JWT_SECRET
    # Tests that want the background tag worker start one themselves.
    os.environ["CDP_TAG_WORKER_SECONDS"] = "0"
    get_settings.cache_clear()
    get_cipher.cache_clear()
    yield
    get_settings.cache_clear()
    get_cipher.cache_clear()


@pytest.fixture(scope="session")
def server_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    """An asyncpg URL of a database we may create other databases from."""
    configured = os.environ.get("CDP_TEST_DATABASE_URL")
    if configured:
        return async_url(configured)
    from cdp.db.embedded import embedded_url

    return embedded_url(tmp_path_factory.mktemp("pg"), database="postgres")


def _plain_dsn(url: str) -> str:
    parsed = make_url(url).set(drivername="postgresql")
    return parsed.render_as_string(hide_password=False)


class DatabaseFactory:
    """Creates empty databases on the test server and drops them at the end."""

    def __init__(self, server_url: str) -> None:
        self.server_url = server_url
        self.created: list[str] = []

    async def _admin(self, sql: str) -> None:
        conn = await asyncpg.connect(_plain_dsn(self.server_url))
        try:
            await conn.execute(sql)
        finally:
            await conn.close()

    async def create(self, prefix: str = "cdp_test") -> str:
        name = f"{prefix}_{uuid.uuid4().hex[:10]}"
        await self._admin(f'CREATE DATABASE "{name}"')
        self.created.append(name)
        return make_url(self.server_url).set(database=name).render_as_string(hide_password=False)

    async def drop_all(self) -> None:
        for name in self.created:
            await self._admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(scope="session")
async def database_factory(server_url: str) -> AsyncIterator[DatabaseFactory]:
    factory = DatabaseFactory(server_url)
    yield factory
    await factory.drop_all()


@pytest.fixture(scope="session")
async def database_url(database_factory: DatabaseFactory) -> str:
    """A database migrated to head, shared by the session; tests roll back."""
    url = await database_factory.create()
    await upgrade(url)
    os.environ["CDP_DATABASE_URL"] = url
    get_settings.cache_clear()
    return url


@pytest.fixture(scope="session")
async def engine(database_url: str) -> AsyncIterator[AsyncEngine]:
    engine = create_async_engine(database_url, pool_size=5)
    yield engine
    await engine.dispose()


@pytest.fixture
async def connection(engine: AsyncEngine) -> AsyncIterator[AsyncConnection]:
    """One connection in a transaction that is rolled back after the test."""
    async with engine.connect() as conn:
        outer = await conn.begin()
        try:
            yield conn
        finally:
            await outer.rollback()


@pytest.fixture
async def session(connection: AsyncConnection) -> AsyncIterator[AsyncWriteSession]:
    """A write session inside the test's transaction.

    Code under test may commit: with ``create_savepoint`` its commits release
    savepoints, and the outer transaction still rolls everything back.
    """
    db_session = AsyncWriteSession(
        bind=connection, expire_on_commit=False, join_transaction_mode="create_savepoint"
    )
    try:
        yield db_session
    finally:
        await db_session.close()


@pytest.fixture
def db(connection: AsyncConnection) -> Database:
    """A ``Database`` whose sessions all share the test's rolled-back transaction."""
    return Database(connection)


@pytest.fixture
async def fresh_database(
    database_factory: DatabaseFactory,
) -> AsyncIterator[Callable[[], Awaitable[Database]]]:
    """Factory of migrated, committed-to databases for tests that need real commits."""
    opened: list[Database] = []

    async def make() -> Database:
        url = await database_factory.create()
        await upgrade(url)
        db = Database(create_async_engine(url, pool_size=5))
        opened.append(db)
        return db

    yield make
    for db in opened:
        await db.dispose()


@pytest.fixture
def data_dir() -> Path:
    return Path(get_settings().data_dir)


def mint_token(
    roles: Sequence[str] = ADMIN,
    subject: str = "test-admin",
    advisor_id: int | None = None,
    expires_in: int = 600,
    key: str = TEST_JWT_SECRET,
    algorithm: str = "HS256",
    **claims: Any,
) -> str:
    """A JWT as a front end's identity provider would issue it."""
    payload: dict[str, Any] = {
        "sub": subject,
        "roles": list(roles),
        "exp": int(time.time()) + expires_in,
        **claims,
    }
    if advisor_id is not None:
        payload["advisor_id"] = advisor_id
    return jwt.encode(payload, key, algorithm=algorithm)


def bearer(token: str) -> dict[str, str]:
    return {"authorization": f"Bearer {token}"}


AppClient = Callable[..., AbstractAsyncContextManager[httpx.AsyncClient]]


@pytest.fixture
def app_client(db: Database) -> AppClient:
    """Clients of the app on the test's transaction, authenticated as a principal.

    By default an admin; ``roles``/``advisor_id``/``subject`` (and further token
    ``claims``, such as ``sources``) mint another caller's token, ``headers``
    replaces the credential entirely (``{}`` sends none),
    ``database`` swaps the database, and other keywords override settings as an
    operator would.
    """

    @asynccontextmanager
    async def make(
        roles: Sequence[str] = ADMIN,
        advisor_id: int | None = None,
        subject: str = "test-admin",
        headers: dict[str, str] | None = None,
        database: Database | None = None,
        claims: dict[str, Any] | None = None,
        **overrides: Any,
    ) -> AsyncIterator[httpx.AsyncClient]:
        from cdp.app import create_app

        settings: Settings = get_settings().model_copy(update=overrides)
        app = create_app(settings, database=database or db)
        if headers is None:
            token = mint_token(roles, subject=subject, advisor_id=advisor_id, **(claims or {}))
            headers = bearer(token)
        async with app.router.lifespan_context(app):
            transport = httpx.ASGITransport(app=app)
            async with httpx.AsyncClient(
                transport=transport, base_url="http://cdp.test", headers=headers
            ) as client:
                yield client

    return make


@pytest.fixture
async def client(app_client: AppClient) -> AsyncIterator[httpx.AsyncClient]:
    """An admin's client; ``app_client`` gives one for any other principal."""
    async with app_client() as c:
        yield c
