"""Export a segment's members through the permission layer.

The caller's compiled field plan decides everything, as for a query:

- a field the plan denies cannot be requested: ``FORBIDDEN_FIELD`` naming every
  such field, and nothing is read or exported;
- a masked field is exported masked, by the same masking function;
- only members in the caller's row scope are exported;
- a ``marketing`` export (the default purpose) leaves out customers who withdrew
  marketing consent, and says how many;
- every export writes an audit entry in the same transaction: who, which fields,
  which customers (so how many), the purpose, and the segment in ``operation``.

Members are the segment's materialised membership (its last refresh), read in
customer id order; ``after``/``limit`` page through them for callers that cannot
take a whole segment at once.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from cdp.customers.columns import select_customers
from cdp.db.models import Customer, SegmentMember
from cdp.errors import Conflict, ForbiddenField, InvalidInput
from cdp.exports.fields import FIELDS, plain
from cdp.principal import Principal
from policies.audit.entry import AuditEntry
from policies.audit.writer import copy_entries
from policies.compiled import FieldPlan
from policies.consent import gate
from policies.language import Decision
from policies.row_scopes import RowScope
from tagging.segments import get_segment

PURPOSES = ("marketing", "profiling", "partner_sharing")
MAX_ROWS = 1_000_000


@dataclass(frozen=True)
class ExportRequest:
    segment: str
    fields: tuple[str, ...]
    purpose: str = "marketing"
    after: int | None = None  # customer id of the last row of the previous page
    limit: int | None = None  # rows at most; None: every member


@dataclass(frozen=True)
class Export:
    fields: tuple[str, ...]
    rows: list[dict[str, Any]]
    customer_ids: list[int]
    members_in_scope: int  # members of the segment the caller may see
    without_consent: int  # of those, left out for want of the purpose's consent
    next_after: int | None  # pass as ``after`` for the next page; None at the end


def check_fields(plan: FieldPlan, fields: Sequence[str]) -> None:
    """Unknown fields are input errors; denied ones ``FORBIDDEN_FIELD``, all named."""
    if not fields:
        raise InvalidInput("name at least one field to export")
    if len(fields) > len(FIELDS) or len(set(fields)) != len(fields):
        raise InvalidInput("fields must be distinct export fields")
    unknown = sorted(f for f in fields if f not in FIELDS)
    if unknown:
        raise InvalidInput(
            f"cannot export {', '.join(unknown)}; fields: {', '.join(sorted(FIELDS))}",
            fields=unknown,
        )
    denied = sorted(
        f"Customer.{f}" for f in fields if plan.decision("Customer", f, "read") is Decision.DENY
    )
    if denied:
        raise ForbiddenField(f"you may not read {', '.join(denied)}", fields=denied)


async def export_segment(
    session: AsyncSession, plan: FieldPlan, principal: Principal, request: ExportRequest
) -> Export:
    """The permitted, projected rows of a segment's members, audited."""
    check_fields(plan, request.fields)
    if request.purpose not in PURPOSES:
        raise InvalidInput(f"purpose must be one of {', '.join(PURPOSES)}")
    if request.limit is not None and not 1 <= request.limit <= MAX_ROWS:
        raise InvalidInput(f"limit must be 1-{MAX_ROWS:,}")
    segment = await get_segment(session, request.segment)
    if segment.status != "active":
        raise Conflict(f"segment {segment.key!r} is {segment.status}; only active ones export")
    consent = gate(request.purpose).predicate(Customer.id)
    scope = RowScope.of(plan.row_scopes, principal.advisor_id).predicate("customer")
    member = select(SegmentMember.customer_id).where(SegmentMember.segment_id == segment.id)
    in_scope: list[ColumnElement[bool]] = [Customer.id.in_(member)]
    if scope is not None:
        in_scope.append(scope)
    counts = (
        await session.execute(select(func.count(), func.count().filter(~consent)).where(*in_scope))
    ).one()
    stmt = (
        select_customers(aum="aum" in request.fields or "tier" in request.fields)
        .where(*in_scope, consent)
        .order_by(Customer.id)
    )
    if request.after is not None:
        stmt = stmt.where(Customer.id > request.after)
    if request.limit is not None:
        stmt = stmt.limit(request.limit + 1)
    found = (await session.execute(stmt)).all()
    more = request.limit is not None and len(found) > request.limit
    found = found[: request.limit] if more else found
    maskers = plan.maskers.get("Customer", {})
    rows = []
    for row in found:
        out: dict[str, Any] = {}
        for name in request.fields:
            value = FIELDS[name](row)
            if value is not None and name in maskers:
                value = maskers[name](value)
            out[name] = plain(value)
        rows.append(out)
    ids = [int(r.id) for r in found]
    await copy_entries(
        session,
        [
            AuditEntry.of(
                principal,
                operation=f"exportSegment:{segment.key}",
                field_paths=[f"Customer.{f}" for f in request.fields],
                customer_ids=ids,
                purpose=request.purpose,
                policy_version=plan.version,
            )
        ],
    )
    return Export(
        request.fields,
        rows,
        ids,
        int(counts[0]),
        int(counts[1]),
        ids[-1] if more and ids else None,
    )
