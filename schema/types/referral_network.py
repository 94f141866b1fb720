"""``referralNetwork``: who a customer brought in, directly and indirectly, for drawing.

Only customers inside the caller's row scope appear, and only those reachable from
the root through such customers: a referee of an out-of-scope customer is left
out with it, so neither a placeholder nor a gap in the depths tells that someone
the caller may not see sits in between. Each node's customer is built as a
``customers`` page builds it, so its fields follow the caller's policy. Edges name
nodes by their position in ``nodes``, never by a customer's identifier.
"""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Annotated, Any

import strawberry

from schema.dataloaders.lookahead import selection_of
from schema.graph_access import customers_of, graph_of, visible, yuan
from schema.types.info import Info

if TYPE_CHECKING:
    from schema.types.customer import Customer


@strawberry.type(description="A customer in a referral network.")
class ReferralNode:
    customer: Annotated[Customer, strawberry.lazy("schema.types.customer")] | None = (
        strawberry.field(description="The customer, as the caller may see it.")
    )
    depth: int | None = strawberry.field(description="Referral hops from the root (root: 0).")


@strawberry.type(description="A referral: from the referrer's node to the referee's.")
class ReferralLink:
    source: int | None = strawberry.field(description="Position of the referrer in `nodes`.")
    target: int | None = strawberry.field(description="Position of the referee in `nodes`.")


@strawberry.type(description="A customer's referral cascade, as nodes and edges for drawing.")
class ReferralNetwork:
    nodes: list[ReferralNode] | None = strawberry.field(description="The root first.")
    edges: list[ReferralLink] | None = strawberry.field(description="Referrer → referee.")
    total_aum: Decimal | None = strawberry.field(
        description="AUM of the referees shown (the root left out), in yuan."
    )


async def referral_network_of(info: Info, customer_id: int, depth: int) -> ReferralNetwork:
    ctx = info.context
    policy = ctx.policy
    policy.require_read("ReferralNetwork", "nodes")
    policy.require_read("Customer", "referrals")  # the edges are referral links
    cascade = (await graph_of(info)).referral_network(customer_id, depth)
    seen = await visible(info, [n.customer_id for n in cascade.nodes])
    # Keep what is reachable from the root through visible customers only.
    kept = {customer_id}
    edges = []
    for referrer, referee in cascade.edges:  # breadth-first order: parents come first
        if referrer in kept and referee in seen:
            kept.add(referee)
            edges.append((referrer, referee))
    nodes = [n for n in cascade.nodes if n.customer_id in kept]
    position = {n.customer_id: i for i, n in enumerate(nodes)}
    sel = selection_of(info)
    built = await customers_of(info, [n.customer_id for n in nodes], sel.at("nodes", "customer"))

    def make(cls: Any, type_name: str, **values: Any) -> Any:
        return cls(**policy.project(type_name, values))

    total = sum(n.aum for n in nodes if n.depth > 0)
    if "totalAum" in sel and policy.may_read("ReferralNetwork", "totalAum"):
        ctx.audit.note(["ReferralNetwork.totalAum"], [n.customer_id for n in nodes])
    values = dict(
        nodes=[
            make(ReferralNode, "ReferralNode", customer=built.get(n.customer_id), depth=n.depth)
            for n in nodes
        ],
        edges=[
            make(ReferralLink, "ReferralLink", source=position[a], target=position[b])
            for a, b in edges
        ],
        total_aum=yuan(total),
    )
    return ReferralNetwork(**policy.project("ReferralNetwork", values))
