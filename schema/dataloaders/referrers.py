"""Who referred each of many customers (the referrer's row, in scope), at once."""

from __future__ import annotations

from collections.abc import Sequence

from cdp.customers.referrals import ReferralRepository
from cdp.keyset import AnyRow
from schema.dataloaders.base import BatchLoader


class ReferrerLoader(BatchLoader[int, AnyRow | None]):
    async def fetch(self, referee_ids: list[int]) -> Sequence[AnyRow | None]:
        scope = self.deps.policy.scope("customer")
        rows = await ReferralRepository(self.deps.session).referrers_of(
            referee_ids, customer_scope=scope
        )
        by_referee = {row.referee_id: row for row in rows}
        return [by_referee.get(cid) for cid in referee_ids]
