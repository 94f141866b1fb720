"""Holdings (each with its product's columns) of many customers in one statement."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

from cdp.customers.holdings import HoldingRepository
from cdp.keyset import AnyRow
from schema.dataloaders.base import BatchLoader


class HoldingsLoader(BatchLoader[int, list[AnyRow]]):
    async def fetch(self, customer_ids: list[int]) -> Sequence[list[AnyRow]]:
        by_customer: dict[int, list[AnyRow]] = defaultdict(list)
        rows = await HoldingRepository(self.deps.session).with_products(customer_ids)
        if rows:
            # By position: see ``schema.dataloaders.rows.positions``.
            at = rows[0]._fields.index("customer_id")
            for row in rows:
                by_customer[row[at]].append(row)
        return [by_customer.get(cid, []) for cid in customer_ids]
