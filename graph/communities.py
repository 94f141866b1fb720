"""Communities on the customer–household–referral layer (Louvain, batch).

Products and advisors are left out: a product or an advisor joins thousands of
otherwise unrelated customers and would melt every community into a few giant
ones. Customers with neither a household nor a referral are singletons by
definition and are left out of the run too, which at realistic shares removes
most nodes before the algorithm starts.
"""

from __future__ import annotations

from dataclasses import dataclass

import networkx as nx
import numpy as np

from graph.aum import aum_by_row
from graph.core import Core


@dataclass(frozen=True)
class Community:
    id: int  # 1 is the largest
    customers: tuple[int, ...]
    households: int
    aum: float

    @property
    def size(self) -> int:
        return len(self.customers)


def social_layer(core: Core) -> nx.Graph:
    g = nx.Graph()
    counts = np.diff(core.referees_indptr)
    referrers = np.repeat(core.customer_ids, counts).tolist()
    g.add_edges_from(
        (("customer", a), ("customer", b))
        for a, b in zip(referrers, core.referees.tolist(), strict=False)
    )
    for referrer, referees in core.delta.referees.items():
        g.add_edges_from((("customer", referrer), ("customer", r)) for r in referees)
    for h, hid in enumerate(core.household_ids.tolist()):
        if hid in core.delta.members:
            continue
        ids = core.members[core.members_indptr[h] : core.members_indptr[h + 1]].tolist()
        g.add_edges_from((("customer", m), ("household", hid)) for m in ids)
    for hid, members in core.delta.members.items():
        g.add_edges_from((("customer", m), ("household", hid)) for m in members)
    return g


def communities(core: Core, seed: int = 42, min_size: int = 2) -> list[Community]:
    g = social_layer(core)
    if g.number_of_nodes() == 0:
        return []
    parts = nx.community.louvain_communities(g, seed=seed)
    aum = aum_by_row(core)
    found = []
    for part in parts:
        customers = tuple(sorted(n[1] for n in part if n[0] == "customer"))
        if len(customers) < min_size:
            continue
        rows = [core.row(c) for c in customers]
        total = sum(
            float(aum[r]) if r is not None else core.aum(c)
            for r, c in zip(rows, customers, strict=False)
        )
        households = sum(1 for n in part if n[0] == "household")
        found.append((customers, households, total))
    found.sort(key=lambda f: (-len(f[0]), f[0][0]))
    return [Community(i + 1, c, h, a) for i, (c, h, a) in enumerate(found)]


def membership(found: list[Community]) -> dict[int, int]:
    """Customer id → community id, for ``Customer.community``."""
    return {c: community.id for community in found for c in community.customers}
