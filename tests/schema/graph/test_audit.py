"""Graph answers computed from holdings are sensitive reads in the audit trail."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncEngine

from cdp.db.engine import AsyncWriteSession
from cdp.db.models import AuditLog
from tests.factories import create_customer, create_holding, create_household, create_product
from tests.schema.graph.conftest import GraphClient, gql


@pytest.fixture
async def who(engine: AsyncEngine) -> AsyncIterator[str]:
    principal = f"graph-audit-{uuid.uuid4().hex[:12]}"
    yield principal
    async with engine.begin() as conn:
        await conn.execute(delete(AuditLog).where(AuditLog.principal == principal))


async def _rows(engine: AsyncEngine, principal: str) -> list[Any]:
    async with engine.connect() as conn:
        stmt = select(AuditLog).where(AuditLog.principal == principal).order_by(AuditLog.id)
        return list((await conn.execute(stmt)).all())


async def test_cross_sell_with_a_household_reason_is_a_read_of_both_members(
    graph_client: GraphClient,
    build_graph: Any,
    session: AsyncWriteSession,
    engine: AsyncEngine,
    who: str,
) -> None:
    me = await create_customer(session, risk_assessed_at=date(2026, 6, 1))
    spouse = await create_customer(session)
    await create_household(session, [(me, "self"), (spouse, "spouse")])
    fund = await create_product(session, risk_rating=1, min_investment=0)
    await create_holding(session, spouse, fund, market_value=Decimal("1000"))
    await build_graph()
    query = (
        f'query Advice {{ customer(customerNo: "{me.customer_no}") '
        "{ crossSell { items { productCode reasons { kind } } } } }"
    )
    async with graph_client(subject=who) as client:
        body = await gql(client, query)
    assert body["data"]["customer"]["crossSell"]["items"][0]["reasons"] == [{"kind": "household"}]
    [row] = await _rows(engine, who)
    assert row.operation == "Advice"
    assert row.field_paths == ["Customer.crossSell"]
    assert row.customer_ids == sorted([me.id, spouse.id])


async def test_without_a_household_reason_only_the_customer_is_recorded(
    graph_client: GraphClient,
    build_graph: Any,
    session: AsyncWriteSession,
    engine: AsyncEngine,
    who: str,
) -> None:
    """Selecting crossSell reads the customer's holdings, as selecting holdings does,
    even when nothing is proposed; a housemate is recorded only behind a reason."""
    me, spouse = await create_customer(session), await create_customer(session)
    await create_household(session, [(me, "self"), (spouse, "spouse")])
    await build_graph()
    query = (
        f'{{ customer(customerNo: "{me.customer_no}") {{ crossSell {{ items {{ score }} }} }} }}'
    )
    async with graph_client(subject=who) as client:
        body = await gql(client, query)
    assert body["data"]["customer"]["crossSell"]["items"] == []
    [row] = await _rows(engine, who)
    assert row.field_paths == ["Customer.crossSell"]
    assert row.customer_ids == [me.id]
