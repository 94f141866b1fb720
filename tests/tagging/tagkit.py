"""Helpers for tag tests: active definitions, profiled customers, stored values."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from cdp.db.engine import AsyncWriteSession
from cdp.db.models import Customer, TagDefinition, TagValue
from tagging.definitions import TagSpec, create_tag, publish_tag
from tests.factories import create_consent, create_customer, create_holding, create_product


async def active_tag(
    session: AsyncWriteSession,
    key: str,
    rule: str,
    *,
    value_type: str = "boolean",
    enum_values: tuple[str, ...] = (),
) -> TagDefinition:
    spec = TagSpec(
        key=key,
        name_zh=key,
        name_en=key,
        category="test",
        rule=rule,
        value_type=value_type,
        enum_values=enum_values,
    )
    await create_tag(session, spec, actor="test")
    return await publish_tag(session, key)


async def profiled_customer(
    session: AsyncWriteSession, *, aum: Decimal | int | None = None, **overrides: Any
) -> Customer:
    """A customer who consented to profiling, holding ``aum`` in one fund."""
    customer = await create_customer(session, **overrides)
    await create_consent(session, customer, "profiling")
    if aum is not None:
        product = await create_product(session)
        await create_holding(session, customer, product, market_value=Decimal(aum))
    return customer


async def values_of(session: AsyncSession, key: str) -> dict[int, Any]:
    """customer id → stored value of the tag."""
    rows = await session.execute(
        select(TagValue.customer_id, TagValue.value)
        .join(TagDefinition, TagDefinition.id == TagValue.tag_id)
        .where(TagDefinition.key == key)
    )
    return {customer_id: value for customer_id, value in rows}
