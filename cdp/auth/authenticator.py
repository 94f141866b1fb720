"""From an ``Authorization`` header to a ``Principal``, once per request.

``Bearer cdp_…`` is an API key, any other bearer token a JWT. Verified key rows
are kept in memory for ``api_key_cache_seconds`` (expiry is still checked on every
request), so a busy key costs no database round trip; a revocation takes effect
within that time in every process. Unknown prefixes are not cached. Last-used
times are written at most once per ``api_key_touch_seconds`` per key and process,
by the caller after the response has gone out.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import UTC, datetime

from cdp.auth import keys
from cdp.auth.base import Unauthenticated
from cdp.auth.store import KeyRecord, find_by_prefix, record_use
from cdp.auth.tokens import TokenVerifier
from cdp.config import Settings
from cdp.db.engine import Database
from cdp.principal import Principal

_MAX_CACHED_KEYS = 10_000


class Authenticator:
    def __init__(self, settings: Settings, clock: Callable[[], float] = time.monotonic) -> None:
        self.tokens = TokenVerifier(settings)
        self._cache_seconds = settings.api_key_cache_seconds
        self._touch_seconds = settings.api_key_touch_seconds
        self._clock = clock
        self._cache: dict[str, tuple[KeyRecord, float]] = {}
        self._touched: dict[int, float] = {}

    async def authenticate(self, db: Database, authorization: str | None) -> Principal:
        if not authorization:
            raise Unauthenticated(
                "Authentication required: send Authorization: Bearer <API key or token>."
            )
        scheme, _, credential = authorization.strip().partition(" ")
        credential = credential.strip()
        if scheme.lower() != "bearer" or not credential:
            raise Unauthenticated("Use the Bearer scheme: Authorization: Bearer <credential>.")
        if keys.looks_like_key(credential):
            return await self._api_key(db, credential)
        if not self.tokens.enabled:
            raise Unauthenticated("Bearer tokens are not accepted here; use an API key.")
        return self.tokens.verify(credential)

    async def _api_key(self, db: Database, credential: str) -> Principal:
        parsed = keys.parse(credential)
        if parsed is None:
            raise Unauthenticated("The API key is malformed.")
        prefix, secret = parsed
        record = await self._record(db, prefix)
        if record is None or not keys.secret_matches(secret, record.key_hash):
            raise Unauthenticated("The API key is not valid.")
        if record.revoked_at is not None:
            raise Unauthenticated("The API key has been revoked.")
        if not record.usable_at(datetime.now(UTC)):
            raise Unauthenticated("The API key has expired.")
        return Principal(
            subject=record.name,
            kind="api_key",
            roles=frozenset({record.role}),
            key_id=record.id,
            sources=frozenset(record.sources),
        )

    async def _record(self, db: Database, prefix: str) -> KeyRecord | None:
        now = self._clock()
        cached = self._cache.get(prefix)
        if cached is not None and now - cached[1] < self._cache_seconds:
            return cached[0]
        async with db.read_session() as session:
            record = await find_by_prefix(session, prefix)
        if record is not None and self._cache_seconds > 0:
            if len(self._cache) >= _MAX_CACHED_KEYS:
                self._cache.clear()
            self._cache[prefix] = (record, now)
        return record

    def touch_due(self, principal: Principal) -> bool:
        """Whether this request should write the key's last-used time; claims the slot."""
        if principal.key_id is None:
            return False
        now = self._clock()
        last = self._touched.get(principal.key_id)
        if last is not None and now - last < self._touch_seconds:
            return False
        self._touched[principal.key_id] = now
        return True

    async def touch(self, db: Database, key_id: int) -> None:
        async with db.write_session() as session:
            await record_use(session, [key_id], datetime.now(UTC))
