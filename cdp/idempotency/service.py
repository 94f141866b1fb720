"""Run a request at most once per idempotency key.

Source systems retry when a response is lost; with a key, the retry returns the
stored response instead of running the batch again. The key, the request's hash
and the response are written in the caller's transaction, together with the work
itself: either all of it commits or none of it does.
"""

from __future__ import annotations

import hashlib
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import orjson

from cdp.db.engine import AsyncWriteSession
from cdp.errors import Conflict, InvalidInput
from cdp.idempotency.repository import IdempotencyRepository

# Long enough to cover any sensible retry policy of a source system. A retry after
# the key expired runs again; ingestion itself skips unchanged records, so the data
# stays right and only the reported statuses differ (UNCHANGED instead of CREATED).
RETENTION = timedelta(days=7)
MAX_KEY_LENGTH = 128


def request_hash(request: object) -> bytes:
    """SHA-256 of the request as canonical JSON (keys sorted at every level)."""
    return hashlib.sha256(orjson.dumps(request, option=orjson.OPT_SORT_KEYS)).digest()


def check_key(key: str) -> str:
    if not key or len(key) > MAX_KEY_LENGTH or key != key.strip():
        raise InvalidInput(
            f"an idempotency key has 1 to {MAX_KEY_LENGTH} characters, "
            "without leading or trailing spaces",
            limit=MAX_KEY_LENGTH,
        )
    return key


async def run_once(
    session: AsyncWriteSession,
    *,
    source: str,
    operation: str,
    key: str,
    request: object,
    execute: Callable[[], Awaitable[dict[str, Any]]],
) -> dict[str, Any]:
    """``execute()`` the first time ``key`` is used; its stored response afterwards.

    The same key with a different ``request`` raises ``Conflict``: answering it with
    the first request's response would hide that the second was never run.
    """
    repo = IdempotencyRepository(session)
    digest = request_hash(request)
    if await repo.claim(source, operation, check_key(key), digest):
        response = await execute()
        await repo.complete(source, operation, key, response)
        return response
    stored = await repo.get(source, operation, key)
    if stored is None or stored.response is None:  # purged or rolled back in between
        raise Conflict(
            f"idempotency key {key!r} is being used by another request; retry later",
            idempotencyKey=key,
        )
    if stored.request_hash != digest:
        raise Conflict(
            f"idempotency key {key!r} was already used for a different {operation} request",
            idempotencyKey=key,
        )
    return stored.response


async def purge_expired(session: AsyncWriteSession, now: datetime | None = None) -> int:
    """Delete keys older than ``RETENTION``; the number removed."""
    cutoff = (now or datetime.now(UTC)) - RETENTION
    return await IdempotencyRepository(session).delete_older_than(cutoff)
