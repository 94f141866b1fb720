from __future__ import annotations

from datetime import date
from decimal import Decimal

import strawberry

from schema.relay import Node
from schema.types.info import Info


@strawberry.type(description="A product on the shelf: deposit, fund, insurance, trust and so on.")
class Product(Node):
    pk: strawberry.Private[int]
    code: str | None = strawberry.field(description="Product code, unique across the catalogue.")
    name: str | None = strawberry.field(description="Display name.")
    category: str | None = strawberry.field(
        description="Category: deposit, wealth_management, mutual_fund, insurance, "
        "trust, bond or private_fund."
    )
    risk_rating: int | None = strawberry.field(
        description="Risk rating 1–5 (R1 lowest, R5 highest)."
    )
    risk_rating_label: str | None = strawberry.field(description="Risk rating as shown, e.g. 'R3'.")
    min_investment: Decimal | None = strawberry.field(description="Minimum investment in yuan.")
    term_days: int | None = strawberry.field(description="Term in days; null when open-ended.")
    expected_yield: Decimal | None = strawberry.field(
        description="Expected annual yield as a fraction (0.035 is 3.5%), when published."
    )
    currency: str | None = strawberry.field(description="ISO 4217 currency code.")
    status: str | None = strawberry.field(description="on_sale, suspended or closed.")
    launched_at: date | None = strawberry.field(description="Launch date.")

    @strawberry.field(description="How many customers (visible to the caller) hold this product.")
    async def holder_count(self, info: Info) -> int | None:
        info.context.policy.require_read("Product", "holderCount")
        # Counted over holdings, which are sensitive: an audited read (no one customer).
        info.context.audit.note_aggregate(["Product.holderCount"])
        return await info.context.loaders.holder_counts.load(self.pk)
