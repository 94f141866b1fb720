from __future__ import annotations

from datetime import datetime
from decimal import Decimal

import strawberry

from schema.types.product import Product


@strawberry.type(description="A customer's position in one product.")
class Holding:
    product: Product = strawberry.field(description="The product held.")
    units: Decimal = strawberry.field(description="Units held.")
    market_value: Decimal = strawberry.field(description="Current market value in yuan.")
    cost: Decimal = strawberry.field(description="Acquisition cost in yuan.")
    opened_at: datetime = strawberry.field(description="When the position was opened.")
    updated_at: datetime = strawberry.field(description="When the position last changed.")
