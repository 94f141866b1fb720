"""Current consents of many customers in one statement."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

from cdp.customers.consents import ConsentRepository
from cdp.keyset import AnyRow
from schema.dataloaders.base import BatchLoader


class ConsentsLoader(BatchLoader[int, list[AnyRow]]):
    async def fetch(self, customer_ids: list[int]) -> Sequence[list[AnyRow]]:
        by_customer: dict[int, list[AnyRow]] = defaultdict(list)
        for row in await ConsentRepository(self.deps.session).of_customers(customer_ids):
            by_customer[row.customer_id].append(row)
        return [by_customer.get(cid, []) for cid in customer_ids]
