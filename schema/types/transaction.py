from __future__ import annotations

from datetime import datetime
from decimal import Decimal

import strawberry

from schema.types.product import Product


@strawberry.type(description="One money movement of a customer.")
class Transaction:
    kind: str | None = strawberry.field(
        description="purchase, redemption, dividend, deposit, withdrawal, transfer_in, "
        "transfer_out or fee."
    )
    amount: Decimal | None = strawberry.field(description="Amount in yuan (never negative).")
    channel: str | None = strawberry.field(description="branch, app, web, phone or advisor.")
    occurred_at: datetime | None = strawberry.field(description="When it happened.")
    product: Product | None = strawberry.field(description="The product, when there is one.")
