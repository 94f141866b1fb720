from __future__ import annotations

from datetime import UTC, datetime

import strawberry

from cdp.errors import InvalidInput
from policies.audit import AuditFilter


def _aware(value: datetime | None) -> datetime | None:
    # An instant without an offset is taken as UTC, as the trail stores it.
    if value is None or value.tzinfo is not None:
        return value
    return value.replace(tzinfo=UTC)


@strawberry.input(description="Which audit entries; every condition given must hold.")
class AuditLogFilter:
    principal: str | None = strawberry.field(
        default=None, description="Read by this principal (API key name or JWT subject)."
    )
    role: str | None = strawberry.field(
        default=None, description="Read by a caller holding this role (among others)."
    )
    purpose: str | None = strawberry.field(default=None, description="Stated this purpose.")
    operation: str | None = strawberry.field(default=None, description="This operation name.")
    customer_no: str | None = strawberry.field(
        default=None, description="Read this customer (among others)."
    )
    field_path: str | None = strawberry.field(
        default=None,
        description="Read this field, as Type.field, e.g. Customer.aum (selected, filtered "
        "on or ordered by); Customer.aum@filter for one way only.",
    )
    since: datetime | None = strawberry.field(
        default=None, description="At or after this instant (UTC when no offset is given)."
    )
    until: datetime | None = strawberry.field(
        default=None, description="Before this instant (UTC when no offset is given)."
    )

    def fields_used(self) -> set[str]:
        """The ``AuditEntry`` fields (GraphQL names) this filter selects entries by."""
        used = {
            entry_field
            for entry_field, value in (
                ("principal", self.principal),
                ("roles", self.role),
                ("purpose", self.purpose),
                ("operation", self.operation),
                ("customerNos", self.customer_no),
                ("fieldPaths", self.field_path),
                ("occurredAt", self.since),
                ("occurredAt", self.until),
            )
            if value is not None
        }
        return used

    def to_domain(self, customer_id: int | None) -> AuditFilter:
        """The repository's filter; ``customer_id`` is ``customer_no`` looked up."""
        since, until = _aware(self.since), _aware(self.until)
        if since is not None and until is not None and since >= until:
            raise InvalidInput("filter: since must be before until", argument="filter")
        return AuditFilter(
            principal=self.principal,
            role=self.role,
            purpose=self.purpose,
            operation=self.operation,
            customer_id=customer_id,
            field_path=self.field_path,
            since=since,
            until=until,
        )
