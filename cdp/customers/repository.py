"""All SQL of the customer domain."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from cdp.db.models import Customer, Holding, Product


class CustomerRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def get_by_customer_no(self, customer_no: str) -> Customer | None:
        stmt = select(Customer).where(Customer.customer_no == customer_no)
        return (await self.session.execute(stmt)).scalar_one_or_none()

    async def holdings_with_products(
        self, customer_ids: Sequence[int]
    ) -> Sequence[tuple[Holding, Product]]:
        stmt = (
            select(Holding, Product)
            .join(Product, Product.id == Holding.product_id)
            .where(Holding.customer_id.in_(customer_ids))
            .order_by(Holding.customer_id, Holding.market_value.desc(), Holding.id)
        )
        return [(h, p) for h, p in (await self.session.execute(stmt)).all()]

    async def aum(self, customer_id: int) -> Decimal:
        stmt = select(func.coalesce(func.sum(Holding.market_value), 0)).where(
            Holding.customer_id == customer_id
        )
        return Decimal((await self.session.execute(stmt)).scalar_one())

    async def sample_customer_nos(self, limit: int) -> list[str]:
        """Customer numbers with the largest AUM: good examples for the demo."""
        stmt = (
            select(Customer.customer_no)
            .join(Holding, Holding.customer_id == Customer.id)
            .group_by(Customer.id)
            .order_by(func.sum(Holding.market_value).desc(), Customer.id)
            .limit(limit)
        )
        return list((await self.session.execute(stmt)).scalars())
