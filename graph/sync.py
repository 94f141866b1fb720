"""Keeping the graph in step with the database without rebuilding it.

Writers that know what they changed call the ``apply_*`` methods directly; any
process can also ``catch_up`` from the database: holdings and household members
changed since the watermark (``updated_at``), referrals with a larger id, and the
products' sale status, rating and minimum (the shelf is small and read whole).
The watermark is moved back by ``MARGIN`` before reading, so a transaction that
committed late with an earlier timestamp is still seen; applying a change twice
is harmless because each ``apply_*`` is idempotent. A scheduled rebuild
(``cdp graph build``) folds the accumulated changes into a new snapshot.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

import networkx as nx
from sqlalchemy import text

from cdp.db.engine import Database, read
from graph import model
from graph.core import Core

MARGIN = timedelta(minutes=5)


@dataclass
class CatchUp:
    holdings: int = 0
    referrals: int = 0
    members: int = 0


@dataclass
class GraphState:
    """The numeric core, optionally its networkx twin, and how far both are."""

    core: Core
    watermark: datetime
    referral_id: int
    graph: nx.DiGraph | None = None
    unknown_products: set[int] = field(default_factory=set)

    def apply_holding(
        self, customer_id: int, product_id: int, market_value: float, since: date
    ) -> None:
        if not self.core.apply_holding(customer_id, product_id, market_value):
            self.unknown_products.add(product_id)  # launched after the snapshot: next build
            return
        if self.graph is not None:
            model.add_holding(self.graph, customer_id, product_id, market_value, since)

    def apply_referral(self, referrer_id: int, referee_id: int, on: date, channel: str) -> None:
        if self.core.apply_referral(referrer_id, referee_id) and self.graph is not None:
            model.add_referral(self.graph, referrer_id, referee_id, on, channel)

    def apply_membership(self, customer_id: int, household_id: int | None, relation: str) -> None:
        current = self.core.household_of(customer_id)
        if current == ((household_id, relation) if household_id else None):
            return
        self.core.apply_membership(customer_id, household_id, relation)
        if self.graph is not None:
            model.add_membership(self.graph, customer_id, household_id, relation)


_HOLDINGS = text(
    "SELECT customer_id, product_id, market_value, opened_at, updated_at FROM holding"
    " WHERE updated_at > :since ORDER BY updated_at"
)
_MEMBERS = text(
    "SELECT customer_id, household_id, relation, updated_at FROM household_member"
    " WHERE updated_at > :since ORDER BY updated_at"
)
_REFERRALS = text(
    "SELECT id, referrer_id, referee_id, referred_at, channel FROM referral"
    " WHERE id > :after ORDER BY id"
)
_PRODUCTS = text("SELECT id, risk_rating, min_investment, status = 'on_sale' FROM product")


async def catch_up(state: GraphState, db: Database) -> CatchUp:
    """Apply every change the database has since the state's watermark."""
    done = CatchUp()
    since = state.watermark - MARGIN
    async with db.read_session() as session:
        now = (await read(session, text("SELECT now()"))).scalar_one()
        for cid, pid, value, opened, _ in await read(session, _HOLDINGS, {"since": since}):
            state.apply_holding(cid, pid, float(value), opened.date())
            done.holdings += 1
        for cid, hid, relation, _ in await read(session, _MEMBERS, {"since": since}):
            state.apply_membership(cid, hid, relation)
            done.members += 1
        rows = (await read(session, _REFERRALS, {"after": state.referral_id})).all()
        for rid, referrer, referee, on, channel in rows:
            state.apply_referral(referrer, referee, on.date(), channel)
            state.referral_id = max(state.referral_id, rid)
            done.referrals += 1
        _refresh_products(state.core, (await read(session, _PRODUCTS)).all())
    state.watermark = now
    return done


def _refresh_products(core: Core, rows: Sequence[Any]) -> None:
    products = core.products
    for pid, rating, minimum, on_sale in rows:
        j = products.index(pid)
        if j is not None:
            products.rating[j] = rating
            products.min_investment[j] = float(minimum)
            products.on_sale[j] = on_sale
