"""Tag values now and in the past, and the values people set by hand.

Current values live in ``tag_value`` (a row only where a customer has the tag);
the past is the ``tag_event`` timeline, so "which tags did a customer have on a
date" replays the last event of each tag up to that moment, and "who entered a
tag between two dates" reads the events of one tag in a time range (both served
by the events' indexes).
"""

from __future__ import annotations

import csv
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import and_, select
from sqlalchemy.dialects.postgresql import distinct_on
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.ext.asyncio import AsyncSession

from cdp.db.models import Customer, TagDefinition, TagEvent, TagValue
from cdp.errors import Conflict, InvalidInput, NotFound
from tagging.definitions import get_tag
from tagging.visibility import TagInputs

MAX_NUMBER = 1e15


@dataclass(frozen=True)
class CurrentTag:
    key: str
    name_zh: str
    name_en: str
    category: str
    value: Any
    evidence: dict[str, Any]
    version: int
    run_id: int | None
    source: str
    set_by: str | None
    updated_at: datetime


@dataclass(frozen=True)
class TimelineEvent:
    key: str
    kind: str
    old_value: Any
    new_value: Any
    version: int
    run_id: int | None
    actor: str | None
    occurred_at: datetime


def end_of(day: date | datetime) -> datetime:
    """A date means the end of that day (UTC); a datetime means itself."""
    if isinstance(day, datetime):
        return day
    from datetime import UTC

    return datetime.combine(day + timedelta(days=1), time.min, tzinfo=UTC)


async def customer_tags(session: AsyncSession, customer_id: int) -> list[CurrentTag]:
    """The customer's current tags with their evidence, in category and key order."""
    rows = await session.execute(
        select(
            TagDefinition.key,
            TagDefinition.name_zh,
            TagDefinition.name_en,
            TagDefinition.category,
            TagValue.value,
            TagValue.evidence,
            TagValue.version,
            TagValue.run_id,
            TagValue.source,
            TagValue.set_by,
            TagValue.updated_at,
        )
        .join(TagDefinition, TagDefinition.id == TagValue.tag_id)
        .where(TagValue.customer_id == customer_id)
        .order_by(TagDefinition.category, TagDefinition.key)
    )
    return [CurrentTag(*row) for row in rows]


async def customers_tags(
    session: AsyncSession, customer_ids: Sequence[int]
) -> list[tuple[int, CurrentTag, TagInputs]]:
    """The current tags of many customers in one statement, as (customer id, tag, what
    the tag's own rule reads: for ``tagging.visibility``)."""
    if not customer_ids:
        return []
    rows = await session.execute(
        select(
            TagValue.customer_id,
            TagDefinition.key,
            TagDefinition.name_zh,
            TagDefinition.name_en,
            TagDefinition.category,
            TagValue.value,
            TagValue.evidence,
            TagValue.version,
            TagValue.run_id,
            TagValue.source,
            TagValue.set_by,
            TagValue.updated_at,
            TagDefinition.permission_fields,
            TagDefinition.dependencies,
        )
        .join(TagDefinition, TagDefinition.id == TagValue.tag_id)
        .where(TagValue.customer_id.in_(customer_ids))
        .order_by(TagValue.customer_id, TagDefinition.category, TagDefinition.key)
    )
    return [
        (
            row[0],
            CurrentTag(*row[1:12]),
            TagInputs(row[1], frozenset(row[12] or ()), frozenset(row[13] or ())),
        )
        for row in rows
    ]


