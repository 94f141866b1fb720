"""All SQL of API intake: customer numbers for results, and the batch's run record."""

from __future__ import annotations

from collections.abc import Collection
from datetime import UTC, datetime

from sqlalchemy import select

from cdp.db.engine import AsyncWriteSession
from cdp.db.models import Customer, ImportRun


class IntakeRepository:
    def __init__(self, session: AsyncWriteSession) -> None:
        self.session = session

    async def customer_nos(self, customer_ids: Collection[int]) -> dict[int, str]:
        if not customer_ids:
            return {}
        stmt = select(Customer.id, Customer.customer_no).where(Customer.id.in_(list(customer_ids)))
        return {cid: no for cid, no in (await self.session.execute(stmt)).all()}

    async def start_run(self, source: str, kind: str, origin: str) -> ImportRun:
        run = ImportRun(source=source, kind=kind, origin=origin)
        self.session.add(run)
        await self.session.flush()
        return run

    async def finish_run(self, run: ImportRun, counts: dict[str, int]) -> None:
        # Committed together with the batch, so an API run is never left 'running'.
        run.status = "completed"
        run.finished_at = datetime.now(UTC)
        run.counts = counts
        await self.session.flush()
