"""Segments: versions, scoped previews, refreshed membership with history, overlap."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from cdp.db.engine import AsyncWriteSession, Database
from cdp.db.models import Customer, SegmentEvent, SegmentVersion
from cdp.errors import Conflict, InvalidInput
from tagging.engine import run_tags
from tagging.language import RuleError
from tagging.segments import (
    SegmentSpec,
    archive_segment,
    create_segment,
    history,
    overlap,
    preview,
    publish_segment,
    refresh_segment,
    update_segment,
    versions,
)
from tests.factories import create_advisor, create_customer
from tests.tagging.tagkit import active_tag, profiled_customer


async def test_every_edit_is_a_version_and_no_op_edits_make_none(
    session: AsyncWriteSession,
) -> None:
    spec = SegmentSpec("rich", "Rich", "aum >= 600万")
    segment = await create_segment(session, spec, actor="ana")
    assert (segment.status, segment.version, segment.owner) == ("draft", 1, "ana")
    assert segment.permission_fields == ["Customer.aum"]
    await update_segment(session, "rich", {"rule": "aum >= 1000万"}, actor="bo")
    await update_segment(session, "rich", {"rule": "aum >= 1000万"}, actor="bo")
    rows = await versions(session, segment)
    assert [(v.version, v.spec["rule"], v.created_by) for v in rows] == [
        (1, "aum >= 600万", "ana"),
        (2, "aum >= 1000万", "bo"),
    ]
    with pytest.raises(InvalidInput):
        await update_segment(session, "rich", {"key": "other"}, actor="bo")
    with pytest.raises(Conflict):
        await create_segment(session, spec, actor="ana")


async def test_a_segment_rule_must_be_boolean_and_typed(session: AsyncWriteSession) -> None:
    with pytest.raises(RuleError) as wrong_type:
        await create_segment(session, SegmentSpec("s1", "S", "aum + 1"), actor="a")
    assert wrong_type.value.code == "RULE_TYPE"
    with pytest.raises(RuleError) as unknown:
        await create_segment(session, SegmentSpec("s2", "S", "aun > 1"), actor="a")
    assert unknown.value.suggestion == "aum"
    with pytest.raises(RuleError) as forbidden:
        await create_segment(
            session,
            SegmentSpec("s3", "S", "email is not null and aum > 1"),
            actor="a",
            filterable=lambda f: f != "Customer.email",
        )
    assert forbidden.value.code == "FORBIDDEN_FILTER"
    assert list(forbidden.value.fields) == ["Customer.email"]
    with pytest.raises(InvalidInput):  # PostgreSQL text cannot hold it
        await create_segment(session, SegmentSpec("s4", "S", "city = 'a\x00b'"), actor="a")
    assert not (await session.scalars(select(SegmentVersion))).all()


async def test_preview_counts_in_scope_and_lists_the_first_twenty(
    session: AsyncWriteSession,
) -> None:
    advisor = await create_advisor(session)
    mine = [
        await profiled_customer(session, aum=7_000_000, advisor_id=advisor.id) for _ in range(22)
    ]
    others = [await profiled_customer(session, aum=7_000_000) for _ in range(3)]
    await profiled_customer(session, aum=100_000, advisor_id=advisor.id)
    await create_customer(session, advisor_id=advisor.id)  # no profiling consent
    everyone = await preview(session, "aum >= 600万", filterable=None)
    assert everyone.count == 25
    assert everyone.customer_ids == tuple(sorted(c.id for c in mine + others))[:20]
    scoped = await preview(
        session, "aum >= 600万", filterable=None, scope=Customer.advisor_id == advisor.id
    )
    assert scoped.count == 22
    assert scoped.customer_ids == tuple(sorted(c.id for c in mine))[:20]
    assert scoped.permission_fields == ("Customer.aum",)
    nobody = await preview(session, "aum >= 1亿", filterable=None)
    assert (nobody.count, nobody.customer_ids) == (0, ())


async def test_preview_reads_tags(session: AsyncWriteSession, db: Database) -> None:
    await active_tag(session, "million", "aum >= 100万")
    rich = await profiled_customer(session, aum=2_000_000, city="上海市")
    await profiled_customer(session, aum=2_000_000, city="北京市")
    await profiled_customer(session, aum=10, city="上海市")
    await run_tags(db)
    seen = await preview(session, "has_tag('million') and city = '上海市'", filterable=None)
    assert seen.customer_ids == (rich.id,)


async def test_refresh_records_who_entered_and_left(session: AsyncWriteSession) -> None:
    low = await profiled_customer(session, aum=1_000_000)
    high = await profiled_customer(session, aum=8_000_000)
    segment = await create_segment(session, SegmentSpec("rich", "Rich", "aum >= 600万"), actor="a")
    with pytest.raises(Conflict):
        await refresh_segment(session, "rich", actor="a")
    await publish_segment(session, "rich")
    first = await refresh_segment(session, "rich", actor="a")
    assert (first.members, first.entered, first.left) == (1, 1, 0)
    await update_segment(session, "rich", {"rule": "aum >= 50万 and aum < 600万"}, actor="a")
    second = await refresh_segment(session, "rich", actor="a")
    assert (second.members, second.entered, second.left, second.version) == (1, 1, 1, 2)
    again = await refresh_segment(session, "rich", actor="a")
    assert (again.entered, again.left) == (0, 0)
    events = (
        await session.execute(
            select(SegmentEvent.run_id, SegmentEvent.customer_id, SegmentEvent.kind).order_by(
                SegmentEvent.id
            )
        )
    ).all()
    assert sorted(events) == sorted(
        [
            (first.id, high.id, "entered"),
            (second.id, low.id, "entered"),
            (second.id, high.id, "left"),
        ]
    )
    points = await history(session, segment)
    assert [(p.run_id, p.members, p.entered, p.left) for p in points] == [
        (first.id, 1, 1, 0),
        (second.id, 1, 1, 1),
        (again.id, 1, 0, 0),
    ]
    await session.refresh(segment)
    assert segment.members == 1
    archived = await archive_segment(session, "rich")
    assert (archived.status, archived.members) == ("archived", 0)


async def test_overlap_of_segments_and_tags_inside_the_scope(
    session: AsyncWriteSession, db: Database
) -> None:
    advisor = await create_advisor(session)
    await active_tag(session, "million", "aum >= 100万")
    for aum in (10, 600_000, 2_000_000, 9_000_000):
        await profiled_customer(session, aum=aum, advisor_id=advisor.id)
    await profiled_customer(session, aum=9_000_000)
    await run_tags(db)
    for key, rule in (("potential", "aum >= 50万 and aum < 600万"), ("rich", "aum >= 600万")):
        await create_segment(session, SegmentSpec(key, key, rule), actor="a")
        await publish_segment(session, key)
        await refresh_segment(session, key, actor="a")
    tagged = await overlap(session, ("segment", "rich"), ("tag", "million"))
    assert (tagged.a, tagged.b, tagged.both, tagged.either) == (2, 3, 2, 3)
    assert tagged.jaccard == pytest.approx(2 / 3)
    disjoint = await overlap(session, ("segment", "rich"), ("segment", "potential"))
    assert (disjoint.both, disjoint.either) == (0, 4)
    mine = await overlap(
        session,
        ("segment", "rich"),
        ("tag", "million"),
        scope=Customer.advisor_id == advisor.id,
    )
    assert (mine.a, mine.b, mine.both) == (1, 2, 1)
