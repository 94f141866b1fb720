from __future__ import annotations

from datetime import datetime

import strawberry
from strawberry.scalars import JSON


@strawberry.type(description="Something a customer did or experienced: login, call, complaint…")
class InteractionEvent:
    kind: str | None = strawberry.field(
        description="login, product_view, call, complaint, survey, email_open or branch_visit."
    )
    occurred_at: datetime | None = strawberry.field(description="When it happened.")
    properties: JSON | None = strawberry.field(description="Details as sent by the source system.")
