"""One customer's tag timeline a page at a time, newest first, by event id."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from cdp.db.engine import read
from cdp.db.models import TagDefinition, TagEvent
from cdp.keyset import AnyRow


async def timeline_page(
    session: AsyncSession,
    customer_id: int,
    *,
    size: int,
    keys: Sequence[str],
    before_id: int | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
) -> Sequence[AnyRow]:
    """Up to ``size + 1`` events of the tags ``keys`` (one more tells whether a next
    page exists). Event ids grow with time, so ordering by id is ordering by when the
    change was recorded."""
    stmt = (
        select(
            TagEvent.id,
            TagDefinition.key,
            TagEvent.kind,
            TagEvent.old_value,
            TagEvent.new_value,
            TagEvent.version,
            TagEvent.run_id,
            TagEvent.actor,
            TagEvent.occurred_at,
        )
        .join(TagDefinition, TagDefinition.id == TagEvent.tag_id)
        .where(TagEvent.customer_id == customer_id, TagDefinition.key.in_(keys))
        .order_by(TagEvent.id.desc())
        .limit(size + 1)
    )
    if before_id is not None:
        stmt = stmt.where(TagEvent.id < before_id)
    if since is not None:
        stmt = stmt.where(TagEvent.occurred_at >= since)
    if until is not None:
        stmt = stmt.where(TagEvent.occurred_at < until)
    return (await read(session, stmt)).all()
