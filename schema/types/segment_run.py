from __future__ import annotations

from datetime import datetime

import strawberry


@strawberry.type(
    description="One refresh of a segment's members: who entered and who left, counted in "
    "the caller's row scope."
)
class SegmentRun:
    run_id: int = strawberry.field(description="The refresh run's number.")
    started_at: datetime = strawberry.field(description="When the refresh ran.")
    version: int = strawberry.field(description="The segment version it computed.")
    size: int | None = strawberry.field(
        description="Members after the run, in the caller's scope (null when withheld)."
    )
    entered: int | None = strawberry.field(
        description="Customers who entered at this run (null when withheld)."
    )
    left: int | None = strawberry.field(
        description="Customers who left at this run (null when withheld)."
    )
