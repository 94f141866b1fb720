"""Manual tag values set by people: one customer, one tag, one value (or none).

The caller's right comes first (``write`` on ``Tag.value``), then the customer is
looked up by number inside the caller's row scope (an advisor sets tags of own
customers only; a number outside the scope is ``NOT_FOUND`` like an unknown one).
Only manual tags take values this way; each change is a timeline event with the
caller as its actor.
"""

from __future__ import annotations

from typing import Annotated

import strawberry

from cdp.customers.repository import CustomerRepository
from cdp.errors import NotFound
from schema.bounds import bounded
from schema.dataloaders import rows as build
from schema.types.info import Info
from schema.types.tag import Tag
from schema.types.tag_definition import TAG_KEY
from tagging.store import customers_tags, set_manual_values

CUSTOMER_NO = bounded(max_length=32)


@strawberry.type
class ManualTagMutationMixin:
    @strawberry.mutation(
        description="Set a manual tag's value for one customer; a null value removes it. "
        "Answers the customer's value now (null when removed)."
    )
    async def set_manual_tag(
        self,
        info: Info,
        customer_no: Annotated[
            str,
            strawberry.argument(description="Customer number.", metadata=bounded(max_length=32)),
        ],
        key: Annotated[str, strawberry.argument(description="Tag key.", metadata=TAG_KEY)],
        value: Annotated[
            str | None,
            strawberry.argument(
                description="true, an enum label or a number; null (or none) removes it.",
                metadata=bounded(max_length=64),
            ),
        ] = None,
    ) -> Tag | None:
        ctx = info.context
        ctx.policy.require_write("Tag", ["value"])
        ctx.policy.require_filter("Customer", ["customerNo"])
        # One transaction for the lookup, the write and the answer.
        async with ctx.db.write_session() as session:
            row = await CustomerRepository(session).by_customer_no(
                customer_no, scope=ctx.policy.row_scope, aum=False
            )
            if row is None:
                raise NotFound(f"no customer with number {customer_no}")
            await set_manual_values(session, key, [(row.id, value)], actor=ctx.principal.subject)
            current = await customers_tags(session, [row.id])
        for _, tag, _ in current:
            if tag.key == key:
                return build.tag(tag, ctx.policy, evidence=True)
        return None