async def timeline(
    session: AsyncSession, customer_id: int, *, tag_key: str | None = None, limit: int = 100
) -> list[TimelineEvent]:
    """The customer's tag changes, newest first."""
    if not 1 <= limit <= 1000:
        raise InvalidInput("limit must be 1-1000")
    stmt = (
        select(
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
        .where(TagEvent.customer_id == customer_id)
        .order_by(TagEvent.occurred_at.desc(), TagEvent.id.desc())
        .limit(limit)
    )
    if tag_key is not None:
        stmt = stmt.where(TagDefinition.key == tag_key)
    return [TimelineEvent(*row) for row in await session.execute(stmt)]


async def tags_as_of(
    session: AsyncSession, customer_id: int, at: date | datetime
) -> dict[str, Any]:
    """The customer's tags (key → value) as they were at ``at`` (a date: its end)."""
    last = (
        select(TagEvent.tag_id, TagEvent.kind, TagEvent.new_value)
        .where(TagEvent.customer_id == customer_id, TagEvent.occurred_at < end_of(at))
        .ext(distinct_on(TagEvent.tag_id))
        .order_by(TagEvent.tag_id, TagEvent.occurred_at.desc(), TagEvent.id.desc())
        .subquery()
    )
    rows = await session.execute(
        select(TagDefinition.key, last.c.new_value)
        .join(last, last.c.tag_id == TagDefinition.id)
        .where(last.c.kind != "left")
        .order_by(TagDefinition.key)
    )
    return {key: value for key, value in rows}


async def entered_between(
    session: AsyncSession, tag_key: str, start: date | datetime, end: date | datetime
) -> list[int]:
    """Customers who entered the tag in [start, end] (dates: whole days, inclusive)."""
    definition = await get_tag(session, tag_key)
    begin = start if isinstance(start, datetime) else end_of(start - timedelta(days=1))
    rows = await session.scalars(
        select(TagEvent.customer_id)
        .where(
            TagEvent.tag_id == definition.id,
            TagEvent.kind == "entered",
            and_(TagEvent.occurred_at >= begin, TagEvent.occurred_at < end_of(end)),
        )
        .distinct()
        .order_by(TagEvent.customer_id)
    )
    return list(rows)


def coerce_value(definition: TagDefinition, value: Any) -> Any:
    """A value a person or a file gives, checked against the tag's value type."""
    if definition.value_type == "boolean":
        if value is True or (isinstance(value, str) and value.lower() in ("true", "1", "yes")):
            return True
        raise InvalidInput(f"tag {definition.key!r} is boolean: its only value is true")
    if definition.value_type == "enum":
        if value not in definition.enum_values:
            raise InvalidInput(
                f"tag {definition.key!r} takes one of {', '.join(definition.enum_values)}"
            )
        return value
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise InvalidInput(f"tag {definition.key!r} takes a number") from None
    if not abs(number) < MAX_NUMBER:
        raise InvalidInput(f"tag {definition.key!r}: number out of range")
    return int(number) if number.is_integer() else number


async def set_manual_values(
    session: AsyncSession,
    tag_key: str,
    values: Sequence[tuple[int, Any]],
    *,
    actor: str,
    source: str = "manual",
) -> int:
    """Set (customer id, value) pairs of a manual tag; a value of ``None`` removes it.

    Returns how many values changed. Each change is a timeline event with its actor.
    """
    definition = await get_tag(session, tag_key)
    if definition.kind != "manual":
        raise Conflict(f"tag {tag_key!r} is computed by its rule; only manual tags are set")
    if definition.status != "active":
        raise Conflict(f"tag {tag_key!r} is {definition.status}; publish it first")
    wanted = {cid: None if v is None else coerce_value(definition, v) for cid, v in values}
    if not wanted:
        return 0
    known = set(await session.scalars(select(Customer.id).where(Customer.id.in_(wanted))))
    missing = sorted(set(wanted) - known)
    if missing:
        raise NotFound(f"no customers with ids {', '.join(map(str, missing[:10]))}")
    rows = await session.execute(
        select(TagValue.customer_id, TagValue.value).where(
            TagValue.tag_id == definition.id, TagValue.customer_id.in_(wanted)
        )
    )
    current = {customer_id: value for customer_id, value in rows}
    changed = 0
    for customer_id, value in wanted.items():
        old = current.get(customer_id)
        if old == value:
            continue
        changed += 1
        kind = "entered" if old is None else "left" if value is None else "changed"
        session.add(
            TagEvent(
                tag_id=definition.id,
                customer_id=customer_id,
                kind=kind,
                old_value=old,
                new_value=value,
                version=definition.version,
                actor=actor,
            )
        )
        if value is None:
            row = await session.get(TagValue, (definition.id, customer_id))
            if row is not None:
                await session.delete(row)
            continue
        await session.execute(
            pg_insert(TagValue)
            .values(
                tag_id=definition.id,
                customer_id=customer_id,
                value=value,
                version=definition.version,
                source=source,
                set_by=actor,
                evidence={"set_by": actor, "source": source},
            )
            .on_conflict_do_update(
                index_elements=[TagValue.tag_id, TagValue.customer_id],
                set_={"value": value, "version": definition.version, "set_by": actor},
            )
        )
    await session.flush()
    return changed


MAX_IMPORT_ROWS = 1_000_000


async def import_values(
    session: AsyncSession, path: Path, tag_key: str, *, actor: str
) -> tuple[int, int]:
    """Set a manual tag from a CSV file (``customer_no,value``); returns (changed, rows).

    An empty value removes the customer's value. Unknown customer numbers are
    refused by number before anything is written.
    """
    with path.open(newline="", encoding="utf-8-sig") as handle:
        reader = csv.DictReader(handle)
        if not reader.fieldnames or {"customer_no", "value"} - set(reader.fieldnames):
            raise InvalidInput(f"{path.name}: the header must name customer_no and value")
        rows = [(r["customer_no"].strip(), (r["value"] or "").strip()) for r in reader]
    if len(rows) > MAX_IMPORT_ROWS:
        raise InvalidInput(f"{path.name}: at most {MAX_IMPORT_ROWS:,} rows")
    numbers = {no for no, _ in rows}
    found = dict(
        (no, cid)
        for no, cid in await session.execute(
            select(Customer.customer_no, Customer.id).where(Customer.customer_no.in_(numbers))
        )
    )
    unknown = sorted(numbers - set(found))
    if unknown:
        raise NotFound(f"{path.name}: unknown customers {', '.join(unknown[:10])}")
    values = [(found[no], value or None) for no, value in rows]
    changed = await set_manual_values(session, tag_key, values, actor=actor, source="import")
    return changed, len(rows)
