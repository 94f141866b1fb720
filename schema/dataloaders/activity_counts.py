"""Total transactions or interaction events per customer for a kind/time filter."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

from cdp.customers.activity import ActivityQuery, ActivityRepository
from cdp.db.models import InteractionEvent, Transaction
from schema.dataloaders.base import BatchLoader

# ("transactions" or "interactions", customer id, filter)
CountKey = tuple[str, int, ActivityQuery]

_MODELS: dict[str, type[Transaction] | type[InteractionEvent]] = {
    "transactions": Transaction,
    "interactions": InteractionEvent,
}


class ActivityCountLoader(BatchLoader[CountKey, int]):
    async def fetch(self, keys: list[CountKey]) -> Sequence[int]:
        groups: dict[tuple[str, ActivityQuery], list[int]] = defaultdict(list)
        for table, customer_id, q in keys:
            groups[(table, q)].append(customer_id)
        counts: dict[CountKey, int] = {}
        repo = ActivityRepository(self.deps.session)
        for (table, q), ids in groups.items():
            found = await repo.counts(_MODELS[table], ids, q)
            for cid in ids:
                counts[(table, cid, q)] = found.get(cid, 0)
        return [counts[key] for key in keys]
