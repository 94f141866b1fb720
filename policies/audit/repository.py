"""What auditors ask of the audit trail, and the retention purge.

Pages are newest first and keyed by ``(occurred_at, id)``: the position of the
last row seen, not an offset, so paging stays cheap deep into a large log and
does not skip or repeat rows while new entries arrive at the top.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import (
    BigInteger,
    ColumnElement,
    Text,
    any_,
    bindparam,
    delete,
    func,
    select,
    tuple_,
)
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.ext.asyncio import AsyncSession

from cdp.config import Settings, get_settings
from cdp.db.engine import any_of, read
from cdp.db.models import AuditLog, Customer
from policies.audit.entry import ROLE_SEPARATOR
from policies.audit.reads import every_use


@dataclass(frozen=True, slots=True)
class AuditFilter:
    """Conditions that all hold for a returned row; ``None`` means any.

    ``role`` matches a row whose role set contains it; ``customer_id`` and
    ``field_path`` match rows that name them among others; a ``field_path`` without
    a use (``Customer.aum``) matches its selections, filters and orderings alike. ``since`` is
    inclusive, ``until`` exclusive, so adjacent ranges never count a row twice.
    """

    principal: str | None = None
    role: str | None = None
    purpose: str | None = None
    operation: str | None = None
    customer_id: int | None = None
    field_path: str | None = None
    since: datetime | None = None
    until: datetime | None = None


@dataclass(frozen=True, slots=True)
class AuditCursor:
    """The last row of a page; the next page starts strictly after it."""

    occurred_at: datetime
    id: int


@dataclass(frozen=True, slots=True)
class AuditRow:
    id: int
    occurred_at: datetime
    principal: str
    roles: tuple[str, ...]
    purpose: str | None
    operation: str | None
    field_paths: tuple[str, ...]
    customer_ids: tuple[int, ...]
    policy_version: str | None
    request_id: str | None


@dataclass(frozen=True, slots=True)
class AuditPage:
    rows: list[AuditRow]
    next: AuditCursor | None  # None: this was the last page


def _contains(column: Any, value: object, item_type: Any) -> ColumnElement[bool]:
    # ``@>`` rather than ``= ANY``: a GIN index on the array column can serve it.
    return column.op("@>")(bindparam(None, [value], type_=ARRAY(item_type)))  # type: ignore[no-any-return]


def _conditions(f: AuditFilter) -> list[ColumnElement[bool]]:
    where: list[ColumnElement[bool]] = []
    if f.principal is not None:
        where.append(AuditLog.principal == f.principal)
    if f.role is not None:
        roles = func.string_to_array(AuditLog.role, ROLE_SEPARATOR, type_=ARRAY(Text))
        where.append(bindparam(None, f.role, type_=Text) == any_(roles))
    if f.purpose is not None:
        where.append(AuditLog.purpose == f.purpose)
    if f.operation is not None:
        where.append(AuditLog.operation == f.operation)
    if f.customer_id is not None:
        where.append(_contains(AuditLog.customer_ids, f.customer_id, BigInteger))
    if f.field_path is not None:
        # A field is read by selecting it, filtering on it or ordering by it.
        paths = list(every_use(f.field_path))
        where.append(AuditLog.field_paths.op("&&")(bindparam(None, paths, type_=ARRAY(Text))))
    if f.since is not None:
        where.append(AuditLog.occurred_at >= f.since)
    if f.until is not None:
        where.append(AuditLog.occurred_at < f.until)
    return where


class AuditRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def search(
        self,
        filters: AuditFilter | None = None,
        *,
        after: AuditCursor | None = None,
        limit: int = 100,
    ) -> AuditPage:
        """One page of matching rows, newest first, starting after ``after``."""
        if limit < 1:
            raise ValueError("limit must be at least 1")
        where = _conditions(filters or AuditFilter())
        if after is not None:
            where.append(tuple_(AuditLog.occurred_at, AuditLog.id) < (after.occurred_at, after.id))
        stmt = (
            select(
                AuditLog.id,
                AuditLog.occurred_at,
                AuditLog.principal,
                AuditLog.role,
                AuditLog.purpose,
                AuditLog.operation,
                AuditLog.field_paths,
                AuditLog.customer_ids,
                AuditLog.policy_version,
                AuditLog.request_id,
            )
            .where(*where)
            .order_by(AuditLog.occurred_at.desc(), AuditLog.id.desc())
            .limit(limit + 1)  # one more tells whether another page exists
        )
        fetched = (await read(self.session, stmt)).all()
        rows = [
            AuditRow(
                id=r.id,
                occurred_at=r.occurred_at,
                principal=r.principal,
                roles=tuple(r.role.split(ROLE_SEPARATOR)),
                purpose=r.purpose,
                operation=r.operation,
                field_paths=tuple(r.field_paths),
                customer_ids=tuple(r.customer_ids),
                policy_version=r.policy_version,
                request_id=r.request_id,
            )
            for r in fetched[:limit]
        ]
        more = len(fetched) > limit
        last = rows[-1] if rows else None
        return AuditPage(rows, AuditCursor(last.occurred_at, last.id) if more and last else None)

    async def count(self, filters: AuditFilter | None = None) -> int:
        """How many rows match, across all pages."""
        where = _conditions(filters or AuditFilter())
        stmt = select(func.count()).select_from(AuditLog).where(*where)
        return int((await read(self.session, stmt)).scalar_one())

    async def customer_numbers(self, ids: Iterable[int]) -> dict[int, str]:
        """Customer numbers of customer ids, in one statement (a page's ids at once).

        Ids of customers that no longer exist are absent. Row scopes do not apply:
        whoever may read the audit trail may see whom it names.
        """
        wanted = sorted(set(ids))
        if not wanted:
            return {}
        stmt = select(Customer.id, Customer.customer_no).where(any_of(Customer.id, wanted))
        return {r.id: r.customer_no for r in await read(self.session, stmt)}

    async def customer_id(self, customer_no: str) -> int | None:
        """The id of a customer number, to filter the trail by it; ``None`` if unknown."""
        stmt = select(Customer.id).where(Customer.customer_no == customer_no)
        found: int | None = (await read(self.session, stmt)).scalar_one_or_none()
        return found

    async def purge_older_than(self, days: int, *, now: datetime | None = None) -> int:
        """Delete rows older than ``days`` days; returns how many. The caller commits."""
        if days < 1:
            raise ValueError("retention must be at least one day")
        cutoff = (now or datetime.now(UTC)) - timedelta(days=days)
        result = await self.session.execute(delete(AuditLog).where(AuditLog.occurred_at < cutoff))
        return int(getattr(result, "rowcount", 0))

    async def purge_expired(self, settings: Settings | None = None) -> int:
        """Apply the configured retention (``audit_retention_days``)."""
        return await self.purge_older_than((settings or get_settings()).audit_retention_days)
