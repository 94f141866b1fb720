from __future__ import annotations

from datetime import datetime

import strawberry


@strawberry.type(description="The current state of one consent of a customer.")
class Consent:
    purpose: str | None = strawberry.field(description="profiling, marketing or partner_sharing.")
    granted: bool | None = strawberry.field(description="Whether the customer consents.")
    source: str | None = strawberry.field(description="Where the latest decision came from.")
    updated_at: datetime | None = strawberry.field(description="When it last changed.")
