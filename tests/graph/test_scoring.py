"""The numeric scorer agrees with a plain networkx walk of the same graph."""

from __future__ import annotations

import random
from datetime import UTC, datetime
from decimal import Decimal

import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from cdp.config import get_settings
from cdp.db.engine import Database
from cdp.db.enums import HOUSEHOLD_RELATIONS
from graph.crosssell.reasons import SIGNALS
from graph.crosssell.scoring import Weights, blend, components
from graph.crosssell.walk import walk_components, walk_scores
from tests.factories import (
    create_customer,
    create_holding,
    create_household,
    create_product,
    create_referral,
)
from tests.graph.helpers import state_of


async def _random_graph(session: AsyncSession, seed: int) -> list[int]:
    rng = random.Random(seed)
    products = [await create_product(session, risk_rating=rng.randint(1, 5)) for _ in range(12)]
    customers = [await create_customer(session, risk_level=rng.randint(1, 5)) for _ in range(60)]
    for c in customers:
        for p in rng.sample(products, rng.randint(0, 5)):
            value = Decimal(rng.choice([1_000, 300_000, 700_000, 7_000_000]))
            await create_holding(session, c, p, market_value=value)
    pool = customers[:]
    rng.shuffle(pool)
    while len(pool) >= 3:
        size = min(rng.randint(2, 4), len(pool))
        members, pool = pool[:size], pool[size:]
        relations = ["self", *rng.choices(HOUSEHOLD_RELATIONS[1:], k=size - 1)]
        await create_household(session, list(zip(members, relations, strict=True)))
    for c in customers[10:30]:
        await create_referral(session, rng.choice(customers[:10]), c)
    return [c.id for c in customers]


@pytest.mark.parametrize("seed", [1, 2])
async def test_components_match_the_walk(db: Database, session: AsyncSession, seed: int) -> None:
    ids = await _random_graph(session, seed)
    state = await state_of(db)
    assert state.graph is not None
    settings = get_settings()
    potential, hnw = float(settings.tier_potential_min), float(settings.tier_hnw_min)
    for cid in ids:
        fast = components(state.core, cid)
        slow = walk_components(state.graph, cid, potential, hnw)
        for signal in SIGNALS:
            vector = fast.vectors[signal]
            for j, pid in enumerate(state.core.products.ids.tolist()):
                if j in fast.held:
                    continue
                assert vector[j] == pytest.approx(slow[signal].get(pid, 0.0)), (cid, signal)
        blended = blend(fast, Weights(), frozenset(SIGNALS))
        walked = walk_scores(state.graph, cid, potential, hnw)
        for j, pid in enumerate(state.core.products.ids.tolist()):
            if j not in fast.held:
                assert blended[j] == pytest.approx(walked.get(pid, 0.0))


async def test_the_walk_sees_incremental_changes_too(db: Database, session: AsyncSession) -> None:
    ids = await _random_graph(session, 3)
    state = await state_of(db)
    assert state.graph is not None
    settings = get_settings()
    potential, hnw = float(settings.tier_potential_min), float(settings.tier_hnw_min)
    products = state.core.products.ids.tolist()
    rng = random.Random(7)
    for _ in range(30):
        cid, pid = rng.choice(ids), rng.choice(products)
        state.apply_holding(cid, pid, 1000.0, datetime(2026, 1, 1, tzinfo=UTC).date())
    for cid in ids[:20]:
        fast = components(state.core, cid)
        slow = walk_components(state.graph, cid, potential, hnw)
        for j, pid in enumerate(products):
            if j not in fast.held:
                for signal in SIGNALS:
                    got = fast.vectors[signal][j]
                    assert got == pytest.approx(slow[signal].get(pid, 0.0)), (cid, signal)
