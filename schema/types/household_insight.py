"""The knowledge graph's view of a household: tier, holdings by category, gaps.

Each of these sums or inspects every member's holdings, so each is shown only to a
caller whose row scope includes every member (as ``Household.name`` is); for
anyone else it is ``null``. Gaps suggest, per category no member holds, the
most-held product of that category the household's head may be offered (the
cross-sell filters: suitability, minimum investment, on sale).
"""

from __future__ import annotations

import strawberry

from cdp.customers.tiers import Tier
from graph.households import HouseholdView
from schema.graph_access import graph_of, visible, yuan
from schema.types.category_amount import CategoryAmount
from schema.types.info import Info


@strawberry.type(description="A product category no member of a household holds.")
class HouseholdGap:
    category: str | None = strawberry.field(description="Product category, e.g. insurance.")
    text: str | None = strawberry.field(description="The gap in words, e.g. 家庭未持有保险.")
    suggested_product_code: str | None = strawberry.field(
        description="The most-held product of the category the head may be offered, if any."
    )


async def _view(info: Info, household_id: int, field: str) -> HouseholdView | None:
    """The household's graph view if the caller sees every member, else None."""
    info.context.policy.require_read("Household", field)
    service = await graph_of(info)
    members = service.state.core.members_of(household_id)
    if not members or len(await visible(info, members)) < len(members):
        return None
    head = service.household(members[0])
    return head


async def tier_of(info: Info, household_id: int) -> Tier | None:
    view = await _view(info, household_id, "tier")
    return Tier(view.tier) if view else None


async def holdings_by_category_of(info: Info, household_id: int) -> list[CategoryAmount] | None:
    view = await _view(info, household_id, "holdingsByCategory")
    if view is None:
        return None
    info.context.audit.note(["Household.holdingsByCategory"], [m.customer_id for m in view.members])
    project = info.context.policy.project
    return [
        CategoryAmount(**project("CategoryAmount", {"category": c, "amount": yuan(v)}))
        for c, v in sorted(view.by_category.items(), key=lambda kv: -kv[1])
    ]


async def gaps_of(info: Info, household_id: int) -> list[HouseholdGap] | None:
    view = await _view(info, household_id, "gaps")
    if view is None:
        return None
    ctx = info.context
    service = await graph_of(info)
    async with ctx.lock:
        found = await service.household_gaps(view.members[0].customer_id, ctx.today)
    return [
        HouseholdGap(
            **ctx.policy.project(
                "HouseholdGap",
                {"category": g.category, "text": g.text, "suggested_product_code": g.product_code},
            )
        )
        for g in found
    ]
