"""Engine and sessions.

Only the boundary commits: a request or CLI command opens a session with
``write_session()`` (commit on success, rollback on error); repositories and
services only flush. Read paths take an ``AsyncReadSession``, whose ``commit``
refuses, so a read path cannot write by accident; the app binds read sessions to
a read-only autocommit engine (``create_read_engine``), which enforces the same
at the server.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Sequence
from contextlib import asynccontextmanager
from typing import Any, TypeVar

from sqlalchemy import ColumnElement, CursorResult, Executable, any_, bindparam, make_url
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.ext.asyncio import (
    AsyncConnection,
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)
from sqlalchemy.orm import QueryableAttribute

from cdp.config import Settings

T = TypeVar("T")


class AsyncReadSession(AsyncSession):
    """A session for read paths; committing through it is a programming error."""

    async def commit(self) -> None:
        raise RuntimeError("a read session cannot commit; use a write session")


class AsyncWriteSession(AsyncSession):
    """A session owned by a boundary that may write."""


def async_url(url: str) -> str:
    """Normalise any PostgreSQL URL to the asyncpg driver."""
    parsed = make_url(url)
    if parsed.drivername in ("postgresql", "postgres", "postgresql+psycopg", "postgresql+psycopg2"):
        parsed = parsed.set(drivername="postgresql+asyncpg")
    return parsed.render_as_string(hide_password=False)


def database_url(settings: Settings) -> str:
    """The configured database, or the embedded one started on demand."""
    if settings.database_url:
        return async_url(settings.database_url)
    from cdp.db.embedded import embedded_url

    return embedded_url(settings.data_dir)


# No pre-ping: it cost three round trips (BEGIN, ping, ROLLBACK) on every checkout.
# Connections are recycled before server or proxy idle timeouts close them, and a
# connection that died anyway fails its statement; SQLAlchemy then invalidates the
# pool, so one request sees the error instead of every request paying for the ping.
POOL_RECYCLE_SECONDS = 1800


def create_engine(settings: Settings, url: str | None = None, **kwargs: Any) -> AsyncEngine:
    return create_async_engine(
        url or database_url(settings),
        pool_size=settings.db_pool_size,
        pool_recycle=POOL_RECYCLE_SECONDS,
        echo=settings.db_echo,
        **kwargs,
    )


def create_read_engine(
    settings: Settings, url: str | None = None, server_settings: dict[str, str] | None = None
) -> AsyncEngine:
    """An engine for read sessions: autocommit, on connections the server keeps read-only.

    At READ COMMITTED every statement takes its own snapshot inside a transaction as
    well, so dropping the transaction changes nothing a read sees and saves its BEGIN
    and ROLLBACK. ``default_transaction_read_only`` is sent with the connection's
    startup packet (no round trip) and keeps the read session's promise at the
    server: without a transaction to roll back, a stray write would otherwise stick.
    """
    return create_engine(
        settings,
        url,
        isolation_level="AUTOCOMMIT",
        connect_args={
            "server_settings": {"default_transaction_read_only": "on", **(server_settings or {})}
        },
    )


def api_database(settings: Settings, url: str) -> Database:
    """The API's database: a write engine and a read engine whose every statement the
    server cancels after ``statement_timeout_ms``.

    The timeout travels in the connection's startup packet (no round trip) and the
    server enforces it, so a runaway statement ends even when nobody is waiting for
    it any more. Migrations, imports and seeding open their own engines without it:
    their statements are long by nature.
    """
    server_settings = (
        {"statement_timeout": str(settings.statement_timeout_ms)}
        if settings.statement_timeout_ms
        else {}
    )
    return Database(
        create_engine(settings, url, connect_args={"server_settings": server_settings}),
        create_read_engine(settings, url, server_settings),
    )


async def read(
    session: AsyncSession, stmt: Executable, params: dict[str, Any] | None = None
) -> CursorResult[*tuple[Any, ...]]:
    """Run a read statement on the session's connection, returning plain rows.

    Read paths select columns, never entities, so the ORM's per-execution work
    (compile-state setup, result wrapping, identity map) buys nothing; the
    connection runs the same cached statement for a fraction of the Python cost.
    ``params`` are values for the statement's named ``bindparam``s: hot paths build
    their statement once and pass only values. A write session may hold pending
    objects a read must see, so those are flushed first, as the session's autoflush
    would.
    """
    if session.new or session.dirty or session.deleted:
        await session.flush()
    return await finish_then_cancel(_execute(session, stmt, params))


async def _execute(
    session: AsyncSession, stmt: Executable, params: dict[str, Any] | None
) -> CursorResult[*tuple[Any, ...]]:
    return await (await session.connection()).execute(stmt, params)


async def finish_then_cancel(work: Awaitable[T]) -> T:
    """Await ``work``; if the caller is cancelled meanwhile, let it finish first.

    graphql-core cancels the sibling fields of a non-null field that failed. A
    statement cancelled half-way leaves its connection mid-protocol, and SQLAlchemy
    invalidates it: the session's next statement, or the pool's next user, failed
    with "connection is closed". So a statement, once sent, runs to its end, and
    only then is the cancellation passed on.
    """
    task = asyncio.ensure_future(work)
    try:
        return await asyncio.shield(task)
    except asyncio.CancelledError:
        await asyncio.wait([task])
        if not task.cancelled():
            # Retrieved, so asyncio does not log it: the caller is cancelled either way.
            task.exception()
        raise


def any_of(
    column: ColumnElement[Any] | QueryableAttribute[Any], values: Sequence[Any]
) -> ColumnElement[bool]:
    """``column = ANY(:values)`` with the values bound as one array.

    Unlike ``IN (...)``, whose expanding parameter is rewritten into one placeholder
    per value on every execution, the statement text is the same whatever the
    number of values, so the server-side prepared statement is reused too.
    """
    return column == any_(bindparam(None, list(values), type_=ARRAY(column.expression.type)))


class Database:
    """An engine (or, in tests, one connection) and the two session factories on it.

    Bound to a connection, sessions join its transaction through savepoints, so a
    test can roll back everything the code under test committed.
    """

    def __init__(
        self, bind: AsyncEngine | AsyncConnection, read_bind: AsyncEngine | None = None
    ) -> None:
        self.bind = bind
        self.read_bind = read_bind
        options: dict[str, Any] = {"expire_on_commit": False}
        if isinstance(bind, AsyncConnection):
            options["join_transaction_mode"] = "create_savepoint"
        self._read = async_sessionmaker(read_bind or bind, class_=AsyncReadSession, **options)
        self._write = async_sessionmaker(bind, class_=AsyncWriteSession, **options)

    @asynccontextmanager
    async def read_session(self) -> AsyncIterator[AsyncReadSession]:
        async with self._read() as session:
            yield session

    @asynccontextmanager
    async def write_session(self) -> AsyncIterator[AsyncWriteSession]:
        async with self._write() as session, session.begin():
            yield session

    async def dispose(self) -> None:
        if isinstance(self.bind, AsyncEngine):
            await self.bind.dispose()
        if self.read_bind is not None:
            await self.read_bind.dispose()
