"""A tag run, full or over dirty customers, in one transaction.

Stages: plan (load and compile the active rule tags), features (one pass over
the customers' data into a temporary table), evaluate (the tags, layer by layer,
many per statement, into staging), write (diff and apply, with timeline events).
Everything after the run record is one transaction: readers see the previous
values until it commits and then the whole run; if it fails or the process dies,
nothing of it is visible and the next run starts from the same values.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from datetime import UTC, datetime

from sqlalchemy import BigInteger, column, select, table, text
from sqlalchemy.ext.asyncio import AsyncSession

from cdp.db.engine import Database
from tagging.engine import evaluate, runs, write
from tagging.engine.plan import PlannedTag, plan_run

# (stage, done, total): stages are "features", "evaluate" (done/total in tags), "write".
Progress = Callable[[str, int, int], None]


def _quiet(stage: str, done: int, total: int) -> None:
    return None


async def run_tags(
    db: Database,
    *,
    keys: Sequence[str] | None = None,
    progress: Progress = _quiet,
    as_of: datetime | None = None,
) -> runs.RunReport:
    """Evaluate the active rule tags (or ``keys``) for every customer."""
    return await _run(db, "full", keys, progress, as_of)


async def _run(
    db: Database,
    kind: str,
    keys: Sequence[str] | None,
    progress: Progress,
    as_of: datetime | None,
) -> runs.RunReport:
    report = await runs.start_run(db, kind, keys or ())
    try:
        async with db.write_session() as session:
            await runs.take_run_lock(session)
            await _work(session, report, keys, progress, as_of or datetime.now(UTC))
            await runs.finish_run(session, report)
    except BaseException as exc:
        await runs.fail_run(db, report, exc)
        raise
    return report


async def _work(
    session: AsyncSession,
    report: runs.RunReport,
    keys: Sequence[str] | None,
    progress: Progress,
    as_of: datetime,
) -> None:
    # A huge generated expression costs more to JIT-compile than to interpret.
    await session.execute(text("SET LOCAL jit = off"))
    # A run is a batch job of minutes on a large book; the server's worker runs it on
    # the API's database, whose statement timeout is meant for requests.
    await session.execute(text("SET LOCAL statement_timeout = 0"))
    clock = time.perf_counter()

    def stage(name: str) -> None:
        nonlocal clock
        now = time.perf_counter()
        report.stages[name] = round(report.stages.get(name, 0.0) + now - clock, 3)
        clock = now

    customer_ids: list[int] | None = None
    if report.kind == "dirty":
        from tagging.engine.incremental import take_dirty

        customer_ids = await take_dirty(session)
        stage("dirty")
        if not customer_ids:
            return
        await write.create_scope(session, customer_ids)
    elif not keys:
        # A full run of every tag covers every mark made before it started.
        await session.execute(text("DELETE FROM tag_dirty_customer"))
    layered = await plan_run(session, keys, incremental=report.kind == "dirty")
    tags = [tag for layer in layered for tag in layer]
    stage("plan")
    await evaluate.drop_temp_tables(session)
    progress("features", 0, 1)
    scope = None
    if customer_ids is not None:
        scope = select(column("customer_id", BigInteger)).select_from(table(evaluate.SCOPE))
    features = await evaluate.materialise_features(session, tags, as_of=as_of, customer_ids=scope)
    report.customers = len(customer_ids) if customer_ids is not None else features.rows
    stage("features")
    progress("features", 1, 1)
    await evaluate.create_staging(session)
    per_tag: dict[str, dict[str, float]] = {t.key: {"seconds": 0.0} for t in tags}
    done = 0
    progress("evaluate", 0, len(tags))

    def on_batch(batch: Sequence[PlannedTag], seconds: float) -> None:
        nonlocal done
        # One statement evaluates the batch: its time is shared out evenly.
        for tag in batch:
            per_tag[tag.key]["seconds"] = round(seconds / len(batch), 4)
        done += len(batch)
        progress("evaluate", done, len(tags))

    await evaluate.evaluate_layers(session, features, layered, on_batch=on_batch)
    stage("evaluate")
    progress("write", 0, 1)
    await write.diff(session, [t.id for t in tags], scoped=customer_ids is not None)
    await write.apply(session, report.id)
    changes = await write.change_counts(session)
    held = await write.value_counts(session)
    totals = {"entered": 0, "left": 0, "changed": 0, "values": 0}
    for tag in tags:
        entry = per_tag[tag.key]
        entry["values"] = held.get(tag.id, 0)
        totals["values"] += held.get(tag.id, 0)
        for kind_name in ("entered", "left", "changed"):
            n = changes.get(tag.id, {}).get(kind_name, 0)
            entry[kind_name] = n
            totals[kind_name] += n
    report.tags = per_tag
    report.counts = totals
    await evaluate.drop_temp_tables(session)
    await write.drop(session)
    stage("write")
    progress("write", 1, 1)


async def run_dirty(
    db: Database, *, progress: Progress = _quiet, as_of: datetime | None = None
) -> runs.RunReport:
    """Recompute every active rule tag for the customers marked dirty."""
    return await _run(db, "dirty", None, progress, as_of)
