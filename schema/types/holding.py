from __future__ import annotations

from datetime import datetime
from decimal import Decimal

import strawberry

from schema.types.product import Product


@strawberry.type(description="A customer's position in one product.")
class Holding:
    product: Product | None = strawberry.field(description="The product held.")
    units: Decimal | None = strawberry.field(description="Units held.")
    market_value: Decimal | None = strawberry.field(description="Current market value in yuan.")
    cost: Decimal | None = strawberry.field(description="Acquisition cost in yuan.")
    opened_at: datetime | None = strawberry.field(description="When the position was opened.")
    updated_at: datetime | None = strawberry.field(description="When the position last changed.")
