"""The background worker of ``cdp serve``: dirty customers' tags, and the daily run.

Every ``interval`` seconds it looks for dirty customers (one cheap query) and, if
there are any, runs their tags; writes mark customers dirty through database
triggers, so a change reaches the customer's tags within a few seconds. Once a
day (UTC) it runs every tag for everyone, so time-relative rules ("within 90
days", ages, days since) move on without anyone asking. Runs serialise on the
engine's advisory lock, so several server processes never run at once; each
process's loop only costs its polling query while nothing is dirty.

The daily run is claimed under a lock of its own, and whether it is due is asked
again once claimed: every server process starts its loop at the same moment, and
without the claim each would find the day's run due and queue one more full run
behind the first (two full runs at 100,000 customers cost about 70 s of database
time while the server is answering requests).
"""

from __future__ import annotations

import asyncio
import logging
from contextlib import suppress
from datetime import UTC, date, datetime

from sqlalchemy import func, select, text

from cdp.db.engine import Database
from cdp.db.models import TagRun
from tagging.engine import run_dirty, run_tags
from tagging.engine.incremental import dirty_count

log = logging.getLogger(__name__)

# pg_advisory lock key of the daily run's claim ("tagd" in ASCII).
DAILY_LOCK = 0x74616764


async def full_run_due(db: Database, now: datetime) -> bool:
    """No successful full run has started today (UTC)."""
    async with db.read_session() as session:
        last = await session.scalar(
            select(func.max(TagRun.started_at)).where(
                TagRun.kind == "full",
                TagRun.status == "succeeded",
                func.cardinality(TagRun.tag_keys) == 0,
            )
        )
    return last is None or last.astimezone(UTC).date() < now.astimezone(UTC).date()


class TagWorker:
    def __init__(self, db: Database, *, interval: float, daily: bool = True) -> None:
        self.db = db
        self.interval = interval
        self.daily = daily
        # The UTC day this process last found the full run done: it stays done until
        # the date changes, so the loop stops asking (one query less per tick).
        self._done_on: date | None = None
        self._task: asyncio.Task[None] | None = None

    def start(self) -> None:
        if self._task is None:
            self._task = asyncio.create_task(self._loop(), name="tag-worker")

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with suppress(asyncio.CancelledError):
                await self._task
            self._task = None

    async def step(self) -> str | None:
        """One look: the daily full run if due, else dirty customers if any."""
        now = datetime.now(UTC)
        if self.daily and self._done_on != now.date():
            if await full_run_due(self.db, now):
                done = await self._daily_run()
                if done is not None:
                    return done
            else:
                self._done_on = now.date()
        async with self.db.read_session() as session:
            pending = await dirty_count(session)
        if not pending:
            return None
        report = await run_dirty(self.db)
        return f"dirty run {report.id}: {report.customers} customers"

    async def _daily_run(self) -> str | None:
        """The full run, unless another process has claimed today's or just did it.

        The claim is a transaction-level lock held while the run works (in sessions
        of its own); a process that cannot take it at once leaves the day's run to
        the one that did, and looks again next tick.
        """
        async with self.db.write_session() as claim:
            taken = await claim.scalar(
                text("SELECT pg_try_advisory_xact_lock(:k)"), {"k": DAILY_LOCK}
            )
            if not taken or not await full_run_due(self.db, datetime.now(UTC)):
                return None
            report = await run_tags(self.db)
            return f"full run {report.id}"

    async def _loop(self) -> None:
        while True:
            try:
                done = await self.step()
                if done:
                    log.info("tags: %s", done)
            except asyncio.CancelledError:
                raise
            except Exception:  # a failed run is recorded; try again next time
                log.exception("tag run failed")
            await asyncio.sleep(self.interval)
