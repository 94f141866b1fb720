"""A holding as a source system sends it (the ``holdings`` import format)."""

from __future__ import annotations

import strawberry


@strawberry.input(
    description="A customer's position in one product. A re-sent holding of the same "
    "customer and product updates it. Values are normalised exactly as in file imports."
)
class HoldingInput:
    customer_key: str = strawberry.field(
        description="sourceKey of a customer record sent by the same source."
    )
    product_code: str = strawberry.field(description="The product's code.")
    units: str = strawberry.field(description="Units held, e.g. 1,000.5 (no 万/亿 units).")
    market_value: str = strawberry.field(
        description="Market value in yuan, e.g. 12万, ¥3,000元, 1234.5."
    )
    cost: str | None = strawberry.field(
        default=None, description="Cost in yuan; empty means the market value."
    )
    opened_at: str = strawberry.field(description="When the position was opened (a timestamp).")
