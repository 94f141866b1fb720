from __future__ import annotations

from decimal import Decimal

import strawberry

from cdp.db.models import Product as ProductRow


@strawberry.type(description="A product on the shelf: deposit, fund, insurance, trust and so on.")
class Product:
    row: strawberry.Private[ProductRow]

    @strawberry.field(description="Product code, unique across the catalogue.")
    def code(self) -> str:
        return self.row.code

    @strawberry.field(description="Display name.")
    def name(self) -> str:
        return self.row.name

    @strawberry.field(
        description="Category: deposit, wealth_management, mutual_fund, insurance, "
        "trust, bond or private_fund."
    )
    def category(self) -> str:
        return self.row.category

    @strawberry.field(description="Risk rating 1–5 (R1 lowest, R5 highest).")
    def risk_rating(self) -> int:
        return self.row.risk_rating

    @strawberry.field(description="Minimum investment in yuan.")
    def min_investment(self) -> Decimal:
        return self.row.min_investment
