from __future__ import annotations

from datetime import datetime
from decimal import Decimal

import strawberry

from schema.relay import Node
from schema.types.household_member import HouseholdMember


@strawberry.type(description="A family managed together; members are customers.")
class Household(Node):
    pk: strawberry.Private[int]
    household_no: str = strawberry.field(description="Household number, unique.")
    name: str = strawberry.field(description="Display name.")
    created_at: datetime = strawberry.field(description="When the household was recorded.")
    aum: Decimal = strawberry.field(description="Assets under management of all members.")
    members: list[HouseholdMember] = strawberry.field(
        default_factory=list, description="Members (those visible to the caller), head first."
    )
