"""Members (customer rows in scope, with their relation) of many households at once."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

from cdp.customers.households import HouseholdRepository
from cdp.keyset import AnyRow
from schema.dataloaders.base import BatchLoader


class HouseholdMembersLoader(BatchLoader[int, list[AnyRow]]):
    async def fetch(self, household_ids: list[int]) -> Sequence[list[AnyRow]]:
        scope = self.deps.policy.scope("customer")
        repo = HouseholdRepository(self.deps.session)
        by_household: dict[int, list[AnyRow]] = defaultdict(list)
        for row in await repo.members(household_ids, customer_scope=scope):
            by_household[row.household_id].append(row)
        return [by_household.get(hid, []) for hid in household_ids]
