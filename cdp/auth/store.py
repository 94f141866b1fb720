"""API keys in the database: issue, list, revoke, and look up for verification.

Only the boundary commits (see ``cdp.db.engine``): these functions flush.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from cdp.auth import keys
from cdp.auth.base import check_role, check_sources
from cdp.db.models.security import ApiKey
from cdp.errors import Conflict, InvalidInput, NotFound


@dataclass(frozen=True)
class KeyRecord:
    """What verification needs of a key row; cached by the authenticator."""

    id: int
    name: str
    role: str
    key_hash: bytes
    expires_at: datetime | None
    revoked_at: datetime | None
    sources: tuple[str, ...] = ()

    def usable_at(self, now: datetime) -> bool:
        return self.revoked_at is None and (self.expires_at is None or now < self.expires_at)


async def create_key(
    session: AsyncSession,
    name: str,
    role: str,
    now: datetime,
    valid_for: timedelta | None = None,
    sources: Iterable[str] = (),
) -> tuple[ApiKey, str]:
    """A new key row and the key itself, which is never stored and never shown again.

    A ``source_system`` key is bound to the ``sources`` it may send records as
    (at least one); keys of other roles take none.
    """
    name = name.strip()
    if not name or len(name) > 100:
        raise InvalidInput("a key name is 1 to 100 characters")
    check_role(role)
    bound = check_sources(role, sources)
    if await session.scalar(select(ApiKey.id).where(ApiKey.name == name)) is not None:
        raise Conflict(f"a key named {name!r} exists; revoke it or choose another name")
    new = keys.generate()
    row = ApiKey(
        name=name,
        prefix=new.prefix,
        key_hash=keys.hash_secret(new.secret),
        role=role,
        sources=list(bound),
        created_at=now,
        expires_at=now + valid_for if valid_for else None,
    )
    session.add(row)
    try:
        async with session.begin_nested():
            await session.flush()
    except IntegrityError:  # a concurrent create of the same name
        raise Conflict(f"a key named {name!r} exists") from None
    return row, new.token


async def list_keys(session: AsyncSession) -> list[ApiKey]:
    return list(await session.scalars(select(ApiKey).order_by(ApiKey.created_at, ApiKey.id)))


async def revoke_key(session: AsyncSession, name: str, now: datetime) -> ApiKey:
    row = await session.scalar(select(ApiKey).where(ApiKey.name == name))
    if row is None:
        raise NotFound(f"no key named {name!r}")
    if row.revoked_at is None:
        row.revoked_at = now
        await session.flush()
    return row


async def delete_key(session: AsyncSession, name: str) -> None:
    row = await session.scalar(select(ApiKey).where(ApiKey.name == name))
    if row is not None:
        await session.delete(row)
        await session.flush()


async def find_by_prefix(session: AsyncSession, prefix: str) -> KeyRecord | None:
    row = (
        await session.execute(
            select(
                ApiKey.id,
                ApiKey.name,
                ApiKey.role,
                ApiKey.key_hash,
                ApiKey.expires_at,
                ApiKey.revoked_at,
                ApiKey.sources,
            ).where(ApiKey.prefix == prefix)
        )
    ).one_or_none()
    if row is None:
        return None
    key_id, name, role, key_hash, expires_at, revoked_at, sources = row
    return KeyRecord(key_id, name, role, key_hash, expires_at, revoked_at, tuple(sources))


async def record_use(session: AsyncSession, key_ids: list[int], at: datetime) -> None:
    await session.execute(
        update(ApiKey)
        .where(ApiKey.id.in_(key_ids))
        .where((ApiKey.last_used_at.is_(None)) | (ApiKey.last_used_at < at))
        .values(last_used_at=at)
    )
