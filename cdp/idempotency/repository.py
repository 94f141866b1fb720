"""All SQL of the idempotency key store."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import delete, select, update
from sqlalchemy.dialects.postgresql import insert

from cdp.db.engine import AsyncWriteSession
from cdp.db.models import IdempotencyKey


class IdempotencyRepository:
    def __init__(self, session: AsyncWriteSession) -> None:
        self.session = session

    async def claim(self, source: str, operation: str, key: str, request_hash: bytes) -> bool:
        """Insert the key; False when it exists already.

        A concurrent claim of the same key waits on the primary key until the first
        transaction ends, so two retries can never both run: the second one sees
        the committed row (and its response) or, after a rollback, claims it.
        """
        stmt = (
            insert(IdempotencyKey)
            .values(source=source, operation=operation, key=key, request_hash=request_hash)
            .on_conflict_do_nothing(index_elements=["source", "operation", "key"])
            .returning(IdempotencyKey.key)
        )
        return (await self.session.execute(stmt)).first() is not None

    async def get(self, source: str, operation: str, key: str) -> IdempotencyKey | None:
        stmt = select(IdempotencyKey).where(
            IdempotencyKey.source == source,
            IdempotencyKey.operation == operation,
            IdempotencyKey.key == key,
        )
        return (await self.session.execute(stmt)).scalar_one_or_none()

    async def complete(
        self, source: str, operation: str, key: str, response: dict[str, Any]
    ) -> None:
        stmt = (
            update(IdempotencyKey)
            .where(
                IdempotencyKey.source == source,
                IdempotencyKey.operation == operation,
                IdempotencyKey.key == key,
            )
            .values(response=response)
        )
        await self.session.execute(stmt)

    async def delete_older_than(self, cutoff: datetime) -> int:
        stmt = delete(IdempotencyKey).where(IdempotencyKey.created_at < cutoff)
        result = await self.session.execute(stmt)
        return int(result.rowcount)  # type: ignore[attr-defined]
