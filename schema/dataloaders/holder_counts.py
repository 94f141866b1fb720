"""How many customers (in the caller's scope) hold each of many products, in one
statement: a count over customers the caller may not see would tell how many of
them hold the product."""

from __future__ import annotations

from collections.abc import Sequence

from cdp.catalog.products import ProductRepository
from schema.dataloaders.base import BatchLoader


class HolderCountLoader(BatchLoader[int, int]):
    async def fetch(self, product_ids: list[int]) -> Sequence[int]:
        counts = await ProductRepository(self.deps.session).holder_counts(
            product_ids, customer_scope=self.deps.policy.scope("customer")
        )
        return [counts.get(pid, 0) for pid in product_ids]
