"""The engine against real PostgreSQL: values, evidence, diffs, layers, consent, failures."""

from __future__ import annotations

from collections import Counter
from datetime import date

import pytest
from sqlalchemy import delete, func, select, update

from cdp.db.engine import AsyncWriteSession, Database
from cdp.db.models import (
    Consent,
    Customer,
    Holding,
    TagDirtyCustomer,
    TagEvent,
    TagRun,
    TagValue,
)
from tagging.definitions import update_tag
from tagging.engine import run_dirty, run_tags
from tagging.engine.incremental import dirty_count
from tests.factories import create_customer, create_referral
from tests.tagging.tagkit import active_tag, profiled_customer, values_of

TIERS = ("大众", "潜力", "高净值")
TIER_RULE = "case when aum >= 6000000 then '高净值' when aum >= 500000 then '潜力' else '大众' end"


async def _events(session: AsyncWriteSession, customer_id: int) -> list[tuple[str, object]]:
    rows = await session.execute(
        select(TagEvent.kind, TagEvent.new_value)
        .where(TagEvent.customer_id == customer_id)
        .order_by(TagEvent.id)
    )
    return [tuple(r) for r in rows]


async def test_full_run_stores_values_evidence_events_and_a_run_record(
    session: AsyncWriteSession, db: Database
) -> None:
    await active_tag(session, "hnw", "aum >= 6000000")
    tier = await active_tag(session, "tier", TIER_RULE, value_type="enum", enum_values=TIERS)
    await active_tag(session, "aum_wan", "aum / 10000", value_type="number")
    await active_tag(session, "hnw_senior", "has_tag('hnw') and age >= 65")
    rich = await profiled_customer(session, aum=6_120_000, birth_date=date(1950, 1, 1))
    edge = await profiled_customer(session, aum=6_000_000)
    small = await profiled_customer(session, aum=499_999)
    no_consent = await create_customer(session)

    report = await run_tags(db)

    assert report.status == "succeeded"
    assert await values_of(session, "hnw") == {rich.id: True, edge.id: True}
    assert await values_of(session, "tier") == {
        rich.id: "高净值",
        edge.id: "高净值",
        small.id: "大众",
    }
    assert await values_of(session, "aum_wan") == {rich.id: 612, edge.id: 600, small.id: 49.9999}
    assert await values_of(session, "hnw_senior") == {rich.id: True}
    assert no_consent.id not in await values_of(session, "tier")
    stored = await session.get(TagValue, (tier.id, rich.id))
    assert stored is not None
    assert stored.evidence["aum"] == 6120000
    assert stored.evidence["branch"] == "when aum >= 6000000"
    assert stored.run_id == report.id
    assert ("entered", True) in await _events(session, edge.id)
    run = await session.get(TagRun, report.id)
    assert run is not None
    assert (run.status, run.customers) == ("succeeded", 3)
    assert run.counts["entered"] == 2 + 3 + 3 + 1
    assert set(run.stages) >= {"plan", "features", "evaluate", "write"}
    assert run.tags["hnw"]["values"] == 2


async def test_second_run_writes_only_changes(session: AsyncWriteSession, db: Database) -> None:
    await active_tag(session, "tier", TIER_RULE, value_type="enum", enum_values=TIERS)
    await active_tag(session, "hnw", "aum >= 6000000")
    moving = await profiled_customer(session, aum=6_000_000)
    steady = await profiled_customer(session, aum=1_000_000)
    first = await run_tags(db)
    await session.execute(
        update(Holding).where(Holding.customer_id == moving.id).values(market_value=5_999_999)
    )

    second = await run_tags(db)

    assert await values_of(session, "tier") == {moving.id: "潜力", steady.id: "潜力"}
    assert await values_of(session, "hnw") == {}
    assert second.counts == {"entered": 0, "left": 1, "changed": 1, "values": 2}
    assert Counter(await _events(session, moving.id)) == Counter(
        [("entered", "高净值"), ("entered", True), ("changed", "潜力"), ("left", None)]
    )
    assert Counter(await _events(session, steady.id)) == Counter([("entered", "潜力")])
    untouched = await session.scalar(
        select(TagValue.run_id).where(TagValue.customer_id == steady.id)
    )
    assert untouched == first.id


async def test_consent_withdrawal_removes_computed_tags(
    session: AsyncWriteSession, db: Database
) -> None:
    await active_tag(session, "hnw", "aum >= 6000000")
    customer = await profiled_customer(session, aum=7_000_000)
    await run_tags(db)
    assert await values_of(session, "hnw") == {customer.id: True}
    await session.execute(
        update(Consent).where(Consent.customer_id == customer.id).values(granted=False)
    )

    await run_tags(db)

    assert await values_of(session, "hnw") == {}
    assert (await _events(session, customer.id))[-1] == ("left", None)


