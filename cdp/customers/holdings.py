"""All SQL that reads holdings, each with its product in the same row."""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from typing import Any

from sqlalchemy import Select, any_, bindparam, null, select
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


# Columns a reader may go without: NULL stands in their place, so rows keep their
# shape. Numerics and timestamps are what the driver spends most on decoding: 95
# holdings cost about 1.2 ms of client CPU with every column and 0.6 ms with the six
# the customer-360 list shows.
OPTIONAL = frozenset(
    [c.key for c in HOLDING_COLUMNS[2:]] + [PRODUCT_PREFIX + c.key for c in PRODUCT_COLUMNS[1:]]
)


@lru_cache(maxsize=64)
def _with_products(columns: frozenset[str] | None) -> Select[*tuple[Any, ...]]:
    """Built once per set of columns: only the customer ids change between executions,
    bound as one array, so neither the statement nor its cache key is built again."""

    def kept(column: Any, name: str) -> Any:
        return column if columns is None or name in columns else null().label(name)

    return (
        select(
            *HOLDING_COLUMNS[:2],
            *(kept(c, c.key) for c in HOLDING_COLUMNS[2:]),
            PRODUCT_COLUMNS[0].label(PRODUCT_PREFIX + PRODUCT_COLUMNS[0].key),
            *(
                kept(c.label(PRODUCT_PREFIX + c.key), PRODUCT_PREFIX + c.key)
                for c in PRODUCT_COLUMNS[1:]
            ),
        )
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

    async def with_products(
        self, customer_ids: Sequence[int], columns: frozenset[str] | None = None
    ) -> Sequence[AnyRow]:
        """Holdings of these customers, each customer's largest market value first.

        ``columns`` names the ``OPTIONAL`` columns to read (others are NULL); ``None``
        reads them all.
        """
        if columns is not None:
            columns = columns & OPTIONAL
        params = {"customer_ids": list(customer_ids)}
        return (await read(self.session, _with_products(columns), params)).all()
