"""Incremental runs: customers whose data changed are marked dirty and recomputed.

A write path marks the customers it touched in its own transaction, so once the
change is visible the mark is too. A dirty run takes the marks in its own
transaction (a failed run puts them back by rolling back) and widens them to the
customers' households, whose household aggregates the change may move.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import text
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.ext.asyncio import AsyncSession

from cdp.db.models import TagDirtyCustomer


async def mark_dirty(session: AsyncSession, customer_ids: Iterable[int]) -> None:
    """Mark customers for the next dirty run (idempotent; keeps the first mark time)."""
    ids = sorted(set(customer_ids))
    if not ids:
        return
    await session.execute(
        pg_insert(TagDirtyCustomer)
        .values([{"customer_id": i} for i in ids])
        .on_conflict_do_nothing(index_elements=[TagDirtyCustomer.customer_id])
    )


async def dirty_count(session: AsyncSession) -> int:
    return int(await session.scalar(text("SELECT count(*) FROM tag_dirty_customer")) or 0)


async def take_dirty(session: AsyncSession) -> list[int]:
    """Remove the marks (in the caller's transaction) and return the run's customers.

    ``SKIP LOCKED``: marks another transaction is writing right now are left for
    the next run rather than waited for.
    """
    rows = await session.execute(
        text(
            """
            WITH taken AS (
                DELETE FROM tag_dirty_customer d
                WHERE d.customer_id IN (
                    SELECT customer_id FROM tag_dirty_customer FOR UPDATE SKIP LOCKED
                )
                RETURNING d.customer_id
            )
            SELECT customer_id FROM taken
            UNION
            SELECT m2.customer_id
            FROM taken t
            JOIN household_member m1 ON m1.customer_id = t.customer_id
            JOIN household_member m2 ON m2.household_id = m1.household_id
            ORDER BY 1
            """
        )
    )
    return [int(r[0]) for r in rows]