async def test_failed_run_leaves_previous_values_and_can_be_rerun(
    session: AsyncWriteSession, db: Database
) -> None:
    await active_tag(session, "hnw", "aum >= 6000000")
    customer = await profiled_customer(session, aum=7_000_000)
    await run_tags(db)
    await session.execute(
        update(Holding).where(Holding.customer_id == customer.id).values(market_value=1)
    )

    def crash(stage: str, done: int, total: int) -> None:
        if stage == "write":
            raise RuntimeError("killed")

    with pytest.raises(RuntimeError):
        await run_tags(db, progress=crash)

    assert await values_of(session, "hnw") == {customer.id: True}
    failed = await session.scalar(select(TagRun).order_by(TagRun.id.desc()).limit(1))
    assert failed is not None
    assert (failed.status, failed.error) == ("failed", "RuntimeError: killed")
    report = await run_tags(db)
    assert report.status == "succeeded"
    assert await values_of(session, "hnw") == {}


async def test_a_run_left_running_is_marked_failed_by_the_next(
    session: AsyncWriteSession, db: Database
) -> None:
    await active_tag(session, "hnw", "aum >= 6000000")
    stale = TagRun(kind="full", status="running")
    session.add(stale)
    await session.flush()
    await run_tags(db)
    await session.refresh(stale)
    assert stale.status == "failed"
    assert stale.error is not None


async def test_edit_restamps_version_without_an_event(
    session: AsyncWriteSession, db: Database
) -> None:
    await active_tag(session, "hnw", "aum >= 6000000")
    customer = await profiled_customer(session, aum=7_000_000)
    await run_tags(db)
    await update_tag(session, "hnw", {"rule": "aum >= 6500000"}, actor="test")
    await run_tags(db)
    row = await session.scalar(select(TagValue).where(TagValue.customer_id == customer.id))
    assert row is not None
    assert row.version == 2
    assert await _events(session, customer.id) == [("entered", True)]


async def test_dirty_run_recomputes_only_marked_customers(
    session: AsyncWriteSession, db: Database
) -> None:
    await active_tag(session, "hnw", "aum >= 6000000")
    marked = await profiled_customer(session, aum=1)
    unmarked = await profiled_customer(session, aum=1)
    await run_tags(db)
    assert await dirty_count(session) == 0  # a full run covers every mark
    await session.execute(update(Holding).values(market_value=9_000_000))
    await session.execute(
        delete(TagDirtyCustomer).where(TagDirtyCustomer.customer_id == unmarked.id)
    )

    report = await run_dirty(db)

    assert report.customers == 1
    assert await values_of(session, "hnw") == {marked.id: True}
    assert await dirty_count(session) == 0
    nothing = await run_dirty(db)
    assert nothing.customers == 0


async def test_writes_mark_customers_dirty(session: AsyncWriteSession, db: Database) -> None:
    await active_tag(session, "hnw", "aum >= 6000000")
    a = await profiled_customer(session, aum=1)
    b = await profiled_customer(session)
    c = await profiled_customer(session)
    await run_tags(db)

    await session.execute(
        update(Holding).where(Holding.customer_id == a.id).values(market_value=7_000_000)
    )
    await create_referral(session, b, c)
    assert set(await session.scalars(select(TagDirtyCustomer.customer_id))) == {a.id, b.id, c.id}
    report = await run_dirty(db)
    assert report.customers == 3
    assert await values_of(session, "hnw") == {a.id: True}

    # Deleting a customer cascades to rows whose triggers must not mark the gone customer.
    await session.execute(delete(Customer).where(Customer.id == a.id))
    assert await dirty_count(session) == 0
    for table in (TagValue, TagEvent):
        left = select(func.count()).select_from(table).where(table.customer_id == a.id)
        assert await session.scalar(left) == 0


async def test_dirty_runs_leave_ranked_tags_to_full_runs(
    session: AsyncWriteSession, db: Database
) -> None:
    await active_tag(session, "half", "ntile(2, aum)", value_type="number")
    await active_tag(session, "top_half", "tag('half') = 2 and aum > 0")
    low = await profiled_customer(session, aum=1)
    high = await profiled_customer(session, aum=100)
    await run_tags(db)
    assert await values_of(session, "half") == {low.id: 1, high.id: 2}
    await session.execute(
        update(Holding).where(Holding.customer_id == low.id).values(market_value=1000)
    )

    report = await run_dirty(db)

    assert set(report.tags) == {"top_half"}
    # Ranks stay as the last full run left them; the reader reads the stored rank.
    assert await values_of(session, "half") == {low.id: 1, high.id: 2}
    assert await values_of(session, "top_half") == {high.id: True}
    await run_tags(db)
    assert await values_of(session, "half") == {low.id: 2, high.id: 1}
    assert await values_of(session, "top_half") == {low.id: True}
