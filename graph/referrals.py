"""Referral discovery: cascades, influence, and prospects around high-net-worth customers.

Cascades and prospects start from customers and follow referral and household
links outward, never through products. Influence is PageRank over the whole
referral graph, a batch question.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field

import networkx as nx
import numpy as np

from cdp.errors import InvalidInput
from graph.aum import aum_by_row
from graph.core import Core
from graph.crosssell.reasons import kinship

MAX_DEPTH = 10


@dataclass(frozen=True)
class CascadeNode:
    customer_id: int
    depth: int  # 0 is the root
    aum: float


@dataclass
class Cascade:
    root: int
    nodes: list[CascadeNode]
    edges: list[tuple[int, int]]  # (referrer, referee)

    @property
    def referees(self) -> list[CascadeNode]:
        return [n for n in self.nodes if n.depth > 0]

    @property
    def total_aum(self) -> float:
        """AUM the customer brought in: all referees, direct and indirect."""
        return sum(n.aum for n in self.referees)


def cascade(core: Core, customer_id: int, depth: int = MAX_DEPTH) -> Cascade:
    if not 1 <= depth <= MAX_DEPTH:
        raise InvalidInput(f"depth must be between 1 and {MAX_DEPTH}", depth=depth)
    nodes = [CascadeNode(customer_id, 0, core.aum(customer_id))]
    edges: list[tuple[int, int]] = []
    seen = {customer_id}
    queue = deque([(customer_id, 0)])
    while queue:
        current, level = queue.popleft()
        if level == depth:
            continue
        for referee in core.referees_of(current):
            if referee in seen:  # defensive: referral data should be a forest
                continue
            seen.add(referee)
            edges.append((current, referee))
            nodes.append(CascadeNode(referee, level + 1, core.aum(referee)))
            queue.append((referee, level + 1))
    return Cascade(customer_id, nodes, edges)


def referral_graph(core: Core) -> nx.DiGraph:
    """Referee → referrer edges: influence flows to whoever brought people in."""
    g = nx.DiGraph()
    counts = np.diff(core.referees_indptr)
    referrers = np.repeat(core.customer_ids, counts)
    g.add_edges_from(zip(core.referees.tolist(), referrers.tolist(), strict=True))
    for referrer, referees in core.delta.referees.items():
        g.add_edges_from((r, referrer) for r in referees)
    return g


@dataclass(frozen=True)
class Referrer:
    customer_id: int
    influence: float
    direct: int
    cascade_size: int
    cascade_aum: float


def top_referrers(core: Core, first: int) -> list[Referrer]:
    if not 1 <= first <= 1000:
        raise InvalidInput("first must be between 1 and 1000", first=first)
    g = referral_graph(core)
    if g.number_of_nodes() == 0:
        return []
    rank = nx.pagerank(g, alpha=0.85)
    referrers = [n for n in g.nodes if g.in_degree(n) > 0]
    referrers.sort(key=lambda n: (-rank[n], n))
    out = []
    for cid in referrers[:first]:
        c = cascade(core, cid)
        out.append(Referrer(cid, rank[cid], g.in_degree(cid), len(c.referees), c.total_aum))
    return out


@dataclass
class Prospect:
    customer_id: int
    aum: float
    connected_aum: float  # AUM of the high-net-worth customers it is linked to
    reasons: list[str] = field(default_factory=list)


def prospects(core: Core, hnw_min: float, little: float, first: int) -> list[Prospect]:
    """Housemates and referral contacts of HNW customers who hold less than ``little``."""
    if not 1 <= first <= 1000:
        raise InvalidInput("first must be between 1 and 1000", first=first)
    aum = aum_by_row(core)
    rich = core.customer_ids[aum >= hnw_min].tolist()
    rich += [c for c in core.delta.holdings if core.row(c) is None and core.aum(c) >= hnw_min]
    found: dict[int, Prospect] = {}
    for anchor in rich:
        anchor_aum = core.aum(anchor)
        mine = core.household_of(anchor)
        links = [
            (other, f"高净值客户的{kinship(mine[1], rel) if mine else '家庭成员'}")
            for other, rel in core.housemates(anchor)
        ]
        referrer = core.referrer_of(anchor)
        if referrer is not None:
            links.append((referrer, "推荐了一位高净值客户"))
        links += [(r, "由高净值客户推荐") for r in core.referees_of(anchor)]
        for other, why in links:
            held = core.aum(other)
            if held >= little:
                continue
            p = found.setdefault(other, Prospect(other, held, 0.0))
            p.connected_aum += anchor_aum
            p.reasons.append(why)
    ranked = sorted(found.values(), key=lambda p: (-p.connected_aum, p.customer_id))
    return ranked[:first]
