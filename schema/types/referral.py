from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Annotated

import strawberry

if TYPE_CHECKING:
    from schema.types.customer import Customer


@strawberry.type(description="A referral seen from one customer: the other party and how.")
class Referral:
    customer: Annotated[Customer, strawberry.lazy("schema.types.customer")] | None = (
        strawberry.field(
            description="The other party: the referrer in referredBy, the referee in referrals."
        )
    )
    referred_at: datetime | None = strawberry.field(description="When the referral happened.")
    channel: str | None = strawberry.field(description="advisor, app, event, friend or partner.")
