"""A consent decision as a source system sends it (the ``consents`` import format)."""

from __future__ import annotations

import strawberry


@strawberry.input(
    description="A customer's decision on one purpose of data use. Appended to the "
    "consent history; moves the current state forward unless it is older than it."
)
class ConsentInput:
    customer_key: str = strawberry.field(
        description="sourceKey of a customer record sent by the same source."
    )
    purpose: str = strawberry.field(
        description="profiling, marketing or partner_sharing (or 画像, 营销, 第三方共享, …)."
    )
    granted: str = strawberry.field(
        description="Whether consent is given: Y/N, true/false, 1/0, 同意/撤回, …"
    )
    occurred_at: str = strawberry.field(description="When the customer decided (a timestamp).")
    actor: str | None = strawberry.field(
        default=None, description="Who recorded the decision (at most 100 characters)."
    )
