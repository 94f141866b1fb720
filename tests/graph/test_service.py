"""The service a server process holds: snapshot switching, catch-up, caller's fields."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from cdp.config import get_settings
from cdp.db.engine import Database
from cdp.errors import NotFound, Unavailable
from graph.crosssell.reasons import HOUSEHOLD
from graph.service import GraphService
from graph.state import write_state
from tests.factories import create_customer, create_holding, create_household, create_product
from tests.graph.helpers import TODAY, state_of


async def test_refresh_switches_snapshots_and_catches_up(
    db: Database, session: AsyncSession, tmp_path: Path
) -> None:
    settings = get_settings().model_copy(update={"data_dir": tmp_path})
    service = GraphService(db, settings)
    assert await service.refresh() is None
    with pytest.raises(Unavailable):
        service.top_referrers(5)

    fund = await create_product(session, risk_rating=1, min_investment=0)
    me = await create_customer(session, risk_assessed_at=date(2026, 6, 1))
    spouse = await create_customer(session)
    household = await create_household(session, [(me, "self"), (spouse, "spouse")])
    write_state(await state_of(db, with_networkx=False), settings)
    await service.refresh()
    first = service.snapshot_path
    assert first is not None
    assert (await service.cross_sell(me.id, 3, TODAY, may_read=lambda f: True)).items[
        0
    ].reasons == ()

    await create_holding(session, spouse, fund, market_value=Decimal("10"))
    caught = await service.refresh()
    assert caught is not None
    assert caught.holdings == 1
    (item,) = (await service.cross_sell(me.id, 3, TODAY, may_read=lambda f: True)).items
    assert [r.kind for r in item.reasons] == [HOUSEHOLD]
    hidden = await service.cross_sell(
        me.id, 3, TODAY, may_read=lambda f: not f.startswith("Household")
    )
    assert all(r.kind != HOUSEHOLD for i in hidden.items for r in i.reasons)

    family = service.household(me.id)
    assert family is not None
    assert family.household_id == household.id
    assert {g.category for g in await service.household_gaps(me.id, TODAY)} >= {"insurance"}
    with pytest.raises(NotFound):
        await service.cross_sell(me.id + 10_000, 3, TODAY, may_read=lambda f: True)

    write_state(await state_of(db, with_networkx=False), settings)  # a scheduled rebuild
    await service.refresh()
    assert service.snapshot_path != first
    assert service.state.core.holders.sum() == 1  # now in the snapshot itself
