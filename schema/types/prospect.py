"""``prospects``: housemates and referral contacts of high-net-worth customers who hold little.

Only prospects inside the caller's row scope are listed. ``connectedAum`` sums the
AUM of the high-net-worth customers a prospect is linked to, which may lie outside
the caller's scope: it is a field of its own in the policy (roles that see every
customer, or none). The reasons name referral links and household relations, so
only a caller who may read those (``Customer.referrals``, ``Household.members``,
``HouseholdMember.relation``) may ask.
"""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Annotated

import strawberry

from schema.dataloaders.lookahead import selection_of
from schema.graph_access import customers_of, graph_of, unrestricted, visible, yuan
from schema.types.info import Info

if TYPE_CHECKING:
    from schema.types.customer import Customer

_SCOPED_POOL = 1000
_LINKS = (
    ("Customer", "referrals"),
    ("Household", "members"),
    ("HouseholdMember", "relation"),
)


@strawberry.type(description="Someone close to a high-net-worth customer who holds little.")
class Prospect:
    customer: Annotated[Customer, strawberry.lazy("schema.types.customer")] | None = (
        strawberry.field(description="The prospect, as the caller may see it.")
    )
    connected_aum: Decimal | None = strawberry.field(
        description="AUM of the high-net-worth customers the prospect is linked to, in yuan."
    )
    reasons: list[str] | None = strawberry.field(
        description="How the prospect is linked, e.g. 高净值客户的配偶, 由高净值客户推荐."
    )


async def prospects_of(info: Info, first: int) -> list[Prospect]:
    ctx = info.context
    policy = ctx.policy
    policy.require_read("Prospect", "customer")
    # A prospect is named for a link: a referral or a relation in a household.
    for type_name, field in _LINKS:
        policy.require_read(type_name, field)
    service = await graph_of(info)
    everyone = unrestricted(info)
    found = service.prospects(first if everyone else _SCOPED_POOL)
    if not everyone:
        seen = await visible(info, [p.customer_id for p in found])
        found = [p for p in found if p.customer_id in seen][:first]
    sel = selection_of(info)
    built = await customers_of(info, [p.customer_id for p in found], sel.at("customer"))
    if "connectedAum" in sel and policy.may_read("Prospect", "connectedAum"):
        ctx.audit.note(["Prospect.connectedAum"], [p.customer_id for p in found])
    return [
        Prospect(
            **policy.project(
                "Prospect",
                {
                    "customer": built.get(p.customer_id),
                    "connected_aum": yuan(p.connected_aum),
                    "reasons": sorted(set(p.reasons)),
                },
            )
        )
        for p in found
    ]
