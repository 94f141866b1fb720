"""Run records: one row per evaluation run, written outside the run's transaction.

A run's values are written in one transaction, so a crash leaves the previous
values. The record itself is committed first (status ``running``) so an operator
sees a run that is going on; if the process dies, the row stays ``running``. Runs
serialise on an advisory lock held by the working transaction, so when the next
run can take that lock at once, nobody is running and any ``running`` row is a
leftover: it is marked failed before the new run starts.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import func, select, text, update
from sqlalchemy.ext.asyncio import AsyncSession

from cdp.db.engine import Database
from cdp.db.models import TagRun

# pg_advisory lock key of tag runs ("tags" in ASCII); one run at a time.
RUN_LOCK = 0x74616773
KILLED = "the process running it stopped before it finished"


@dataclass
class RunReport:
    """What a run did; the same figures as its ``tag_run`` row."""

    id: int
    kind: str
    status: str = "running"
    customers: int = 0
    counts: dict[str, int] = field(default_factory=dict)
    stages: dict[str, float] = field(default_factory=dict)
    tags: dict[str, dict[str, float]] = field(default_factory=dict)
    error: str | None = None


async def take_run_lock(session: AsyncSession) -> None:
    """Wait for other runs to finish; held until this transaction ends."""
    await session.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": RUN_LOCK})


async def fail_leftover_runs(db: Database) -> int:
    """Mark ``running`` rows failed when no run holds the lock; returns how many."""
    async with db.write_session() as session:
        free = await session.scalar(text("SELECT pg_try_advisory_xact_lock(:k)"), {"k": RUN_LOCK})
        if not free:
            return 0
        result = await session.execute(
            update(TagRun)
            .where(TagRun.status == "running")
            .values(status="failed", finished_at=func.now(), error=KILLED)
        )
        return int(getattr(result, "rowcount", 0) or 0)


async def start_run(db: Database, kind: str, tag_keys: Sequence[str]) -> RunReport:
    await fail_leftover_runs(db)
    async with db.write_session() as session:
        run = TagRun(kind=kind, status="running", tag_keys=list(tag_keys))
        session.add(run)
        await session.flush()
        return RunReport(id=run.id, kind=kind)


async def finish_run(session: AsyncSession, report: RunReport) -> None:
    """Record success inside the run's own transaction: visible with its values."""
    report.status = "succeeded"
    await session.execute(
        update(TagRun)
        .where(TagRun.id == report.id)
        .values(
            status="succeeded",
            finished_at=func.now(),
            customers=report.customers,
            counts=report.counts,
            stages=report.stages,
            tags=report.tags,
        )
    )


async def fail_run(db: Database, report: RunReport, error: BaseException) -> None:
    """Record a failure in a fresh transaction (the run's own was rolled back)."""
    report.status = "failed"
    report.error = f"{type(error).__name__}: {error}"[:2000]
    async with db.write_session() as session:
        await session.execute(
            update(TagRun)
            .where(TagRun.id == report.id)
            .values(
                status="failed",
                finished_at=func.now(),
                stages=report.stages,
                error=report.error,
            )
        )


async def recent_runs(session: AsyncSession, limit: int = 20) -> list[TagRun]:
    rows = await session.scalars(select(TagRun).order_by(TagRun.id.desc()).limit(limit))
    return list(rows)


def run_summary(run: TagRun) -> dict[str, Any]:
    duration: float | None = None
    if run.finished_at is not None:
        duration = (run.finished_at - run.started_at).total_seconds()
    return {
        "id": run.id,
        "kind": run.kind,
        "status": run.status,
        "started_at": run.started_at,
        "seconds": duration,
        "customers": run.customers,
        **run.counts,
        "error": run.error,
    }
