from __future__ import annotations

import strawberry

from schema.types.customer import Customer


@strawberry.type(
    description="What a segment rule selects, in the caller's row scope: the count and the "
    "first 20 customers (by internal id), each as the caller would see it queried directly."
)
class SegmentPreview:
    count: int | None = strawberry.field(
        description="Customers the rule selects; null when fewer than the minimum group size "
        "and the caller may not read individual customers."
    )
    customers: list[Customer] = strawberry.field(description="The first 20 customers.")
