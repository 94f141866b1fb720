"""Policy changes reach every process within a second: ``PolicyWatcher``.

Each process keeps one dedicated asyncpg connection (outside the SQLAlchemy pool,
which would hand it to a request) that ``LISTEN``s on ``POLICY_CHANNEL``; a
committed change (``PgPolicyStore.apply``) notifies it and the watcher calls the
holder's ``refresh``. Notifications carry the new version but are only a nudge:
the holder reads the store, so a burst of changes collapses into one or two
reloads and nothing depends on the payload.

A notification sent while the connection is down is lost, so every (re)connect
is followed by a refresh, and a connection that dies is noticed two ways: asyncpg
reports a closed socket at once, and a ``SELECT 1`` every ``check_interval``
catches one that hangs. While the database is out of reach the watcher refreshes
on each retry; those refreshes fail, and a failing refresh denies (see
``policies.holder``).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable
from typing import Any

import asyncpg
from sqlalchemy import make_url
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from policies.pg_store import POLICY_CHANNEL

log = logging.getLogger(__name__)


def listen_dsn(bind: AsyncEngine | AsyncConnection) -> str:
    """A plain PostgreSQL DSN for asyncpg, from the engine behind ``bind``."""
    url = make_url(bind.engine.url).set(drivername="postgresql")
    return url.render_as_string(hide_password=False)


class PolicyWatcher:
    """Calls ``on_change`` when the policy may have changed, until ``stop``."""

    def __init__(
        self,
        dsn: str,
        on_change: Callable[[], Awaitable[Any]],
        *,
        channel: str = POLICY_CHANNEL,
        retry_interval: float = 0.5,
        check_interval: float = 10.0,
    ) -> None:
        self.dsn = dsn
        self.on_change = on_change
        self.channel = channel
        self.retry_interval = retry_interval
        self.check_interval = check_interval
        self.listening = asyncio.Event()
        self.backend_pid: int | None = None
        self._wake = asyncio.Event()
        self._task: asyncio.Task[None] | None = None

    async def start(self) -> None:
        """Start watching in the background (returns at once; see ``listening``)."""
        if self._task is None:
            self._task = asyncio.create_task(self._run(), name="policy-watcher")

    async def stop(self) -> None:
        """Stop watching and close the connection."""
        task, self._task = self._task, None
        if task is not None:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task

    async def _run(self) -> None:
        while True:
            try:
                await self._listen()
            except Exception:  # a dead watcher would freeze the policy silently
                log.warning("policy watcher lost its connection; reconnecting", exc_info=True)
            self.listening.clear()
            self.backend_pid = None
            await self.on_change()
            await asyncio.sleep(self.retry_interval)

    async def _listen(self) -> None:
        conn: asyncpg.Connection = await asyncpg.connect(self.dsn, timeout=self.retry_interval * 4)
        try:
            conn.add_termination_listener(lambda _conn: self._wake.set())
            await conn.add_listener(self.channel, self._notified)
            self.backend_pid = conn.get_server_pid()
            # Changes committed while we were not listening were never announced to us.
            await self.on_change()
            self.listening.set()
            while True:
                with contextlib.suppress(asyncio.TimeoutError):
                    await asyncio.wait_for(self._wake.wait(), self.check_interval)
                self._wake.clear()
                if conn.is_closed():
                    raise asyncpg.InterfaceError("listening connection closed")
                await conn.fetchval("SELECT 1", timeout=self.check_interval)
                await self.on_change()
        finally:
            # Neither closing nor its failure may hide why we got here.
            with contextlib.suppress(Exception):
                await conn.close(timeout=1)

    def _notified(self, _conn: Any, _pid: int, _channel: str, _payload: str) -> None:
        self._wake.set()
