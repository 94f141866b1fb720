"""Incremental updates: a change reaches the next recommendation without a rebuild."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import numpy as np
from sqlalchemy.ext.asyncio import AsyncSession

from cdp.config import get_settings
from cdp.db.engine import Database
from cdp.db.models import HouseholdMember
from graph import store
from graph.crosssell.profiles import load_profiles
from graph.crosssell.reasons import HOUSEHOLD
from graph.crosssell.service import recommend
from graph.sync import GraphState, catch_up
from tests.factories import (
    create_customer,
    create_holding,
    create_household,
    create_product,
    create_referral,
)
from tests.graph.helpers import TODAY, state_of


async def _codes(db: Database, state: GraphState, customer_id: int) -> list[str]:
    async with db.read_session() as session:
        profile = (await load_profiles(session, [customer_id]))[customer_id]
    return [r.product_code for r in recommend(state.core, profile, 5, TODAY).items]


async def test_apply_holding_changes_the_next_recommendation(
    db: Database, session: AsyncSession
) -> None:
    a = await create_product(session, risk_rating=1, min_investment=0)
    y = await create_product(session, risk_rating=1, min_investment=0)
    head = await create_customer(session, risk_assessed_at=date(2026, 6, 1))
    spouse = await create_customer(session)
    others = [await create_customer(session) for _ in range(3)]
    await create_household(session, [(head, "self"), (spouse, "spouse")])
    for o in others:
        await create_holding(session, o, a)
    state = await state_of(db)
    assert await _codes(db, state, head.id) == [a.code, y.code]

    state.apply_holding(spouse.id, y.id, 5000.0, TODAY)
    assert await _codes(db, state, head.id) == [y.code, a.code]
    assert state.core.holders[state.core.products.index(y.id)] == 1
    assert state.graph is not None
    assert state.graph.has_edge(("customer", spouse.id), ("product", y.id))

    state.apply_holding(head.id, y.id, 5000.0, TODAY)
    assert await _codes(db, state, head.id) == [a.code]
    state.apply_holding(head.id, y.id, 7000.0, TODAY)  # a new value for a held product
    assert state.core.holders[state.core.products.index(y.id)] == 2


async def test_membership_and_referral_changes(db: Database, session: AsyncSession) -> None:
    a, b, c = [await create_customer(session) for _ in range(3)]
    household = await create_household(session, [(a, "self")])
    state = await state_of(db)
    state.apply_membership(b.id, household.id, "spouse")
    assert state.core.housemates(a.id) == [(b.id, "spouse")]
    state.apply_membership(b.id, None, "spouse")
    assert state.core.housemates(a.id) == []
    state.apply_referral(a.id, c.id, TODAY, "friend")
    state.apply_referral(b.id, c.id, TODAY, "friend")  # referred once only
    assert state.core.referees_of(a.id) == [c.id]
    assert state.core.referrer_of(c.id) == a.id
    assert state.core.referees_of(b.id) == []


async def test_catch_up_reads_changes_since_the_watermark(
    db: Database, session: AsyncSession
) -> None:
    fund = await create_product(session, risk_rating=1)
    a, b, c = [await create_customer(session) for _ in range(3)]
    household = await create_household(session, [(a, "self")])
    state = await state_of(db)
    assert state.core.held(b.id) == {}

    await create_holding(session, b, fund, market_value=Decimal("1234"))
    await create_referral(session, a, c)
    session.add(HouseholdMember(customer_id=b.id, household_id=household.id, relation="child"))
    await session.flush()
    done = await catch_up(state, db)
    assert (done.holdings, done.referrals, done.members) == (1, 1, 2)
    assert state.core.held(b.id) == {state.core.products.index(fund.id): 1234.0}
    assert state.core.referrer_of(c.id) == a.id
    assert state.core.housemates(a.id) == [(b.id, "child")]
    again = await catch_up(state, db)  # idempotent within the safety margin
    assert again.referrals == 0
    assert state.core.holders.sum() == 1


async def test_stored_core_is_memory_mapped_and_copy_on_write(
    db: Database, session: AsyncSession, tmp_path: Path
) -> None:
    fund = await create_product(session, risk_rating=1, min_investment=0)
    other = await create_product(session, risk_rating=1, min_investment=0)
    me = await create_customer(session, risk_assessed_at=date(2026, 6, 1))
    spouse = await create_customer(session)
    await create_household(session, [(me, "self"), (spouse, "spouse")])
    await create_holding(session, me, fund)
    state = await state_of(db, with_networkx=False)
    store.save(state.core, tmp_path, state.watermark, state.referral_id)
    core, watermark, referral_id = store.load(tmp_path)
    assert isinstance(core.co, np.memmap)
    assert watermark == state.watermark
    loaded = GraphState(core, watermark, referral_id)
    loaded.apply_holding(spouse.id, other.id, 100.0, TODAY)
    async with db.read_session() as s:
        profile = (await load_profiles(s, [me.id]))[me.id]
    (item,) = recommend(loaded.core, profile, 5, TODAY).items
    assert item.product_code == other.code
    assert item.reasons[0].kind == HOUSEHOLD
    on_disk, _, _ = store.load(tmp_path)
    assert int(on_disk.holders.sum()) == 1  # the file is untouched by the worker's change
    assert get_settings().data_dir  # snapshots go under data_dir/graph by default


async def test_an_empty_database_builds_an_empty_graph(db: Database, tmp_path: Path) -> None:
    state = await state_of(db)
    core = state.core
    assert (len(core.customer_ids), len(core.products)) == (0, 0)
    assert core.held(1) == {}
    assert core.household_of(1) is None
    assert core.referees_of(1) == []
    assert core.matrix().shape == (0, 0)
    store.save(core, tmp_path, state.watermark, state.referral_id)
    loaded, _, _ = store.load(tmp_path)
    assert len(loaded.customer_ids) == 0
