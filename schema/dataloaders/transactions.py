"""Pages of transactions of many customers: one statement per distinct page request."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from cdp import keyset
from cdp.customers.activity import ActivityQuery, ActivityRepository
from cdp.keyset import AnyRow
from schema.dataloaders.base import BatchLoader

ActivityKey = tuple[int, ActivityQuery, keyset.Window]


async def load_pages(keys: list[ActivityKey], fetch: Any) -> list[keyset.Page[AnyRow]]:
    """Group keys by request (usually all alike: the same field on every customer of a
    page) and fetch each group's customers together."""
    groups: dict[tuple[ActivityQuery, keyset.Window], list[int]] = defaultdict(list)
    for customer_id, q, win in keys:
        groups[(q, win)].append(customer_id)
    pages: dict[ActivityKey, keyset.Page[AnyRow]] = {}
    for (q, win), customer_ids in groups.items():
        for customer_id, page in (await fetch(customer_ids, q, win)).items():
            pages[(customer_id, q, win)] = page
    return [pages[key] for key in keys]


class TransactionsLoader(BatchLoader[ActivityKey, keyset.Page[AnyRow]]):
    async def fetch(self, keys: list[ActivityKey]) -> Sequence[keyset.Page[AnyRow]]:
        return await load_pages(keys, ActivityRepository(self.deps.session).transactions)
