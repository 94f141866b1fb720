"""All SQL that reads products."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import ColumnElement, distinct, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from cdp import keyset
from cdp.db.engine import any_of, read
from cdp.db.models import Customer, Holding, Product
from cdp.keyset import AnyRow

PRODUCT_COLUMNS = (
    Product.id,
    Product.code,
    Product.name,
    Product.category,
    Product.risk_rating,
    Product.min_investment,
    Product.term_days,
    Product.expected_yield,
    Product.currency,
    Product.status,
    Product.launched_at,
)

PRODUCT_ORDERING = keyset.Ordering("code", Product.code, Product.id, "code", str)


def _where(categories: Sequence[str] | None, scope: ColumnElement[bool] | None) -> Any:
    condition = Product.category.in_(categories) if categories else Product.id.is_not(None)
    return condition if scope is None else condition & scope


class ProductRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def page(
        self,
        *,
        categories: Sequence[str] | None,
        ordering: keyset.Ordering,
        window: keyset.Window,
        scope: ColumnElement[bool] | None = None,
    ) -> keyset.Page[AnyRow]:
        stmt = select(*PRODUCT_COLUMNS).where(_where(categories, scope))
        rows = (await read(self.session, keyset.apply(stmt, ordering, window))).all()
        return keyset.page(rows, window)

    async def count(
        self, *, categories: Sequence[str] | None, scope: ColumnElement[bool] | None = None
    ) -> int:
        stmt = select(func.count()).select_from(Product).where(_where(categories, scope))
        return int((await read(self.session, stmt)).scalar_one())

    async def by_ids(
        self, ids: Sequence[int], *, scope: ColumnElement[bool] | None = None
    ) -> Sequence[AnyRow]:
        condition = any_of(Product.id, ids) if scope is None else any_of(Product.id, ids) & scope
        return (await read(self.session, select(*PRODUCT_COLUMNS).where(condition))).all()

    async def holder_counts(
        self, product_ids: Sequence[int], *, customer_scope: ColumnElement[bool] | None = None
    ) -> dict[int, int]:
        """Distinct golden customers holding each product, within the caller's customer
        scope (products nobody in it holds are absent): the customers a list of
        holders would show."""
        condition = any_of(Holding.product_id, product_ids) & (Customer.status != "merged")
        if customer_scope is not None:
            condition = condition & customer_scope
        stmt = (
            select(Holding.product_id, func.count(distinct(Holding.customer_id)))
            .join(Customer, Customer.id == Holding.customer_id)
            .where(condition)
            .group_by(Holding.product_id)
        )
        return {pid: n for pid, n in (await read(self.session, stmt)).all()}
