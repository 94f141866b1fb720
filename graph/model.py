"""The knowledge graph as networkx: customers, households, products, advisors.

This is the model the batch questions walk (referral cascades, influence,
communities) and the plain reference the fast scorer is checked against. Per-
customer questions on a serving path use the numeric core instead (``graph.core``),
which keeps the same facts as arrays.

Nodes are ``(kind, id)`` tuples: ``("customer", 7)``, ``("household", 3)``,
``("product", 12)``, ``("advisor", 2)``. Edges point from the customer side:
customer → household ``member_of`` (relation), customer → product ``holds``
(market_value, since), referrer → referee ``referred`` (date, channel), customer →
advisor ``managed_by``.
"""

from __future__ import annotations

from datetime import date, timedelta

import networkx as nx

from cdp.db.enums import REFERRAL_CHANNELS
from graph.build import Columns
from graph.core import CATEGORIES, RELATIONS, Products

EPOCH = date(1970, 1, 1)
Node = tuple[str, int]


def customer(cid: int) -> Node:
    return ("customer", cid)


def to_networkx(cols: Columns, products: Products) -> nx.DiGraph:
    g = nx.DiGraph()
    for k, pid in enumerate(products.ids.tolist()):
        g.add_node(
            ("product", pid),
            kind="product",
            code=products.codes[k],
            name=products.names[k],
            category=CATEGORIES[int(products.category[k])],
            rating=int(products.rating[k]),
        )
    for cid, risk in zip(cols.customer_ids.tolist(), cols.risk_level.tolist(), strict=True):
        g.add_node(customer(cid), kind="customer", risk_level=risk)
    for cid, advisor in zip(cols.customer_ids.tolist(), cols.advisor.tolist(), strict=True):
        if advisor:
            g.add_node(("advisor", advisor), kind="advisor")
            g.add_edge(customer(cid), ("advisor", advisor), kind="managed_by")
    for cid, hid, rel in zip(
        cols.member_customer.tolist(),
        cols.member_household.tolist(),
        cols.member_relation.tolist(),
        strict=True,
    ):
        add_membership(g, cid, hid, RELATIONS[rel])
    for cid, pid, value, since in zip(
        cols.holding_customer.tolist(),
        cols.holding_product.tolist(),
        cols.holding_value.tolist(),
        cols.holding_since.tolist(),
        strict=True,
    ):
        add_holding(g, cid, pid, value, EPOCH + timedelta(days=since))
    for a, b, day, channel in zip(
        cols.referral_referrer.tolist(),
        cols.referral_referee.tolist(),
        cols.referral_day.tolist(),
        cols.referral_channel.tolist(),
        strict=True,
    ):
        add_referral(g, a, b, EPOCH + timedelta(days=day), REFERRAL_CHANNELS[channel])
    return g


def _ensure_customer(g: nx.DiGraph, cid: int) -> Node:
    node = customer(cid)
    if node not in g:
        g.add_node(node, kind="customer", risk_level=0)
    return node


def add_holding(g: nx.DiGraph, cid: int, pid: int, market_value: float, since: date) -> None:
    g.add_edge(
        _ensure_customer(g, cid), ("product", pid), kind="holds",
        market_value=market_value, since=since,
    )  # fmt: skip


def add_referral(g: nx.DiGraph, referrer: int, referee: int, on: date, channel: str) -> None:
    a, b = _ensure_customer(g, referrer), _ensure_customer(g, referee)
    g.add_edge(a, b, kind="referred", date=on, channel=channel)


def add_membership(g: nx.DiGraph, cid: int, household_id: int | None, relation: str) -> None:
    node = _ensure_customer(g, cid)
    for old in [n for n in g.successors(node) if n[0] == "household"]:
        g.remove_edge(node, old)
    if household_id:
        g.add_node(("household", household_id), kind="household")
        g.add_edge(node, ("household", household_id), kind="member_of", relation=relation)
