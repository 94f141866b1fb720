"""Cross-sell on hand-built graphs: ranking, each reason kind, each hard filter."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from cdp.db.engine import Database
from cdp.db.models import Customer, Product
from cdp.errors import InvalidInput
from graph.crosssell.profiles import load_profiles
from graph.crosssell.reasons import CO_HOLDING, HOUSEHOLD, SIMILAR, signals_for
from graph.crosssell.scoring import Weights
from graph.crosssell.service import MARKETING, CrossSell, recommend
from graph.sync import GraphState
from tests.factories import (
    create_consent,
    create_customer,
    create_holding,
    create_household,
    create_product,
)
from tests.graph.helpers import TODAY, state_of

ASSESSED = date(2026, 6, 1)


async def _customer(session: AsyncSession, **overrides: Any) -> Customer:
    return await create_customer(session, **({"risk_assessed_at": ASSESSED} | overrides))


async def _cross_sell(
    db: Database, state: GraphState, customer: Customer, k: int = 10, **kwargs: Any
) -> CrossSell:
    async with db.read_session() as session:
        profile = (await load_profiles(session, [customer.id]))[customer.id]
    return recommend(state.core, profile, k, TODAY, **kwargs)


async def _family(session: AsyncSession) -> dict[str, Any]:
    """A head holding A (and a deposit), a spouse holding X, and 49 more holders of A."""
    a = await create_product(session, name="甲基金", risk_rating=2)
    b = await create_product(session, name="乙基金", risk_rating=2)
    x = await create_product(session, name="稳健理财X", risk_rating=2)
    cash = await create_product(session, name="活期", category="deposit", risk_rating=1)
    head = await _customer(session)
    spouse = await _customer(session)
    await create_household(session, [(head, "self"), (spouse, "spouse")])
    await create_holding(session, head, a, market_value=Decimal("20000"))
    await create_holding(session, head, cash, market_value=Decimal("100000"))
    await create_holding(session, spouse, x)
    for n in range(49):
        other = await _customer(session, risk_level=1)
        await create_holding(session, other, a, market_value=Decimal("1000"))
        if n < 21:
            await create_holding(session, other, b, market_value=Decimal("1000"))
    return {"a": a, "b": b, "x": x, "cash": cash, "head": head, "spouse": spouse}


async def test_household_and_co_holding_reasons(db: Database, session: AsyncSession) -> None:
    f = await _family(session)
    state = await state_of(db)
    result = await _cross_sell(db, state, f["head"])
    codes = [r.product_code for r in result.items]
    assert codes[:2] == [f["x"].code, f["b"].code]
    x, b = result.items[0], result.items[1]
    assert [r.text for r in x.reasons if r.kind == HOUSEHOLD] == ["配偶持有稳健理财X"]
    assert "Customer.household" in x.reasons[0].reveals
    co = next(r for r in b.reasons if r.kind == CO_HOLDING)
    assert co.text == "持有甲基金的客户中42%也持有乙基金"
    assert co.numbers == {"share": 0.42, "group": 50.0}
    assert b.components[CO_HOLDING] == pytest.approx(21 / 50)
    assert f["a"].code not in codes
    assert f["cash"].code not in codes


async def test_similar_customers_reason(db: Database, session: AsyncSession) -> None:
    fund = await create_product(session, name="热门基金", risk_rating=1, min_investment=0)
    target = await _customer(session, risk_level=2)
    for n in range(25):
        peer = await _customer(session, risk_level=2)
        if n < 10:
            await create_holding(session, peer, fund)
    state = await state_of(db)
    (item,) = (await _cross_sell(db, state, target)).items
    (reason,) = item.reasons
    assert reason.kind == SIMILAR
    # 26 customers of risk level 2 in the mass tier (the target among them), 10 hold it.
    assert reason.text == "同风险等级、同资产层级的客户中38%持有热门基金"
    assert item.components[SIMILAR] == pytest.approx(10 / 26)


async def test_small_groups_are_not_quoted(db: Database, session: AsyncSession) -> None:
    a = await create_product(session, risk_rating=1, min_investment=0)
    b = await create_product(session, risk_rating=1, min_investment=0)
    me = await _customer(session)
    other = await _customer(session)
    await create_holding(session, me, a)
    await create_holding(session, other, a)
    await create_holding(session, other, b)
    state = await state_of(db)
    (item,) = (await _cross_sell(db, state, me)).items
    assert item.components[CO_HOLDING] == pytest.approx(0.5)
    assert item.reasons == ()  # two holders of a, three customers in the segment


async def test_signals_the_caller_may_not_read_neither_rank_nor_explain(
    db: Database, session: AsyncSession
) -> None:
    f = await _family(session)
    state = await state_of(db)
    full = {r.product_code: r for r in (await _cross_sell(db, state, f["head"])).items}
    signals = signals_for(lambda field: not field.startswith("Household"))
    assert signals == {CO_HOLDING, SIMILAR}
    result = await _cross_sell(db, state, f["head"], signals=signals)
    for item in result.items:
        assert HOUSEHOLD not in item.components
        assert all(r.kind != HOUSEHOLD for r in item.reasons)
    x = next(r for r in result.items if r.product_code == f["x"].code)
    assert x.score == pytest.approx(full[f["x"].code].score - Weights().household)

    only_holdings = signals_for(lambda field: field in ("Customer.holdings", "Holding.product"))
    assert only_holdings == {CO_HOLDING}
    ranked = (await _cross_sell(db, state, f["head"], signals=only_holdings)).items
    assert ranked[0].product_code == f["b"].code  # the spouse's product no longer leads
    assert signals_for(lambda field: True) == {HOUSEHOLD, CO_HOLDING, SIMILAR}


async def _shelf(session: AsyncSession) -> list[Product]:
    return [
        await create_product(session, risk_rating=r, name=f"R{r}", min_investment=0)
        for r in range(1, 6)
    ]


@pytest.mark.parametrize(
    ("overrides", "ratings"),
    [
        ({"risk_level": 3}, [1, 2, 3]),
        ({"risk_level": 1}, [1]),
        ({"risk_level": 5}, [1, 2, 3, 4, 5]),
        ({"risk_level": 2, "investor_class": "professional"}, [1, 2, 3, 4, 5]),
        ({"risk_level": 4, "risk_assessed_at": date(2025, 11, 30)}, [1]),
        ({"risk_level": 4, "risk_assessed_at": None}, [1]),
        ({"risk_level": 4, "risk_assessed_at": date(2025, 12, 1)}, [1, 2, 3, 4]),
    ],
)
async def test_suitability(
    db: Database, session: AsyncSession, overrides: dict[str, Any], ratings: list[int]
) -> None:
    await _shelf(session)
    me = await _customer(session, **overrides)
    result = await _cross_sell(db, await state_of(db), me)
    assert sorted(int(r.product_name[1]) for r in result.items) == ratings
    assert result.excluded["suitability"] == 5 - len(ratings)


async def test_minimum_investment_against_liquid_assets(
    db: Database, session: AsyncSession
) -> None:
    trust = await create_product(
        session, category="trust", risk_rating=1, min_investment=Decimal("1000000")
    )
    deposit = await create_product(session, category="deposit", risk_rating=1)
    insurance = await create_product(session, category="insurance", risk_rating=1)
    poor = await _customer(session)
    rich = await _customer(session)
    await create_holding(session, poor, insurance, market_value=Decimal("5000000"))
    await create_holding(session, rich, deposit, market_value=Decimal("1000000"))
    state = await state_of(db)
    poor_codes = [r.product_code for r in (await _cross_sell(db, state, poor)).items]
    rich_codes = [r.product_code for r in (await _cross_sell(db, state, rich)).items]
    assert trust.code not in poor_codes  # insurance is not liquid
    assert trust.code in rich_codes


async def test_products_not_on_sale_are_not_offered(db: Database, session: AsyncSession) -> None:
    on = await create_product(session, risk_rating=1, min_investment=0)
    off = await create_product(session, risk_rating=1, status="suspended", min_investment=0)
    me = await _customer(session)
    result = await _cross_sell(db, await state_of(db), me)
    assert [r.product_code for r in result.items] == [on.code]
    assert result.excluded["not_on_sale"] == 1
    assert off.code not in {r.product_code for r in result.items}


async def test_marketing_honours_withdrawn_consent(db: Database, session: AsyncSession) -> None:
    await create_product(session, risk_rating=1, min_investment=0)
    me = await _customer(session)
    other = await _customer(session)
    await create_consent(session, me, "marketing", granted=False)
    await create_consent(session, other, "marketing", granted=True)
    state = await state_of(db)
    withdrawn = await _cross_sell(db, state, me, purpose=MARKETING)
    assert withdrawn.items == []
    assert withdrawn.withheld == "marketing consent withdrawn"
    assert len((await _cross_sell(db, state, me)).items) == 1  # advice is not marketing
    assert len((await _cross_sell(db, state, other, purpose=MARKETING)).items) == 1


async def test_bad_arguments_are_typed_errors(db: Database, session: AsyncSession) -> None:
    me = await _customer(session)
    state = await state_of(db, with_networkx=False)
    with pytest.raises(InvalidInput, match="first must be between 1 and 50"):
        await _cross_sell(db, state, me, k=0)
    with pytest.raises(InvalidInput, match="purpose must be"):
        await _cross_sell(db, state, me, purpose="spam")


async def test_closed_customers_get_nothing(db: Database, session: AsyncSession) -> None:
    await create_product(session, risk_rating=1, min_investment=0)
    me = await _customer(session, status="closed")
    result = await _cross_sell(db, await state_of(db), me)
    assert result.items == []
    assert result.withheld == "customer is closed"
