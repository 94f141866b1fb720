"""How many customers hold each of many products, in one statement."""

from __future__ import annotations

from collections.abc import Sequence

from cdp.catalog.products import ProductRepository
from schema.dataloaders.base import BatchLoader


class HolderCountLoader(BatchLoader[int, int]):
    async def fetch(self, product_ids: list[int]) -> Sequence[int]:
        counts = await ProductRepository(self.deps.session).holder_counts(product_ids)
        return [counts.get(pid, 0) for pid in product_ids]
