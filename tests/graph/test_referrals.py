"""Referral cascades, influence, prospects and communities on hand-built graphs."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from cdp.db.engine import Database
from cdp.db.models import Customer
from cdp.errors import InvalidInput
from graph import store
from graph.communities import BACKENDS, communities, label, membership, stored
from graph.referrals import cascade, prospects, top_referrers
from tests.factories import (
    create_customer,
    create_holding,
    create_household,
    create_product,
    create_referral,
)
from tests.graph.helpers import state_of


async def _with_aum(session: AsyncSession, amount: int) -> Customer:
    customer = await create_customer(session)
    if amount:
        product = await create_product(session)
        await create_holding(session, customer, product, market_value=Decimal(amount))
    return customer


async def test_cascade_and_top_referrers(db: Database, session: AsyncSession) -> None:
    r = await _with_aum(session, 500)
    a, b, c, d = [await _with_aum(session, n) for n in (1000, 2000, 3000, 4000)]
    for referrer, referee in ((r, a), (r, b), (a, c), (c, d)):
        await create_referral(session, referrer, referee)
    core = (await state_of(db, with_networkx=False)).core

    full = cascade(core, r.id)
    assert {(n.customer_id, n.depth) for n in full.referees} == {
        (a.id, 1), (b.id, 1), (c.id, 2), (d.id, 3)
    }  # fmt: skip
    assert full.total_aum == 10_000
    assert (a.id, c.id) in full.edges
    assert cascade(core, r.id, depth=1).total_aum == 3000
    assert cascade(core, d.id).referees == []
    with pytest.raises(InvalidInput):
        cascade(core, r.id, depth=0)

    top = top_referrers(core, 10)
    assert [t.customer_id for t in top] == [r.id, a.id, c.id]
    assert (top[0].direct, top[0].cascade_size, top[0].cascade_aum) == (2, 4, 10_000)
    assert top[0].influence > top[1].influence > top[2].influence


async def test_prospects_around_high_net_worth_customers(
    db: Database, session: AsyncSession
) -> None:
    rich = await _with_aum(session, 7_000_000)
    spouse = await _with_aum(session, 0)
    child = await _with_aum(session, 600_000)  # holds enough already
    referee = await _with_aum(session, 100)
    referrer = await _with_aum(session, 0)
    stranger = await _with_aum(session, 0)
    await create_household(session, [(rich, "self"), (spouse, "spouse"), (child, "child")])
    await create_referral(session, rich, referee)
    await create_referral(session, referrer, rich)
    core = (await state_of(db, with_networkx=False)).core
    found = prospects(core, hnw_min=6_000_000, little=500_000, first=10)
    by_id = {p.customer_id: p for p in found}
    assert set(by_id) == {spouse.id, referee.id, referrer.id}
    assert stranger.id not in by_id
    assert child.id not in by_id
    assert by_id[spouse.id].reasons == ["高净值客户的配偶"]
    assert by_id[referee.id].reasons == ["由高净值客户推荐"]
    assert by_id[referrer.id].reasons == ["推荐了一位高净值客户"]
    assert all(p.connected_aum == 7_000_000 for p in found)
    assert len(prospects(core, hnw_min=6_000_000, little=500_000, first=1)) == 1


@pytest.mark.parametrize("backend", BACKENDS)
async def test_communities_follow_households_and_referrals(
    db: Database, session: AsyncSession, backend: str
) -> None:
    first = [await _with_aum(session, 1000) for _ in range(4)]
    second = [await _with_aum(session, 10) for _ in range(4)]
    alone = await _with_aum(session, 5)
    for group in (first, second):
        await create_household(session, [(group[0], "self")] + [(c, "child") for c in group[1:]])
        await create_referral(session, group[0], group[1])
        await create_referral(session, group[2], group[3])
    await create_referral(session, first[3], second[0])  # one bridge
    core = (await state_of(db, with_networkx=False)).core
    found = communities(core, backend=backend)
    assert sorted(sorted(c.customers) for c in found) == sorted(
        sorted(x.id for x in group) for group in (first, second)
    )
    assert sorted(c.aum for c in found) == [40, 4000]
    assert all(c.households == 1 and c.size == 4 for c in found)
    assert alone.id not in membership(found)


async def test_communities_are_stored_with_the_snapshot(
    db: Database, session: AsyncSession, tmp_path: Path
) -> None:
    group = [await _with_aum(session, 100) for _ in range(3)]
    await create_household(session, [(group[0], "self"), (group[1], "spouse")])
    await create_referral(session, group[1], group[2])
    loner = await _with_aum(session, 1)
    state = await state_of(db, with_networkx=False)
    found = communities(state.core)
    label(state.core, found)
    store.save(state.core, tmp_path, state.watermark, state.referral_id)
    core, _, _ = store.load(tmp_path)
    assert stored(core) == found
    assert found
    for community in found:
        assert community.aum == 100 * community.size
        assert all(core.community_of(c) == community.id for c in community.customers)
    assert core.community_of(loner.id) is None
