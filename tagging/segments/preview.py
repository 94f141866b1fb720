"""Preview: how many customers a rule selects and the first few, in a caller's scope."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from tagging.segments.definitions import check_segment_rule
from tagging.segments.query import members_query

PREVIEW_SIZE = 20


@dataclass(frozen=True)
class Preview:
    count: int
    customer_ids: tuple[int, ...]  # the first ``PREVIEW_SIZE`` by id
    permission_fields: tuple[str, ...]  # what the rule read, for the audit trail


async def preview(
    session: AsyncSession,
    rule: str,
    *,
    filterable: Callable[[str], bool] | None,
    scope: ColumnElement[bool] | None = None,
    limit: int = PREVIEW_SIZE,
) -> Preview:
    """Count and first ``limit`` ids of the rule's customers inside ``scope``.

    One statement: the feature rows are computed once, counted and the smallest
    ids kept with a window (``count(*) OVER ()``) so no second pass is needed.
    """
    typed = await check_segment_rule(session, rule, filterable=filterable)
    members = members_query(typed, scope=scope).subquery("members")
    total = func.count().over().label("total")
    page = select(members.c.customer_id, total).order_by(members.c.customer_id).limit(limit)
    rows = (await session.execute(page)).all()
    count = int(rows[0].total) if rows else 0
    return Preview(
        count, tuple(int(r.customer_id) for r in rows), tuple(sorted(typed.permission_fields))
    )


async def count_only(
    session: AsyncSession,
    rule: str,
    *,
    filterable: Callable[[str], bool] | None,
    scope: ColumnElement[bool] | None = None,
) -> int:
    typed = await check_segment_rule(session, rule, filterable=filterable)
    members = members_query(typed, scope=scope).subquery("members")
    return int(await session.scalar(select(func.count()).select_from(members)) or 0)
