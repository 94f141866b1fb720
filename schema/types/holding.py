from __future__ import annotations

from datetime import datetime
from decimal import Decimal

import strawberry

from cdp.db.models import Holding as HoldingRow
from cdp.db.models import Product as ProductRow
from schema.types.product import Product


@strawberry.type(description="A customer's position in one product.")
class Holding:
    row: strawberry.Private[HoldingRow]
    product_row: strawberry.Private[ProductRow]

    @strawberry.field(description="The product held.")
    def product(self) -> Product:
        return Product(row=self.product_row)

    @strawberry.field(description="Units held.")
    def units(self) -> Decimal:
        return self.row.units

    @strawberry.field(description="Current market value in yuan.")
    def market_value(self) -> Decimal:
        return self.row.market_value

    @strawberry.field(description="Acquisition cost in yuan.")
    def cost(self) -> Decimal:
        return self.row.cost

    @strawberry.field(description="When the position was opened.")
    def opened_at(self) -> datetime:
        return self.row.opened_at
