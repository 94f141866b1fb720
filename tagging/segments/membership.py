"""Materialised membership: a refresh run replaces a segment's members and records
who entered and who left, all in set-based SQL (no customer passes through Python).

The new member set lands in a temporary table once; the diff against the stored
members is then three statements (events, deletes, inserts). Run inside the
caller's transaction, a refresh is atomic for readers: they see the previous
members until it commits.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import (
    BigInteger,
    ColumnElement,
    Integer,
    Select,
    column,
    delete,
    exists,
    func,
    insert,
    literal,
    select,
    table,
    text,
    union_all,
)
from sqlalchemy.ext.asyncio import AsyncSession

from cdp.db.models import Customer, SegmentDefinition, SegmentEvent, SegmentMember, SegmentRun
from cdp.errors import Conflict
from tagging.engine.evaluate import CreateTempTableAs
from tagging.segments.definitions import check_segment_rule, get_segment
from tagging.segments.query import members_query

_NEW = "segment_refresh_members"


@dataclass(frozen=True)
class HistoryPoint:
    run_id: int
    started_at: datetime
    version: int
    members: int
    entered: int
    left: int


async def refresh_segment(session: AsyncSession, key: str, *, actor: str) -> SegmentRun:
    """Recompute an active segment's members from its current version.

    The rule was checked against its author's rights when saved; the refresh
    computes over every customer (membership is the segment's, not a reader's:
    readers see it through their own row scope).
    """
    started = time.perf_counter()
    segment = await get_segment(session, key)
    if segment.status != "active":
        raise Conflict(f"segment {key!r} is {segment.status}; publish it before refreshing")
    typed = await check_segment_rule(session, segment.rule, filterable=None)
    run = SegmentRun(segment_id=segment.id, version=segment.version, actor=actor)
    session.add(run)
    await session.flush()
    await session.execute(text(f"DROP TABLE IF EXISTS pg_temp.{_NEW}"))
    await session.execute(CreateTempTableAs(_NEW, members_query(typed)))
    await session.execute(text(f"ALTER TABLE {_NEW} ADD PRIMARY KEY (customer_id)"))
    new = table(_NEW, column("customer_id", BigInteger))
    old = select(SegmentMember.customer_id).where(SegmentMember.segment_id == segment.id)
    entered = select(new.c.customer_id).where(
        ~exists().where(
            SegmentMember.segment_id == segment.id,
            SegmentMember.customer_id == new.c.customer_id,
        )
    )
    left = old.where(~exists().where(new.c.customer_id == SegmentMember.customer_id))

    def events(kind: str, ids: Select[Any]) -> Select[Any]:
        sub = ids.subquery()
        return select(
            literal(segment.id, Integer),
            sub.c.customer_id,
            literal(kind),
            literal(run.id, BigInteger),
            literal(segment.version, Integer),
        )

    counts = await session.execute(
        insert(SegmentEvent)
        .from_select(
            ["segment_id", "customer_id", "kind", "run_id", "version"],
            union_all(events("entered", entered), events("left", left)),
        )
        .returning(SegmentEvent.kind)
    )
    kinds = [k for (k,) in counts]
    await session.execute(
        delete(SegmentMember).where(
            SegmentMember.segment_id == segment.id,
            ~exists().where(new.c.customer_id == SegmentMember.customer_id),
        )
    )
    await session.execute(
        insert(SegmentMember).from_select(
            ["segment_id", "customer_id", "run_id"],
            _member_rows(entered, segment.id, run.id),
        )
    )
    size = int(await session.scalar(text(f"SELECT count(*) FROM {_NEW}")) or 0)
    await session.execute(text(f"DROP TABLE pg_temp.{_NEW}"))
    run.members = size
    run.entered = kinds.count("entered")
    run.left = kinds.count("left")
    run.seconds = time.perf_counter() - started
    segment.members = size
    segment.refreshed_at = func.now()
    await session.flush()
    await session.refresh(segment)
    return run


async def history(
    session: AsyncSession,
    segment: SegmentDefinition,
    *,
    scope: ColumnElement[bool] | None = None,
    limit: int = 30,
) -> list[HistoryPoint]:
    """The last ``limit`` refresh runs, oldest first: size, entered and left per run.

    With a ``scope`` (a predicate over ``customer``) the counts are of the customers
    in it: entered and left from the events, the size as their running balance
    (every membership change is an event, so the balance is exact).
    """
    runs = list(
        await session.scalars(
            select(SegmentRun)
            .where(SegmentRun.segment_id == segment.id)
            .order_by(SegmentRun.id.desc())
            .limit(limit)
        )
    )[::-1]
    if scope is None:
        return [
            HistoryPoint(r.id, r.started_at, r.version, r.members, r.entered, r.left) for r in runs
        ]
    if not runs:
        return []
    kinds = (
        select(
            SegmentEvent.run_id,
            func.count().filter(SegmentEvent.kind == "entered"),
            func.count().filter(SegmentEvent.kind == "left"),
        )
        .join(Customer, Customer.id == SegmentEvent.customer_id)
        .where(SegmentEvent.segment_id == segment.id, scope)
        .group_by(SegmentEvent.run_id)
    )
    per_run = {run: (int(e), int(lft)) for run, e, lft in await session.execute(kinds)}
    size = sum(e - lft for run, (e, lft) in per_run.items() if run < runs[0].id)
    out = []
    for r in runs:
        entered, left = per_run.get(r.id, (0, 0))
        size += entered - left
        out.append(HistoryPoint(r.id, r.started_at, r.version, size, entered, left))
    return out


async def member_count(
    session: AsyncSession, segment: SegmentDefinition, *, scope: ColumnElement[bool] | None = None
) -> int:
    """Members at the last refresh, inside ``scope`` when given."""
    if scope is None:
        return segment.members
    stmt = (
        select(func.count())
        .select_from(SegmentMember)
        .join(Customer, Customer.id == SegmentMember.customer_id)
        .where(SegmentMember.segment_id == segment.id, scope)
    )
    return int(await session.scalar(stmt) or 0)


def _member_rows(ids: Select[Any], segment_id: int, run_id: int) -> Select[Any]:
    """(segment id, customer id, run id) rows for the customers of ``ids``."""
    sub = ids.subquery()
    return select(literal(segment_id, Integer), sub.c.customer_id, literal(run_id, BigInteger))


def members_of(segment_id: int) -> Select[Any]:
    """``SELECT customer_id`` of a segment's stored members."""
    return select(SegmentMember.customer_id).where(SegmentMember.segment_id == segment_id)
