from __future__ import annotations

import strawberry

from schema.relay import Node
from schema.types.info import Info


@strawberry.type(description="A relationship manager; customers are assigned to one.")
class Advisor(Node):
    pk: strawberry.Private[int]
    employee_no: str = strawberry.field(description="Employee number, unique.")
    name: str = strawberry.field(description="Full name.")
    branch: str = strawberry.field(description="Branch the advisor works at.")

    @strawberry.field(description="How many (visible) customers the advisor serves.")
    async def customer_count(self, info: Info) -> int:
        return await info.context.loaders.advisor_customer_counts.load(self.pk)
