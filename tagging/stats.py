"""Tag statistics: coverage, value distribution, trend over runs, overlap.

All counted inside PostgreSQL over the sparse values (a tag's rows are the
customers who have it), so a statistic costs one index range per tag. Shares
are of the customers on the book (merged records excluded).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, Numeric, cast, func, literal, literal_column, select
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.ext.asyncio import AsyncSession

from cdp.db.models import Customer, TagDefinition, TagRun, TagValue
from cdp.errors import InvalidInput
from tagging.definitions import get_tag

_TEXT: ColumnElement[Any] = literal_column("'{}'::text[]")


@dataclass(frozen=True)
class Coverage:
    key: str
    customers: int
    share: float


@dataclass(frozen=True)
class Bucket:
    """One value of a boolean/enum tag, or a range [low, high) of a number tag."""

    value: Any
    customers: int
    low: float | None = None
    high: float | None = None


@dataclass(frozen=True)
class TrendPoint:
    run_id: int
    started_at: datetime
    customers: int


@dataclass(frozen=True)
class Overlap:
    a: int
    b: int
    both: int
    either: int

    @property
    def jaccard(self) -> float:
        return self.both / self.either if self.either else 0.0


async def book_size(session: AsyncSession) -> int:
    n = await session.scalar(select(func.count()).where(Customer.status != "merged"))
    return int(n or 0)


async def coverage(session: AsyncSession, keys: Sequence[str] | None = None) -> list[Coverage]:
    """Per tag: how many customers have it and their share of the book."""
    total = await book_size(session)
    stmt = (
        select(TagDefinition.key, func.count(TagValue.customer_id))
        .outerjoin(TagValue, TagValue.tag_id == TagDefinition.id)
        .group_by(TagDefinition.key)
        .order_by(TagDefinition.key)
    )
    if keys:
        stmt = stmt.where(TagDefinition.key.in_(keys))
    return [
        Coverage(key, int(n), n / total if total else 0.0) for key, n in await session.execute(stmt)
    ]


async def distribution(session: AsyncSession, key: str, *, buckets: int = 10) -> list[Bucket]:
    """How values spread: per value (enum in its declared order), or equal-width ranges."""
    definition = await get_tag(session, key)
    if definition.value_type != "number":
        rows = await session.execute(
            select(TagValue.value, func.count())
            .where(TagValue.tag_id == definition.id)
            .group_by(TagValue.value)
        )
        counts = {value: int(n) for value, n in rows}
        order = list(definition.enum_values) if definition.value_type == "enum" else [True]
        return [Bucket(v, counts[v]) for v in order if v in counts]
    if not 1 <= buckets <= 100:
        raise InvalidInput("buckets must be 1-100")
    number = cast(TagValue.value.op("#>>")(_TEXT), Numeric)
    low, high = (
        await session.execute(
            select(func.min(number), func.max(number)).where(TagValue.tag_id == definition.id)
        )
    ).one()
    if low is None:
        return []
    if low == high:
        n = await session.scalar(select(func.count()).where(TagValue.tag_id == definition.id))
        return [Bucket(float(low), int(n or 0), float(low), float(high))]
    width = (high - low) / buckets
    # width_bucket puts the maximum in bucket n+1: fold it into the last one.
    bucket = func.least(func.width_bucket(number, low, high, buckets), buckets)
    rows = await session.execute(
        select(bucket, func.count())
        .where(TagValue.tag_id == definition.id)
        .group_by(bucket)
        .order_by(bucket)
    )
    counts = {int(b): int(n) for b, n in rows}
    return [
        Bucket(None, counts.get(b, 0), float(low + (b - 1) * width), float(low + b * width))
        for b in range(1, buckets + 1)
    ]


async def trend(session: AsyncSession, key: str, *, limit: int = 30) -> list[TrendPoint]:
    """Customers with the tag after each of the last ``limit`` successful full runs."""
    await get_tag(session, key)
    if not 1 <= limit <= 1000:
        raise InvalidInput("limit must be 1-1000")
    held = TagRun.tags[key]["values"].astext
    rows = await session.execute(
        select(TagRun.id, TagRun.started_at, held)
        .where(TagRun.kind == "full", TagRun.status == "succeeded", held.is_not(None))
        .order_by(TagRun.id.desc())
        .limit(limit)
    )
    return [TrendPoint(r, at, int(float(n))) for r, at, n in reversed(rows.all())]


def _members(tag_id: int, value: Any | None) -> Any:
    stmt = select(TagValue.customer_id).where(TagValue.tag_id == tag_id)
    if value is not None:
        stmt = stmt.where(TagValue.value == literal(value, JSONB))
    return stmt


async def overlap(
    session: AsyncSession,
    a: str,
    b: str,
    *,
    a_value: Any | None = None,
    b_value: Any | None = None,
) -> Overlap:
    """Customers with tag ``a`` (optionally a given value), with ``b``, both, either."""
    left = _members((await get_tag(session, a)).id, a_value)
    right = _members((await get_tag(session, b)).id, b_value)
    return await count_overlap(session, left, right)


async def count_overlap(session: AsyncSession, left_q: Any, right_q: Any) -> Overlap:
    """The overlap of two one-column member queries (``customer_id``), in one
    statement: a full join counts each side, both, and either."""
    left = left_q.subquery("a")
    right = right_q.subquery("b")
    row = (
        await session.execute(
            select(
                func.count(left.c.customer_id),
                func.count(right.c.customer_id),
                func.count(left.c.customer_id).filter(right.c.customer_id.is_not(None)),
                func.count(),
            ).select_from(left.join(right, left.c.customer_id == right.c.customer_id, full=True))
        )
    ).one()
    return Overlap(int(row[0]), int(row[1]), int(row[2]), int(row[3]))
