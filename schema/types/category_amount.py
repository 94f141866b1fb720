from __future__ import annotations

from decimal import Decimal

import strawberry


@strawberry.type(description="Assets in one product category.")
class CategoryAmount:
    category: str | None = strawberry.field(description="Product category, e.g. mutual_fund.")
    amount: Decimal | None = strawberry.field(description="Market value held in it, in yuan.")
