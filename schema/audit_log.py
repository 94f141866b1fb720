"""The ``auditLog`` query: the audit trail of sensitive reads, for auditors.

Newest first, a page at a time, with the repository's keyset (``occurred_at``,
``id``) as an opaque cursor, so paging neither skips nor repeats entries while
new ones arrive. Customer ids are turned into customer numbers with one
statement per page.
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import Annotated

import strawberry
from strawberry.relay import PageInfo
from strawberry.types.base import get_object_definition

from cdp.errors import Forbidden, InvalidInput
from policies.audit import AuditCursor, AuditPage, AuditRepository, AuditRow
from schema.permissions import FieldPolicy
from schema.relay import Connection, Edge, open_cursor, seal_cursor
from schema.types.audit_entry import AuditEntry
from schema.types.audit_log_filter import AuditLogFilter
from schema.types.info import Info

_CURSOR_KIND = "audit"
# Python attributes of ``AuditEntry``: whoever may see none of them may not list it.
_ENTRY_FIELDS = tuple(f.python_name for f in get_object_definition(AuditEntry, strict=True).fields)

Count = Callable[[], Awaitable[int]]


def require_audit_reader(info: Info) -> None:
    """Refuse callers whose policy shows them no field of ``AuditEntry`` (the one place
    that decides; the default policy grants ``admin`` and ``auditor``)."""
    policy = info.context.policy
    if not any(policy.wants("AuditEntry", f) for f in _ENTRY_FIELDS):
        raise Forbidden("only auditors and administrators may read the audit log")


def encode_cursor(cursor: AuditCursor, audience: bytes) -> str:
    """The position as an opaque cursor sealed for ``audience``, like every cursor of
    the API."""
    position = json.dumps([_CURSOR_KIND, cursor.occurred_at.isoformat(), cursor.id])
    return seal_cursor(position, audience)


def decode_cursor(value: str, audience: bytes) -> AuditCursor:
    """The position ``value`` names; ``BAD_USER_INPUT`` for anything else."""
    opened = open_cursor(value, audience)
    try:
        kind, at, pk = json.loads(opened or "")
        occurred_at = datetime.fromisoformat(at)
        if kind != _CURSOR_KIND or type(pk) is not int or occurred_at.tzinfo is None:
            raise ValueError(value)
    except (ValueError, TypeError) as e:
        raise InvalidInput(f"after: {value!r} is not a cursor of auditLog", argument="after") from e
    return AuditCursor(occurred_at, pk)


def _entry(row: AuditRow, numbers: dict[int, str], policy: FieldPolicy) -> AuditEntry:
    values = {
        "id": strawberry.ID(str(row.id)),
        "occurred_at": row.occurred_at,
        "principal": row.principal,
        "roles": list(row.roles),
        "purpose": row.purpose,
        "operation": row.operation,
        "field_paths": list(row.field_paths),
        "customer_nos": sorted(numbers[i] for i in row.customer_ids if i in numbers),
        "policy_version": row.policy_version,
        "request_id": row.request_id,
    }
    return AuditEntry(**policy.project("AuditEntry", values))


def _connection(
    page: AuditPage, entries: list[AuditEntry], after: str | None, count: Count, audience: bytes
) -> Connection[AuditEntry]:
    cursors = [encode_cursor(AuditCursor(r.occurred_at, r.id), audience) for r in page.rows]
    return Connection(
        edges=[Edge(cursor=c, node=e) for c, e in zip(cursors, entries, strict=True)],
        nodes=entries,
        page_info=PageInfo(
            has_next_page=page.next is not None,
            has_previous_page=after is not None,
            start_cursor=cursors[0] if cursors else None,
            end_cursor=cursors[-1] if cursors else None,
        ),
        count=count,
    )


async def _none() -> int:
    return 0


@strawberry.type
class AuditQueryMixin:
    @strawberry.field(
        description="The audit trail of sensitive reads, newest first, a page at a time "
        "(auditors and administrators only)."
    )
    async def audit_log(
        self,
        info: Info,
        filter: Annotated[
            AuditLogFilter | None,
            strawberry.argument(description="Which entries; all if omitted."),
        ] = None,
        first: Annotated[
            int | None, strawberry.argument(description="Page size (max 100).")
        ] = None,
        after: Annotated[
            str | None, strawberry.argument(description="Return entries after this cursor.")
        ] = None,
    ) -> Connection[AuditEntry]:
        require_audit_reader(info)
        ctx = info.context
        size = ctx.settings.max_page_size if first is None else first
        if not 1 <= size <= ctx.settings.max_page_size:
            raise InvalidInput(
                f"first must be between 1 and {ctx.settings.max_page_size}", argument="first"
            )
        audience = ctx.policy.audience
        position = decode_cursor(after, audience) if after is not None else None
        repo = AuditRepository(ctx.session)
        wanted = filter or AuditLogFilter()
        ctx.policy.require_filter("AuditEntry", wanted.fields_used())
        async with ctx.lock:
            customer_id = None
            if wanted.customer_no is not None:
                customer_id = await repo.customer_id(wanted.customer_no)
            criteria = wanted.to_domain(customer_id)
            if wanted.customer_no is not None and customer_id is None:
                # An unknown customer was read by nobody.
                return _connection(AuditPage([], None), [], after, _none, audience)
            page = await repo.search(criteria, after=position, limit=size)
            numbers = await repo.customer_numbers(i for r in page.rows for i in r.customer_ids)

        async def count() -> int:
            async with ctx.lock:
                return await repo.count(criteria)

        entries = [_entry(r, numbers, ctx.policy) for r in page.rows]
        return _connection(page, entries, after, count, audience)
