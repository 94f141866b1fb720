"""The database itself refuses dishonest data."""

from __future__ import annotations

import pytest
from sqlalchemy.exc import IntegrityError

from cdp.db.engine import AsyncWriteSession
from tests.factories import create_customer, create_holding, create_product


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("risk_level", 6),
        ("risk_level", 0),
        ("annual_income", -1),
        ("gender", "X"),
        ("investor_class", "vip"),
        ("status", "gone"),
    ],
)
async def test_customer_checks(session: AsyncWriteSession, field: str, value: object) -> None:
    with pytest.raises(IntegrityError):
        async with session.begin_nested():
            await create_customer(session, **{field: value})  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("field", "value"), [("risk_rating", 7), ("category", "crypto"), ("min_investment", -5)]
)
async def test_product_checks(session: AsyncWriteSession, field: str, value: object) -> None:
    with pytest.raises(IntegrityError):
        async with session.begin_nested():
            await create_product(session, **{field: value})


async def test_holding_needs_existing_customer_and_non_negative_value(
    session: AsyncWriteSession,
) -> None:
    customer = await create_customer(session)
    product = await create_product(session)
    with pytest.raises(IntegrityError):
        async with session.begin_nested():
            await create_holding(session, customer, product, market_value=-1)
    with pytest.raises(IntegrityError):
        async with session.begin_nested():
            await create_holding(session, customer, product, customer_id=10**12)
