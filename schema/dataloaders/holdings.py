"""Holdings (with their product) of many customers in one statement."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

from strawberry.dataloader import DataLoader

from cdp.customers.repository import CustomerRepository
from cdp.db.engine import AsyncReadSession
from cdp.db.models import Holding, Product

HoldingRow = tuple[Holding, Product]


class HoldingsLoader(DataLoader[int, list[HoldingRow]]):
    def __init__(self, session: AsyncReadSession) -> None:
        self._repo = CustomerRepository(session)
        super().__init__(load_fn=self._load)

    async def _load(self, customer_ids: Sequence[int]) -> list[list[HoldingRow]]:
        by_customer: dict[int, list[HoldingRow]] = defaultdict(list)
        for holding, product in await self._repo.holdings_with_products(customer_ids):
            by_customer[holding.customer_id].append((holding, product))
        return [by_customer.get(cid, []) for cid in customer_ids]
