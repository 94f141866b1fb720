"""Pages of interaction events of many customers: one statement per distinct request."""

from __future__ import annotations

from collections.abc import Sequence

from cdp import keyset
from cdp.customers.activity import ActivityRepository
from cdp.keyset import AnyRow
from schema.dataloaders.base import BatchLoader
from schema.dataloaders.transactions import ActivityKey, load_pages


class InteractionsLoader(BatchLoader[ActivityKey, keyset.Page[AnyRow]]):
    async def fetch(self, keys: list[ActivityKey]) -> Sequence[keyset.Page[AnyRow]]:
        return await load_pages(keys, ActivityRepository(self.deps.session).interactions)
