"""All SQL that reads transactions and interaction events, per customer and time window.

Pages of many customers are read in one statement: ``row_number()`` over each
customer's rows (newest first) keeps ``size + 1`` per customer, which the
``(customer_id, occurred_at)`` index serves. Cursors are keyset cursors over
``(occurred_at, id)``, descending.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, select, tuple_
from sqlalchemy.ext.asyncio import AsyncSession

from cdp import keyset
from cdp.catalog.products import PRODUCT_COLUMNS
from cdp.customers.holdings import PRODUCT_PREFIX
from cdp.db.engine import any_of, read
from cdp.db.models import InteractionEvent, Product, Transaction
from cdp.keyset import AnyRow


@dataclass(frozen=True)
class ActivityQuery:
    """Which rows of one customer's history: kinds and a half-open time window."""

    kinds: tuple[str, ...] | None = None
    since: datetime | None = None
    until: datetime | None = None


TRANSACTION_ORDERING = keyset.Ordering(
    "occurred_at", Transaction.occurred_at, Transaction.id, "occurred_at", datetime, True
)
INTERACTION_ORDERING = keyset.Ordering(
    "occurred_at", InteractionEvent.occurred_at, InteractionEvent.id, "occurred_at", datetime, True
)


def _conditions(model: Any, customer_ids: Sequence[int], q: ActivityQuery) -> list[Any]:
    conditions = [any_of(model.customer_id, customer_ids)]
    if q.kinds is not None:
        conditions.append(model.kind.in_(q.kinds))
    if q.since is not None:
        conditions.append(model.occurred_at >= q.since)
    if q.until is not None:
        conditions.append(model.occurred_at < q.until)
    return conditions


class ActivityRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def transactions(
        self, customer_ids: Sequence[int], q: ActivityQuery, window: keyset.Window
    ) -> dict[int, keyset.Page[AnyRow]]:
        columns = (
            Transaction.id,
            Transaction.customer_id,
            Transaction.kind,
            Transaction.amount,
            Transaction.channel,
            Transaction.occurred_at,
            *(c.label(PRODUCT_PREFIX + c.key) for c in PRODUCT_COLUMNS),
        )
        return await self._pages(Transaction, columns, customer_ids, q, window, outer=True)

    async def interactions(
        self, customer_ids: Sequence[int], q: ActivityQuery, window: keyset.Window
    ) -> dict[int, keyset.Page[AnyRow]]:
        columns = (
            InteractionEvent.id,
            InteractionEvent.customer_id,
            InteractionEvent.kind,
            InteractionEvent.occurred_at,
            InteractionEvent.properties,
        )
        return await self._pages(InteractionEvent, columns, customer_ids, q, window)

    async def counts(
        self, model: type[Transaction] | type[InteractionEvent], customer_ids: Sequence[int],
        q: ActivityQuery,
    ) -> dict[int, int]:  # fmt: skip
        stmt = (
            select(model.customer_id, func.count())
            .where(*_conditions(model, customer_ids, q))
            .group_by(model.customer_id)
        )
        return {cid: n for cid, n in (await read(self.session, stmt)).all()}

    async def _pages(
        self,
        model: Any,
        columns: Sequence[Any],
        customer_ids: Sequence[int],
        q: ActivityQuery,
        window: keyset.Window,
        *,
        outer: bool = False,
    ) -> dict[int, keyset.Page[AnyRow]]:
        conditions = _conditions(model, customer_ids, q)
        if window.after is not None:
            key, row_id = window.after
            conditions.append(tuple_(model.occurred_at, model.id) < tuple_(key, row_id))
        rank = func.row_number().over(
            partition_by=model.customer_id, order_by=(model.occurred_at.desc(), model.id.desc())
        )
        inner = select(*columns, rank.label("rank")).where(*conditions)
        if outer:
            inner = inner.outerjoin(Product, Product.id == model.product_id)
        ranked = inner.subquery()
        stmt = (
            select(*(c for c in ranked.c if c.key != "rank"))
            .where(ranked.c.rank <= window.size + 1)
            .order_by(ranked.c.customer_id, ranked.c.rank)
        )
        by_customer: dict[int, list[AnyRow]] = defaultdict(list)
        for row in (await read(self.session, stmt)).all():
            by_customer[row.customer_id].append(row)
        return {cid: keyset.page(by_customer.get(cid, []), window) for cid in customer_ids}
