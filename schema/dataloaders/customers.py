"""Customers by primary key, within the caller's row scope (for node(id))."""

from __future__ import annotations

from collections.abc import Sequence

from cdp.customers.repository import CustomerRepository
from cdp.keyset import AnyRow
from schema.dataloaders.base import BatchLoader


class CustomerLoader(BatchLoader[int, AnyRow | None]):
    async def fetch(self, ids: list[int]) -> Sequence[AnyRow | None]:
        scope = self.deps.policy.row_scope
        rows = await CustomerRepository(self.deps.session).by_ids(ids, scope=scope)
        by_id = {row.id: row for row in rows}
        return [by_id.get(i) for i in ids]
