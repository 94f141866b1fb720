from __future__ import annotations

from datetime import datetime

import strawberry


@strawberry.type(description="A tag value the tag engine computed for a customer, with its why.")
class Tag:
    key: str | None = strawberry.field(description="Tag key, e.g. lifecycle_stage.")
    value: str | None = strawberry.field(description="The customer's value of the tag.")
    since: datetime | None = strawberry.field(description="Since when the customer has this value.")
    explanation: str | None = strawberry.field(description="Why the customer has this value.")
