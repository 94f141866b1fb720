"""``Customer.community``: the customer's community on the household–referral layer.

Communities are computed by ``cdp graph build`` (Louvain) and stored with the
snapshot, so this is an array read. What it tells stays within the caller's row
scope: ``size`` counts the members the caller may see; ``aum`` (the members' AUM
in the snapshot, caught up) is shown only when the caller may read
``Customer.aum`` and every member is inside its row scope, ``null`` otherwise: a
sum over customers the caller may not see would be their AUM.
"""

from __future__ import annotations

from decimal import Decimal

import numpy as np
import strawberry

from schema.dataloaders.lookahead import selection_of
from schema.graph_access import graph_of, visible, yuan
from schema.types.info import Info


@strawberry.type(description="A group of customers linked by households and referrals.")
class Community:
    id: strawberry.ID | None = strawberry.field(
        description="The community's number in the current graph snapshot (it changes "
        "with each rebuild)."
    )
    size: int | None = strawberry.field(
        description="Members inside the caller's row scope (every member for a caller "
        "who sees every customer)."
    )
    aum: Decimal | None = strawberry.field(
        description="Assets under management of all members, in yuan; null unless every "
        "member is inside the caller's row scope."
    )


async def community_of(info: Info, customer_id: int) -> Community | None:
    ctx = info.context
    ctx.policy.require_read("Customer", "community")
    core = (await graph_of(info)).state.core
    label = core.community_of(customer_id)
    if label is None:
        return None
    members = [int(c) for c in core.customer_ids[np.asarray(core.community) == label]]
    seen = await visible(info, members)
    aum = None
    if len(seen) == len(members):
        aum = yuan(sum(core.aum(c) for c in members))
        if "aum" in selection_of(info) and ctx.policy.may_read("Community", "aum"):
            ctx.audit.note(["Community.aum"], members)
    values = {"id": strawberry.ID(str(label)), "size": len(seen), "aum": aum}
    return Community(**ctx.policy.project("Community", values))
