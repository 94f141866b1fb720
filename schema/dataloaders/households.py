"""Households by primary key, within the caller's row scope (for node(id))."""

from __future__ import annotations

from collections.abc import Sequence

from cdp.customers.households import HouseholdRepository
from cdp.keyset import AnyRow
from schema.dataloaders.base import BatchLoader


class HouseholdLoader(BatchLoader[int, AnyRow | None]):
    async def fetch(self, ids: list[int]) -> Sequence[AnyRow | None]:
        policy = self.deps.policy
        rows = await HouseholdRepository(self.deps.session).by_ids(
            ids, scope=policy.scope("household"), customer_scope=policy.scope("customer")
        )
        by_id = {row.id: row for row in rows}
        return [by_id.get(i) for i in ids]
