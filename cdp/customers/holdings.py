"""All SQL that reads holdings, each with its product in the same row."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from cdp.catalog.products import PRODUCT_COLUMNS
from cdp.db.engine import any_of, read
from cdp.db.models import Holding, Product
from cdp.keyset import AnyRow

HOLDING_COLUMNS = (
    Holding.id,
    Holding.customer_id,
    Holding.units,
    Holding.market_value,
    Holding.cost,
    Holding.opened_at,
    Holding.updated_at,
)

# Product columns ride along under a prefix, so one statement serves holdings and
# their products (the product shelf is small; the holdings list is the hot path).
PRODUCT_PREFIX = "product_"


class HoldingRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def with_products(self, customer_ids: Sequence[int]) -> Sequence[AnyRow]:
        """Holdings of these customers, each customer's largest market value first."""
        stmt = (
            select(
                *HOLDING_COLUMNS,
                *(c.label(PRODUCT_PREFIX + c.key) for c in PRODUCT_COLUMNS),
            )
            .join(Product, Product.id == Holding.product_id)
            .where(any_of(Holding.customer_id, customer_ids))
            .order_by(Holding.customer_id, Holding.market_value.desc(), Holding.id)
        )
        return (await read(self.session, stmt)).all()
