"""The per-customer feature query: its rows, its columns, windows and restrictions."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import Select, select
from sqlalchemy.dialects import postgresql
from sqlalchemy.ext.asyncio import AsyncSession

from cdp.db.models import Customer
from tagging.compiler import CompiledRule, FeatureColumns, compile_rule
from tagging.features import feature_query
from tagging.language import ValueType, check_rule
from tests.tagging.compiler.world import AS_OF, build_world

BOOLEAN, NUMBER = ValueType.boolean(), ValueType.number()
PG = postgresql.dialect()  # type: ignore[no-untyped-call]


def _compiled(*texts: str, value_type: ValueType = BOOLEAN) -> list[CompiledRule]:
    return [compile_rule(check_rule(t, value_type=value_type)) for t in texts]


def test_equal_aggregates_of_different_tags_share_one_column() -> None:
    rules = _compiled(
        "count(transactions where kind = 'purchase' within 90d) >= 3",
        "count(transactions where kind = 'purchase' within 90d) = 0 and aum > 1",
        "count(transactions where kind = 'purchase' within 30d) >= 1",
    )
    specs = {s for r in rules for s in r.aggregates}
    assert len(specs) == 3  # two windows of purchases, and aum
    names = {s.name for s in specs}
    assert "aum" in names
    stmt = feature_query(specs, as_of=AS_OF)
    sql = str(stmt.compile(dialect=PG))
    assert sql.count("FROM transaction") == 1  # one scan, one FILTER per window
    assert sql.count("FILTER (WHERE") == 2


def test_values_read_plain_numbers_and_bind_every_literal() -> None:
    (rule,) = _compiled(
        "days_since(max(transactions.occurred_at)) > 180 and age >= 65 "
        "and city = 'x''); DROP TABLE customer; --'"
    )
    stmt = feature_query(rule.aggregates, as_of=AS_OF)
    features = FeatureColumns(stmt.subquery("f"))
    compiled = rule.value(features).compile(dialect=PG)
    text = str(compiled)
    assert "DROP" not in text
    assert "x'); DROP TABLE customer; --" in compiled.params.values()
    # date arithmetic happens once per customer in the feature query, not per tag
    assert "timezone" not in text
    assert "age(" not in text


async def test_one_row_per_customer_and_merged_ones_left_out(session: AsyncSession) -> None:
    facts, _ = await build_world(session)
    (rule,) = _compiled("aum + household.aum", value_type=NUMBER)
    rows = (await session.execute(feature_query(rule.aggregates, as_of=AS_OF))).mappings().all()
    merged = {f.id for f in facts if f.customer["status"] == "merged"}
    assert len(merged) == 1
    assert sorted(r["customer_id"] for r in rows) == sorted(
        f.id for f in facts if f.id not in merged
    )
    first = next(r for r in rows if r["customer_id"] == facts[0].id)
    assert first["aum"] == Decimal("6250000.25")
    # a household of customers 0, 1 and 2
    assert first["household_aum"] == Decimal("6250000.25") + Decimal("5999999.99")
    assert first["city"] == "上海市"


async def test_customer_ids_restrict_rows_but_not_windows(session: AsyncSession) -> None:
    facts, _ = await build_world(session)
    (rule,) = _compiled("ntile(4, aum)", value_type=NUMBER)
    window = next(s for s in rule.aggregates if s.name.startswith("window_"))

    async def buckets(ids: Select[Any] | None) -> dict[int, int]:
        sub = feature_query(rule.aggregates, as_of=AS_OF, customer_ids=ids).subquery()
        rows = await session.execute(select(sub.c.customer_id, sub.c[window.name]))
        return {row[0]: row[1] for row in rows}

    full = await buckets(None)
    few = select(Customer.id).where(Customer.id.in_([facts[0].id, facts[4].id]))
    part = await buckets(few)
    assert part == {facts[0].id: full[facts[0].id], facts[4].id: full[facts[4].id]}
    assert full[facts[0].id] == 4  # the largest AUM
    (plain,) = _compiled("aum > 0")
    restricted = feature_query(plain.aggregates, as_of=AS_OF, customer_ids=few)
    ids = (await session.execute(select(restricted.subquery().c.customer_id))).scalars().all()
    assert sorted(ids) == sorted([facts[0].id, facts[4].id])


async def test_windows_move_with_as_of(session: AsyncSession) -> None:
    facts, _ = await build_world(session)
    (rule,) = _compiled("count(transactions within 90d)", value_type=NUMBER)

    async def counts(as_of_shift: timedelta) -> int:
        stmt = feature_query(rule.aggregates, as_of=AS_OF + as_of_shift)
        features = FeatureColumns(stmt.subquery())
        query = select(rule.value(features)).where(features.customer_id == facts[0].id)
        return int((await session.execute(query)).scalar_one())

    assert await counts(timedelta(0)) == 3  # the transaction exactly 90 days old is out
    assert await counts(timedelta(days=-1)) == 4  # a day earlier the edge one is in
    assert await counts(timedelta(days=88)) == 1  # only the one of the day before as_of


async def test_evidence_names_what_the_rule_saw_and_the_branch(session: AsyncSession) -> None:
    facts, _ = await build_world(session)
    (rule,) = _compiled(
        "case when aum >= 600万 then '高净值' when aum >= 50万 then '潜力' else '大众' end",
        value_type=ValueType.enum("大众", "潜力", "高净值"),
    )
    (complex_rule,) = _compiled("age >= 60 and count(transactions where kind = 'purchase') > 1")
    specs = {*rule.aggregates, *complex_rule.aggregates}
    features = FeatureColumns(feature_query(specs, as_of=AS_OF).subquery())
    evidence = rule.evidence(features) + complex_rule.evidence(features)
    labels = [label for label, _ in evidence]
    assert labels == ["aum", "branch", "age", "count(transactions where kind = 'purchase')"]
    query = select(
        features.customer_id, rule.value(features), complex_rule.value(features),
        *(column for _, column in evidence),
    ).order_by(features.customer_id)  # fmt: skip
    rows = {r[0]: r[1:] for r in (await session.execute(query)).all()}
    assert rows[facts[0].id] == (
        "高净值",
        True,
        Decimal("6250000.25"),
        "when aum >= 6000000",
        65,
        3,
    )
    assert rows[facts[1].id] == ("潜力", None, Decimal("5999999.99"), "when aum >= 500000", 64, 1)
    assert rows[facts[2].id] == ("大众", None, Decimal(0), "else", None, 0)


async def test_injected_text_is_compared_as_data(session: AsyncSession) -> None:
    facts, _ = await build_world(session)
    (rule,) = _compiled("city = '上海市'' OR ''1''=''1' or city = '北京市'")
    features = FeatureColumns(feature_query(rule.aggregates, as_of=AS_OF).subquery())
    query = select(features.customer_id).where(rule.value(features).is_not(None))
    ids = set((await session.execute(query)).scalars().all())
    assert ids == {facts[1].id}


async def test_household_features_for_some_customers_sum_whole_households(
    session: AsyncSession,
) -> None:
    facts, _ = await build_world(session)
    (rule,) = _compiled("household.aum + household.size", value_type=NUMBER)
    only = select(Customer.id).where(Customer.id.in_([facts[2].id, facts[3].id]))
    sub = feature_query(rule.aggregates, as_of=AS_OF, customer_ids=only).subquery()
    rows = await session.execute(
        select(sub.c.customer_id, sub.c.household_aum, sub.c.household_size)
    )
    got = {row[0]: (row[1], row[2]) for row in rows}
    # customer 2 holds nothing, but shares a household with 0 and 1; 3 has none
    assert got == {
        facts[2].id: (Decimal("6250000.25") + Decimal("5999999.99"), 3),
        facts[3].id: (None, None),
    }


async def test_the_largest_accepted_rules_compile_and_run(session: AsyncSession) -> None:
    facts, _ = await build_world(session)
    deep = "(aum + " * 38 + "1" + ")" * 38 + " > 6000000"
    wide = " or ".join(f"aum = {n}" for n in range(600)) + " or aum >= 6000000"
    rules = _compiled(deep, wide)
    specs = {s for r in rules for s in r.aggregates}
    features = FeatureColumns(feature_query(specs, as_of=AS_OF).subquery())
    query = select(features.customer_id, *(r.value(features) for r in rules))
    rows = {r[0]: r[1:] for r in await session.execute(query)}
    # 0 holds 6,250,000.25; 1 holds 5,999,999.99, so 38 more makes it pass the deep rule
    assert rows[facts[0].id] == (True, True)
    assert rows[facts[1].id] == (True, None)
    assert rows[facts[2].id] == (None, True)  # aum = 0 is among the 600 alternatives


def test_rules_with_windows_say_they_rank_all_customers() -> None:
    ranked, plain = _compiled("ntile(5, aum) = 5", "aum > 1")
    assert ranked.ranks_all_customers
    assert not plain.ranks_all_customers


def test_rules_that_change_with_the_date_alone_say_so() -> None:
    dated = _compiled(
        "age >= 65",
        "count(transactions within 90d) > 1",
        "days_since(onboarded_at) < 30",
        "exists(holdings where days_to_maturity < 30)",
        "days_since_last_transaction > 180",
        "risk_assessment_expired",
        "ntile(3, count(interactions within 30d)) = 3",
    )
    undated = _compiled(
        "aum > 1", "count(transactions where kind = 'fee') > 1", "household.aum > 1", "city = 'x'"
    )
    assert [r.time_relative for r in dated] == [True] * 7
    assert [r.time_relative for r in undated] == [False] * 4
