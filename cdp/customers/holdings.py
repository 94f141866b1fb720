"""All SQL that reads holdings, each with its product in the same row."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import any_, bindparam, select
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.ext.asyncio import AsyncSession

from cdp.catalog.products import PRODUCT_COLUMNS
from cdp.db.engine import read
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


# Built once: only the customer ids change between executions, bound as one array,
# so neither the statement nor its cache key is built again per request.
_WITH_PRODUCTS = (
    select(*HOLDING_COLUMNS, *(c.label(PRODUCT_PREFIX + c.key) for c in PRODUCT_COLUMNS))
    .join(Product, Product.id == Holding.product_id)
    .where(
        Holding.customer_id
        == any_(bindparam("customer_ids", type_=ARRAY(Holding.customer_id.expression.type)))
    )
    .order_by(Holding.customer_id, Holding.market_value.desc(), Holding.id)
)


class HoldingRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def with_products(self, customer_ids: Sequence[int]) -> Sequence[AnyRow]:
        """Holdings of these customers, each customer's largest market value first."""
        params = {"customer_ids": list(customer_ids)}
        return (await read(self.session, _WITH_PRODUCTS, params)).all()
