"""The plain reference: the same scores by walking the networkx graph.

It walks through product hubs (a held product → all its holders → all their
products), which is exactly what the serving path must not do at scale; here it
is the slow, obviously-right definition the numeric scorer is tested against and
the baseline the benchmark prints next to it.
"""

from __future__ import annotations

from collections import Counter

import networkx as nx

from graph.build import TIERS
from graph.crosssell.reasons import CO_HOLDING, HOUSEHOLD, SIMILAR, kinship
from graph.crosssell.scoring import DEFAULT_WEIGHTS, KIN_WEIGHT, OTHER_WEIGHT, Weights
from graph.model import Node, customer


def _out(g: nx.DiGraph, node: Node, kind: str) -> list[Node]:
    return [n for n in g.successors(node) if g.edges[node, n]["kind"] == kind]


def _in(g: nx.DiGraph, node: Node, kind: str) -> list[Node]:
    return [n for n in g.predecessors(node) if g.edges[n, node]["kind"] == kind]


def _segment(g: nx.DiGraph, node: Node, potential: float, hnw: float) -> int:
    aum = sum(g.edges[node, p]["market_value"] for p in _out(g, node, "holds"))
    tier = int(aum >= potential) + int(aum >= hnw)
    return int(g.nodes[node].get("risk_level", 0)) * TIERS + tier


def walk_components(
    g: nx.DiGraph, cid: int, potential: float, hnw: float
) -> dict[str, dict[int, float]]:
    """Signal → {product id: score} for products the customer does not hold."""
    me = customer(cid)
    held = set(_out(g, me, "holds"))
    house: dict[int, float] = {}
    for hh in _out(g, me, "member_of"):
        mine = g.edges[me, hh]["relation"]
        for other in _in(g, hh, "member_of"):
            if other == me:
                continue
            label = kinship(mine, g.edges[other, hh]["relation"])
            weight = KIN_WEIGHT.get(label, OTHER_WEIGHT)
            for product in _out(g, other, "holds"):
                house[product[1]] = max(house.get(product[1], 0.0), weight)

    co: dict[int, float] = {}
    for h in held:
        holders = _in(g, h, "holds")
        together = Counter(p for u in holders for p in _out(g, u, "holds"))
        for product, count in together.items():
            co[product[1]] = max(co.get(product[1], 0.0), count / len(holders))

    mine_segment = _segment(g, me, potential, hnw)
    peers = [
        n
        for n, kind in g.nodes(data="kind")
        if kind == "customer" and _segment(g, n, potential, hnw) == mine_segment
    ]
    counts = Counter(p[1] for u in peers for p in _out(g, u, "holds"))
    similar = {pid: c / len(peers) for pid, c in counts.items()}
    held_ids = {p[1] for p in held}
    return {
        signal: {pid: v for pid, v in values.items() if pid not in held_ids}
        for signal, values in ((HOUSEHOLD, house), (CO_HOLDING, co), (SIMILAR, similar))
    }


def walk_scores(
    g: nx.DiGraph,
    cid: int,
    potential: float,
    hnw: float,
    weights: Weights = DEFAULT_WEIGHTS,
) -> dict[int, float]:
    parts = walk_components(g, cid, potential, hnw)
    scores: dict[int, float] = {}
    for signal, weight in (
        (HOUSEHOLD, weights.household),
        (CO_HOLDING, weights.co_holding),
        (SIMILAR, weights.similar),
    ):
        for pid, value in parts[signal].items():
            scores[pid] = scores.get(pid, 0.0) + weight * value
    return scores
