from __future__ import annotations

import strawberry

from schema.relay import Node
from schema.types.info import Info


@strawberry.type(description="A relationship manager; customers are assigned to one.")
class Advisor(Node):
    pk: strawberry.Private[int]
    employee_no: str | None = strawberry.field(description="Employee number, unique.")
    name: str | None = strawberry.field(description="Full name.")
    branch: str | None = strawberry.field(description="Branch the advisor works at.")

    @strawberry.field(description="How many (visible) customers the advisor serves.")
    async def customer_count(self, info: Info) -> int | None:
        info.context.policy.require_read("Advisor", "customerCount")
        return await info.context.loaders.advisor_customer_counts.load(self.pk)
