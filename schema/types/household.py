from __future__ import annotations

from datetime import datetime
from decimal import Decimal

import strawberry

from schema.relay import Node
from schema.types.household_member import HouseholdMember


@strawberry.type(description="A family managed together; members are customers.")
class Household(Node):
    pk: strawberry.Private[int]
    household_no: str | None = strawberry.field(description="Household number, unique.")
    name: str | None = strawberry.field(
        description="Display name, usually made of the head's name: shown only to callers "
        "who see every member, and no clearer than they see customers' names."
    )
    created_at: datetime | None = strawberry.field(description="When the household was recorded.")
    aum: Decimal | None = strawberry.field(description="Assets under management of all members.")
    members: list[HouseholdMember] | None = strawberry.field(
        default_factory=list, description="Members (those visible to the caller), head first."
    )
