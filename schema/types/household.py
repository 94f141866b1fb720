from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Annotated

import strawberry

from cdp.customers.tiers import Tier
from schema.relay import Node
from schema.types.category_amount import CategoryAmount
from schema.types.household_member import HouseholdMember
from schema.types.info import Info

if TYPE_CHECKING:
    from schema.types.household_insight import HouseholdGap

_WHOLE = " Null unless the caller's row scope includes every member."


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

    @strawberry.field(description="Asset tier of the household's AUM (knowledge graph)." + _WHOLE)
    async def tier(self, info: Info) -> Tier | None:
        from schema.types.household_insight import tier_of

        return await tier_of(info, self.pk)

    @strawberry.field(
        description="All members' holdings by product category, largest first." + _WHOLE
    )
    async def holdings_by_category(self, info: Info) -> list[CategoryAmount] | None:
        from schema.types.household_insight import holdings_by_category_of

        return await holdings_by_category_of(info, self.pk)

    @strawberry.field(
        description="Product categories no member holds, each with a product to suggest "
        "to the head of the household." + _WHOLE
    )
    async def gaps(
        self, info: Info
    ) -> list[Annotated[HouseholdGap, strawberry.lazy("schema.types.household_insight")]] | None:
        from schema.types.household_insight import gaps_of

        return await gaps_of(info, self.pk)
