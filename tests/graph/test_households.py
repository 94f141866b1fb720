"""Household view and household-level cross-sell."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from cdp.db.engine import Database
from cdp.errors import NotFound
from graph.crosssell.profiles import load_profiles
from graph.households import gaps, view
from tests.factories import create_customer, create_holding, create_household, create_product
from tests.graph.helpers import TODAY, state_of


async def test_view_and_gaps(db: Database, session: AsyncSession) -> None:
    deposit = await create_product(session, category="deposit", risk_rating=1)
    fund = await create_product(session, category="mutual_fund", risk_rating=3)
    popular = await create_product(session, category="insurance", risk_rating=1)
    rare = await create_product(session, category="insurance", risk_rating=1)
    risky = await create_product(session, category="insurance", risk_rating=5)
    head = await create_customer(session, risk_level=2, risk_assessed_at=date(2026, 6, 1))
    spouse = await create_customer(session)
    outsider = await create_customer(session)
    household = await create_household(session, [(spouse, "spouse"), (head, "self")])
    await create_holding(session, head, deposit, market_value=Decimal("400000"))
    await create_holding(session, spouse, fund, market_value=Decimal("200000"))
    await create_holding(session, outsider, popular)
    await create_holding(session, outsider, risky)
    state = await state_of(db, with_networkx=False)

    family = view(state.core, household.id, 500_000, 6_000_000)
    assert [(m.customer_id, m.relation) for m in family.members] == [
        (head.id, "self"), (spouse.id, "spouse")
    ]  # fmt: skip
    assert family.by_category == {"deposit": 400_000, "mutual_fund": 200_000}
    assert (family.aum, family.tier) == (600_000, "potential")

    async with db.read_session() as s:
        profile = (await load_profiles(s, [head.id]))[head.id]
    found = {g.category: g for g in gaps(state.core, family, profile, TODAY)}
    assert found["insurance"].text == "家庭未持有保险"
    assert found["insurance"].product_code == popular.code  # rare is held by nobody, risky R5
    assert "deposit" not in found
    assert "mutual_fund" not in found
    assert found["trust"].product_code is None  # nothing on the shelf
    assert rare.code != found["insurance"].product_code
    with pytest.raises(NotFound):
        view(state.core, household.id + 1000, 500_000, 6_000_000)
