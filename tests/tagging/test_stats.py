"""Coverage, distribution, trend and overlap over the stored values."""

from __future__ import annotations

import pytest

from cdp.db.engine import AsyncWriteSession, Database
from tagging.engine import run_tags
from tagging.stats import Bucket, coverage, distribution, overlap, trend
from tests.factories import create_customer
from tests.tagging.tagkit import active_tag, profiled_customer

TIERS = ("大众", "潜力", "高净值")
TIER_RULE = "case when aum >= 600万 then '高净值' when aum >= 50万 then '潜力' else '大众' end"


async def test_coverage_distribution_trend_overlap(
    session: AsyncWriteSession, db: Database
) -> None:
    await active_tag(session, "tier", TIER_RULE, value_type="enum", enum_values=TIERS)
    await active_tag(session, "million", "aum >= 100万")
    await active_tag(session, "fund_heavy", "aum >= 50万 and aum < 700万")
    await active_tag(session, "aum_wan", "aum / 10000", value_type="number")
    for aum in (0, 100_000, 600_000, 2_000_000, 6_000_000, 8_000_000):
        await profiled_customer(session, aum=aum)
    await create_customer(session)  # on the book, never profiled
    first = await run_tags(db)
    await profiled_customer(session, aum=9_000_000)
    second = await run_tags(db)

    by_key = {c.key: c for c in await coverage(session)}
    assert by_key["million"].customers == 4
    assert by_key["million"].share == pytest.approx(4 / 8)
    assert by_key["tier"].customers == 7

    assert await distribution(session, "tier") == [
        Bucket("大众", 2),
        Bucket("潜力", 2),
        Bucket("高净值", 3),
    ]
    numbers = await distribution(session, "aum_wan", buckets=3)
    assert [b.customers for b in numbers] == [4, 0, 3]
    assert (numbers[0].low, numbers[-1].high) == (0.0, 900.0)

    points = await trend(session, "million")
    assert [(p.run_id, p.customers) for p in points] == [(first.id, 3), (second.id, 4)]

    both = await overlap(session, "million", "fund_heavy")
    assert (both.a, both.b, both.both, both.either) == (4, 3, 2, 5)
    assert both.jaccard == pytest.approx(2 / 5)
    rich = await overlap(session, "tier", "million", a_value="高净值")
    assert (rich.a, rich.both) == (3, 3)
