"""Root fields of the knowledge graph: referral networks, top referrers, prospects.

Thin over ``GraphService`` (see the type modules for what each shows to whom).
The result types' lines in the policy decide who may ask: each resolver first
requires its type's key field (``ReferralNetwork.nodes``, ``TopReferrer.customer``,
``Prospect.customer``).
"""

from __future__ import annotations

from typing import Annotated

import strawberry

from cdp.customers.repository import CustomerRepository
from cdp.errors import NotFound
from schema.bounds import CUSTOMER_NO, GRAPH_FIRST, REFERRAL_DEPTH
from schema.types.info import Info
from schema.types.prospect import Prospect, prospects_of
from schema.types.referral_network import ReferralNetwork, referral_network_of
from schema.types.referrer import TopReferrer, top_referrers_of

_FIRST = strawberry.argument(description="How many (1–50).", metadata=GRAPH_FIRST)


@strawberry.type
class GraphQueryMixin:
    @strawberry.field(
        description="Everyone a customer brought in, directly and indirectly, as nodes and "
        "edges for drawing; only customers inside the caller's row scope."
    )
    async def referral_network(
        self,
        info: Info,
        customer_no: Annotated[
            str, strawberry.argument(description="The root customer.", metadata=CUSTOMER_NO)
        ],
        depth: Annotated[
            int, strawberry.argument(description="Referral hops (1–3).", metadata=REFERRAL_DEPTH)
        ] = 2,
    ) -> ReferralNetwork:
        ctx = info.context
        ctx.policy.require_read("ReferralNetwork", "nodes")
        # A lookup by number is a filter on it, as for ``customer``.
        ctx.policy.require_filter("Customer", ["customerNo"])
        async with ctx.lock:
            row = await CustomerRepository(ctx.session).by_customer_no(
                customer_no, scope=ctx.policy.row_scope, aum=False
            )
        if row is None:
            raise NotFound(f"no customer with number {customer_no}")
        return await referral_network_of(info, row.id, depth)

    @strawberry.field(description="Customers whose referrals bring in the most (PageRank).")
    async def top_referrers(
        self, info: Info, first: Annotated[int, _FIRST] = 10
    ) -> list[TopReferrer]:
        return await top_referrers_of(info, first)

    @strawberry.field(
        description="Housemates and referral contacts of high-net-worth customers who hold "
        "little, ranked by the AUM they are linked to."
    )
    async def prospects(self, info: Info, first: Annotated[int, _FIRST] = 10) -> list[Prospect]:
        return await prospects_of(info, first)
