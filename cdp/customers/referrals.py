"""All SQL that reads referrals: who brought whom in.

Rows carry the referral and the *other* party's customer columns; the other party
is filtered by the customer row scope like any customer list.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import ColumnElement
from sqlalchemy.ext.asyncio import AsyncSession

from cdp.customers.columns import select_customers
from cdp.db.engine import any_of, read
from cdp.db.models import Customer, Referral
from cdp.keyset import AnyRow

_REFERRAL_COLUMNS = (
    Referral.id.label("referral_id"),
    Referral.referrer_id,
    Referral.referee_id,
    Referral.referred_at,
    Referral.channel,
)


class ReferralRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def referrers_of(
        self, referee_ids: Sequence[int], *, customer_scope: ColumnElement[bool] | None = None
    ) -> Sequence[AnyRow]:
        """For each referred customer, its referral and the referrer's columns."""
        condition: ColumnElement[bool] = any_of(Referral.referee_id, referee_ids)
        if customer_scope is not None:
            condition = condition & customer_scope
        stmt = (
            select_customers(*_REFERRAL_COLUMNS)
            .join(Referral, Referral.referrer_id == Customer.id)
            .where(condition)
        )
        return (await read(self.session, stmt)).all()

    async def referees_of(
        self, referrer_ids: Sequence[int], *, customer_scope: ColumnElement[bool] | None = None
    ) -> Sequence[AnyRow]:
        """Everyone these customers referred, earliest first, with the referee's columns."""
        condition: ColumnElement[bool] = any_of(Referral.referrer_id, referrer_ids)
        if customer_scope is not None:
            condition = condition & customer_scope
        stmt = (
            select_customers(*_REFERRAL_COLUMNS)
            .join(Referral, Referral.referee_id == Customer.id)
            .where(condition)
            .order_by(Referral.referrer_id, Referral.referred_at, Referral.id)
        )
        return (await read(self.session, stmt)).all()
