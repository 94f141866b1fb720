"""All SQL that reads the current consent state of customers."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from cdp.db.engine import any_of, read
from cdp.db.models import Consent
from cdp.keyset import AnyRow


class ConsentRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def of_customers(self, customer_ids: Sequence[int]) -> Sequence[AnyRow]:
        stmt = (
            select(
                Consent.customer_id,
                Consent.purpose,
                Consent.granted,
                Consent.source,
                Consent.updated_at,
            )
            .where(any_of(Consent.customer_id, customer_ids))
            .order_by(Consent.customer_id, Consent.purpose)
        )
        return (await read(self.session, stmt)).all()
