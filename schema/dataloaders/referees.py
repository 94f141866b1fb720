"""Everyone each of many customers referred (referee rows in scope), at once."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

from cdp.customers.referrals import ReferralRepository
from cdp.keyset import AnyRow
from schema.dataloaders.base import BatchLoader


class RefereesLoader(BatchLoader[int, list[AnyRow]]):
    async def fetch(self, referrer_ids: list[int]) -> Sequence[list[AnyRow]]:
        scope = self.deps.policy.scope("customer")
        rows = await ReferralRepository(self.deps.session).referees_of(
            referrer_ids, customer_scope=scope
        )
        by_referrer: dict[int, list[AnyRow]] = defaultdict(list)
        for row in rows:
            by_referrer[row.referrer_id].append(row)
        return [by_referrer.get(cid, []) for cid in referrer_ids]
