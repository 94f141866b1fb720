"""Current values, the timeline, as-of queries and manual values."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from sqlalchemy import update

from cdp.db.engine import AsyncWriteSession, Database
from cdp.db.models import Holding, TagEvent, TagValue
from cdp.errors import Conflict, InvalidInput, NotFound
from tagging.definitions import TagSpec, create_tag, get_tag, publish_tag
from tagging.engine import run_tags
from tagging.store import (
    customer_tags,
    entered_between,
    import_values,
    set_manual_values,
    tags_as_of,
    timeline,
)
from tests.tagging.tagkit import active_tag, profiled_customer, values_of


async def _backdate(session: AsyncWriteSession, run_id: int, when: datetime) -> None:
    await session.execute(
        update(TagEvent).where(TagEvent.run_id == run_id).values(occurred_at=when)
    )


async def test_as_of_replays_the_timeline(session: AsyncWriteSession, db: Database) -> None:
    await active_tag(session, "hnw", "aum >= 6000000")
    customer = await profiled_customer(session, aum=7_000_000)
    first = await run_tags(db)
    await _backdate(session, first.id, datetime(2026, 1, 10, 9, tzinfo=UTC))
    await session.execute(update(Holding).values(market_value=1))
    second = await run_tags(db)
    await _backdate(session, second.id, datetime(2026, 3, 1, 9, tzinfo=UTC))

    assert await tags_as_of(session, customer.id, date(2026, 1, 9)) == {}
    assert await tags_as_of(session, customer.id, date(2026, 1, 10)) == {"hnw": True}
    assert await tags_as_of(session, customer.id, date(2026, 2, 28)) == {"hnw": True}
    assert await tags_as_of(session, customer.id, date(2026, 3, 1)) == {}
    assert await entered_between(session, "hnw", date(2026, 1, 10), date(2026, 1, 10)) == [
        customer.id
    ]
    assert await entered_between(session, "hnw", date(2026, 1, 11), date(2026, 12, 31)) == []
    events = await timeline(session, customer.id)
    assert [(e.key, e.kind, e.run_id) for e in events] == [
        ("hnw", "left", second.id),
        ("hnw", "entered", first.id),
    ]
    assert await customer_tags(session, customer.id) == []


async def test_customer_tags_carry_evidence(session: AsyncWriteSession, db: Database) -> None:
    await active_tag(session, "hnw", "aum >= 6000000")
    customer = await profiled_customer(session, aum=6_120_000)
    report = await run_tags(db)
    (tag,) = await customer_tags(session, customer.id)
    assert (tag.key, tag.value, tag.run_id, tag.source) == ("hnw", True, report.id, "rule")
    assert tag.evidence == {"aum": 6120000}


async def test_manual_values_are_set_with_who_and_when(
    session: AsyncWriteSession,
) -> None:
    spec = TagSpec(
        key="vip_event",
        name_zh="贵宾活动",
        name_en="VIP event guest",
        category="manual",
        kind="manual",
        value_type="enum",
        enum_values=("受邀", "出席"),
    )
    await create_tag(session, spec, actor="alice")
    a = await profiled_customer(session)
    b = await profiled_customer(session)
    with pytest.raises(Conflict, match="publish"):
        await set_manual_values(session, "vip_event", [(a.id, "受邀")], actor="alice")
    await publish_tag(session, "vip_event")

    changed = await set_manual_values(
        session, "vip_event", [(a.id, "受邀"), (b.id, "出席")], actor="alice"
    )
    assert changed == 2
    assert await set_manual_values(session, "vip_event", [(a.id, "受邀")], actor="bob") == 0
    await set_manual_values(session, "vip_event", [(a.id, "出席"), (b.id, None)], actor="bob")

    assert await values_of(session, "vip_event") == {a.id: "出席"}
    kinds = [(e.kind, e.new_value, e.actor) for e in await timeline(session, a.id)]
    assert kinds == [("changed", "出席", "bob"), ("entered", "受邀", "alice")]
    assert [e.kind for e in await timeline(session, b.id)] == ["left", "entered"]
    with pytest.raises(InvalidInput, match="takes one of"):
        await set_manual_values(session, "vip_event", [(a.id, "缺席")], actor="bob")
    with pytest.raises(NotFound):
        await set_manual_values(session, "vip_event", [(10**12, "出席")], actor="bob")


async def test_rule_tags_cannot_be_set_by_hand(session: AsyncWriteSession) -> None:
    await active_tag(session, "hnw", "aum >= 6000000")
    customer = await profiled_customer(session)
    with pytest.raises(Conflict, match="computed by its rule"):
        await set_manual_values(session, "hnw", [(customer.id, True)], actor="x")


async def test_import_sets_manual_values_from_a_file(
    session: AsyncWriteSession, tmp_path: Path
) -> None:
    spec = TagSpec(
        key="event_guest",
        name_zh="活动嘉宾",
        name_en="Event guest",
        category="manual",
        kind="manual",
    )
    await create_tag(session, spec, actor="alice")
    await publish_tag(session, "event_guest")
    a = await profiled_customer(session)
    b = await profiled_customer(session)
    good = tmp_path / "guests.csv"
    good.write_text(f"customer_no,value\n{a.customer_no},true\n{b.customer_no},\n", "utf-8")

    assert await import_values(session, good, "event_guest", actor="ops") == (1, 2)
    row = await session.get(TagValue, ((await get_tag(session, "event_guest")).id, a.id))
    assert row is not None
    assert (row.value, row.source, row.set_by) == (True, "import", "ops")

    bad = tmp_path / "bad.csv"
    bad.write_text("customer_no,value\nNOPE,true\n", "utf-8")
    with pytest.raises(NotFound, match="NOPE"):
        await import_values(session, bad, "event_guest", actor="ops")
    headless = tmp_path / "headless.csv"
    headless.write_text("who,what\n", "utf-8")
    with pytest.raises(InvalidInput, match="header"):
        await import_values(session, headless, "event_guest", actor="ops")
