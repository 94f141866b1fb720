"""A transaction as a source system sends it (the ``transactions`` import format)."""

from __future__ import annotations

import strawberry


@strawberry.input(
    description="One transaction of a customer. Values are normalised exactly as in file "
    "imports; a re-sent transaction (same sourceKey) is not recorded twice."
)
class TransactionInput:
    source_key: str = strawberry.field(
        description="The transaction's own key in the source system, for idempotency."
    )
    customer_key: str = strawberry.field(
        description="sourceKey of a customer record sent by the same source."
    )
    product_code: str | None = strawberry.field(
        default=None, description="The product's code, when the transaction is about one."
    )
    kind: str = strawberry.field(
        description="purchase, redemption, dividend, deposit, withdrawal, transfer_in, "
        "transfer_out or fee (or their Chinese names: 申购, 赎回, …)."
    )
    amount: str = strawberry.field(
        description="Amount in yuan, never negative (the kind gives the direction)."
    )
    channel: str = strawberry.field(
        description="branch, app, web, phone or advisor (or their Chinese names: 网点, …)."
    )
    occurred_at: str = strawberry.field(
        description="When it happened; a timestamp without offset is China Standard Time."
    )
