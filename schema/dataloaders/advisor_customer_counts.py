"""How many customers (in the caller's scope) each of many advisors serves."""

from __future__ import annotations

from collections.abc import Sequence

from cdp.catalog.advisors import AdvisorRepository
from schema.dataloaders.base import BatchLoader


class AdvisorCustomerCountLoader(BatchLoader[int, int]):
    async def fetch(self, advisor_ids: list[int]) -> Sequence[int]:
        scope = self.deps.policy.scope("customer")
        counts = await AdvisorRepository(self.deps.session).customer_counts(
            advisor_ids, customer_scope=scope
        )
        return [counts.get(aid, 0) for aid in advisor_ids]
