from __future__ import annotations

import strawberry


@strawberry.type(
    description="How two groups (segments or tags) overlap, counted in the caller's row scope. "
    "Counts below the minimum group size are null for roles that may not read individual "
    "customers."
)
class SegmentOverlap:
    a: int | None = strawberry.field(description="Customers in the first group.")
    b: int | None = strawberry.field(description="Customers in the second group.")
    both: int | None = strawberry.field(description="Customers in both.")
    either: int | None = strawberry.field(description="Customers in at least one.")
    jaccard: float | None = strawberry.field(description="both / either (0 when either is 0).")
