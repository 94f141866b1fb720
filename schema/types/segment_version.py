from __future__ import annotations

from datetime import datetime

import strawberry


@strawberry.type(description="One saved edit of a segment, kept whole.")
class SegmentVersion:
    version: int = strawberry.field(description="1 for the first save, then one more per edit.")
    name: str = strawberry.field(description="The name as saved in this version.")
    rule: str = strawberry.field(description="The rule as saved in this version.")
    description: str = strawberry.field(description="The description as saved.")
    created_by: str = strawberry.field(description="Who saved this version.")
    created_at: datetime = strawberry.field(description="When this version was saved.")
