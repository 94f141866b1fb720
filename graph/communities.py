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


BACKENDS = ("networkit", "networkx")


def communities(
    core: Core, seed: int = 42, min_size: int = 2, backend: str = "networkit"
) -> list[Community]:
    """Louvain communities with at least ``min_size`` customers, largest first.

    ``networkit`` (PLM, C++) is the default: the build runs it on the snapshot.
    ``networkx`` is the plain Python reference; it also covers changes since the
    snapshot, which only matters when this is called outside the build.
    """
    if backend not in BACKENDS:
        raise ValueError(f"backend must be one of {BACKENDS}")
    if backend == "networkit":
        from graph import fast_communities  # imports this module for Community

        return fast_communities.communities(core, seed, min_size)
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
        households = len({h[0] for c in customers if (h := core.household_of(c))})
        found.append((customers, households, total))
    found.sort(key=lambda f: (-len(f[0]), f[0][0]))
    return [Community(i + 1, c, h, a) for i, (c, h, a) in enumerate(found)]


def membership(found: list[Community]) -> dict[int, int]:
    """Customer id → community id."""
    return {c: community.id for community in found for c in community.customers}


def label(core: Core, found: list[Community]) -> None:
    """Write community ids onto the core's rows, so the snapshot carries them.

    Louvain is a batch step (it takes minutes at a million customers); the
    builder runs it once and ``Customer.community`` is then one array read.
    """
    core.community[:] = 0
    for community in found:
        rows = [core.row(c) for c in community.customers]
        core.community[[r for r in rows if r is not None]] = community.id


def stored(core: Core) -> list[Community]:
    """The communities the snapshot carries, with size, households and AUM."""
    labelled = np.flatnonzero(core.community > 0)
    if not len(labelled):
        return []
    ids = np.asarray(core.community[labelled])
    order = np.argsort(ids, kind="stable")
    labelled, ids = labelled[order], ids[order]
    aum = aum_by_row(core)
    bounds = np.flatnonzero(np.diff(ids)) + 1
    found = []
    for rows in np.split(labelled, bounds):
        households = len(set(np.asarray(core.household[rows]).tolist()) - {0})
        customers = tuple(core.customer_ids[rows].tolist())
        found.append(
            Community(int(core.community[rows[0]]), customers, households, float(aum[rows].sum()))
        )
    found.sort(key=lambda c: c.id)
    return found
