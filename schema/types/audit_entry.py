"""An entry of the audit trail as auditors see it.

Every field is nullable, like all fields policies govern: a policy may deny any
of them, and a denied field is ``null`` with a ``FORBIDDEN_FIELD`` error.
"""

from __future__ import annotations

from datetime import datetime

import strawberry


@strawberry.type(
    description="One audited request: who read which sensitive fields of which customers, "
    "when, why and under which policy."
)
class AuditEntry:
    id: strawberry.ID | None = strawberry.field(description="The entry's number in the trail.")
    occurred_at: datetime | None = strawberry.field(description="When the data was read.")
    principal: str | None = strawberry.field(
        description="Who read it: the API key name or JWT subject."
    )
    roles: list[str] | None = strawberry.field(description="The caller's roles, sorted.")
    purpose: str | None = strawberry.field(
        description="The purpose the caller stated in the X-Purpose header, if any."
    )
    operation: str | None = strawberry.field(description="The GraphQL operation's name, if any.")
    field_paths: list[str] | None = strawberry.field(
        description="The sensitive fields read, as Type.field, sorted: selected in clear "
        "(Customer.aum), used in a filter (Customer.aum@filter) or an ordering "
        "(Customer.aum@order)."
    )
    customer_nos: list[str] | None = strawberry.field(
        description="Customer numbers of the customers read, sorted (customers since deleted "
        "are left out)."
    )
    policy_version: str | None = strawberry.field(
        description="Version of the field-permission policy in force."
    )
    request_id: str | None = strawberry.field(
        description="The request's x-request-id, to find its log lines."
    )
