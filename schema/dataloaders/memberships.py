"""The household (with the customer's relation in it) of many customers at once."""

from __future__ import annotations

from collections.abc import Sequence

from cdp.customers.households import HouseholdRepository
from cdp.keyset import AnyRow
from schema.dataloaders.base import BatchLoader


class MembershipLoader(BatchLoader[int, AnyRow | None]):
    async def fetch(self, customer_ids: list[int]) -> Sequence[AnyRow | None]:
        rows = await HouseholdRepository(self.deps.session).memberships(customer_ids)
        by_customer = {row.customer_id: row for row in rows}
        return [by_customer.get(cid) for cid in customer_ids]
