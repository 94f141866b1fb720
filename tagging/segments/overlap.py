"""Overlap of a segment with another segment or a tag, inside a caller's row scope.

Counted over stored members and stored tag values (what a refresh and a tag run
wrote), so an overlap is a join of two index ranges, not two rule evaluations.
"""

from __future__ import annotations

from typing import Any, Literal

from sqlalchemy import ColumnElement, Select, select
from sqlalchemy.ext.asyncio import AsyncSession

from cdp.db.models import Customer, TagValue
from tagging.definitions import get_tag
from tagging.segments.definitions import get_segment
from tagging.segments.membership import members_of
from tagging.stats import Overlap, count_overlap

GroupKind = Literal["segment", "tag"]


async def _members(session: AsyncSession, kind: GroupKind, key: str) -> Select[Any]:
    if kind == "segment":
        return members_of((await get_segment(session, key)).id)
    tag = await get_tag(session, key)
    return select(TagValue.customer_id).where(TagValue.tag_id == tag.id)


async def overlap(
    session: AsyncSession,
    a: tuple[GroupKind, str],
    b: tuple[GroupKind, str],
    *,
    scope: ColumnElement[bool] | None = None,
) -> Overlap:
    """Members of ``a``, of ``b``, of both and of either, counting only customers in scope."""
    left_q = await _members(session, *a)
    right_q = await _members(session, *b)
    if scope is not None:
        in_scope = select(Customer.id).where(scope)
        left_q = left_q.where(left_q.selected_columns[0].in_(in_scope))
        right_q = right_q.where(right_q.selected_columns[0].in_(in_scope))
    return await count_overlap(session, left_q, right_q)
