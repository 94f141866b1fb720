"""``topReferrers``: customers whose referrals bring in the most, by PageRank influence.

Influence is a batch measure over the whole referral graph. The list holds only
customers inside the caller's row scope; a referrer's cascade size and AUM are
shown only when every customer of the cascade is inside it (``null`` otherwise),
so they never sum customers the caller may not see.
"""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Annotated

import strawberry

from graph import referrals
from graph.core import Core
from schema.dataloaders.lookahead import selection_of
from schema.graph_access import customers_of, graph_of, unrestricted, visible, yuan
from schema.types.info import Info

if TYPE_CHECKING:
    from schema.types.customer import Customer

# A scoped caller's referrers are picked from this many of the whole ranking.
_SCOPED_POOL = 1000


@strawberry.type(description="A customer whose referrals bring in others.")
class TopReferrer:
    customer: Annotated[Customer, strawberry.lazy("schema.types.customer")] | None = (
        strawberry.field(description="The referrer, as the caller may see it.")
    )
    influence: float | None = strawberry.field(
        description="PageRank on the referral graph (influence flows to the referrer)."
    )
    direct_referrals: int | None = strawberry.field(description="Customers referred directly.")
    cascade_size: int | None = strawberry.field(
        description="Customers brought in directly and indirectly; null unless all are "
        "inside the caller's row scope."
    )
    cascade_aum: Decimal | None = strawberry.field(
        description="Their AUM in yuan; null unless all are inside the caller's row scope."
    )


async def top_referrers_of(info: Info, first: int) -> list[TopReferrer]:
    ctx = info.context
    policy = ctx.policy
    policy.require_read("TopReferrer", "customer")
    policy.require_read("Customer", "referrals")  # who referred how many is a link count
    service = await graph_of(info)
    everyone = unrestricted(info)
    ranked = service.top_referrers(first if everyone else _SCOPED_POOL)
    if not everyone:
        seen = await visible(info, [r.customer_id for r in ranked])
        ranked = [r for r in ranked if r.customer_id in seen][:first]
    sel = selection_of(info)
    built = await customers_of(info, [r.customer_id for r in ranked], sel.at("customer"))
    out = []
    for r in ranked:
        whole = everyone or await _whole_cascade_visible(info, service.state.core, r.customer_id)
        values = {
            "customer": built.get(r.customer_id),
            "influence": round(r.influence, 8),
            "direct_referrals": r.direct,
            "cascade_size": r.cascade_size if whole else None,
            "cascade_aum": yuan(r.cascade_aum) if whole else None,
        }
        out.append(TopReferrer(**policy.project("TopReferrer", values)))
    if "cascadeAum" in sel and policy.may_read("TopReferrer", "cascadeAum"):
        ctx.audit.note(["TopReferrer.cascadeAum"], [r.customer_id for r in ranked])
    return out


async def _whole_cascade_visible(info: Info, core: Core, customer_id: int) -> bool:
    ids = [n.customer_id for n in referrals.cascade(core, customer_id).nodes]
    return len(await visible(info, ids)) == len(ids)
