"""An interaction as a source system sends it (the ``events`` import format)."""

from __future__ import annotations

import strawberry
from strawberry.scalars import JSON


@strawberry.input(
    description="One interaction of a customer with the firm (login, call, complaint, …). "
    "Values are normalised exactly as in file imports."
)
class InteractionInput:
    source_key: str = strawberry.field(
        description="The interaction's own key in the source system, for idempotency."
    )
    customer_key: str = strawberry.field(
        description="sourceKey of a customer record sent by the same source."
    )
    kind: str = strawberry.field(
        description="login, product_view, call, complaint, survey, email_open or "
        "branch_visit (or their Chinese names: 登录, 投诉, …)."
    )
    occurred_at: str = strawberry.field(
        description="When it happened; a timestamp without offset is China Standard Time."
    )
    properties: JSON | None = strawberry.field(
        default=None, description="Details of the interaction: a JSON object (default {})."
    )
