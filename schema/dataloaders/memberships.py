"""The household (with the customer's relation in it) of many customers at once."""

from __future__ import annotations

from collections.abc import Sequence

from cdp.customers.households import HouseholdRepository
from cdp.keyset import AnyRow
from schema.dataloaders.base import BatchLoader


class MembershipLoader(BatchLoader[int, AnyRow | None]):
    async def fetch(self, customer_ids: list[int]) -> Sequence[AnyRow | None]:
        scope = self.deps.policy.scope("customer")
        repo = HouseholdRepository(self.deps.session)
        rows = await repo.memberships(customer_ids, customer_scope=scope)
        by_customer = {row.customer_id: row for row in rows}
        return [by_customer.get(cid) for cid in customer_ids]
