"""The compiled SQL against the reference evaluator, customer by customer.

Every rule is parsed, type-checked and compiled; all of them run in one feature
query (so shared aggregates are shared) over the hand-built customers of
``world``; each value must equal what the plain Python evaluator computes from
the same facts.
"""

from __future__ import annotations

import random
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from cdp.db.models import Customer
from tagging.compiler import FeatureColumns, compile_rule
from tagging.features import feature_query
from tagging.language import TypedRule, ValueType, check_rule
from tests.tagging.compiler.reference import Reference
from tests.tagging.compiler.world import AS_OF, build_world

BOOLEAN, NUMBER = ValueType.boolean(), ValueType.number()
TIERS = ValueType.enum("大众", "潜力", "高净值")
KNOWN_TAGS = {"vip": BOOLEAN, "score": NUMBER, "tier": TIERS}

CURATED: list[tuple[str, ValueType]] = [
    ("aum >= 6000000", BOOLEAN),
    ("aum >= 600万", BOOLEAN),
    ("case when aum >= 600万 then '高净值' when aum >= 50万 then '潜力' else '大众' end", TIERS),
    ("case when aum >= 600万 then '高净值' when aum >= 50万 then '潜力' end", TIERS),
    ("age >= 65", BOOLEAN),
    ("age between 30 and 50", BOOLEAN),
    ("not age < 65", BOOLEAN),
    ("risk_assessment_expired", BOOLEAN),
    ("days_since(risk_assessed_at) > 365", BOOLEAN),
    ("days_since(onboarded_at) <= 90", BOOLEAN),
    ("count(transactions where kind = 'purchase' within 90d) >= 2", BOOLEAN),
    ("count(transactions within 90d)", NUMBER),
    ("count(transactions)", NUMBER),
    ("sum(holdings.market_value where product.category = 'mutual_fund') / aum > 0.5", BOOLEAN),
    ("sum(holdings.market_value where product.category = 'mutual_fund') / aum", NUMBER),
    ("exists(holdings where product.risk_rating > risk_level)", BOOLEAN),
    (
        "exists(holdings where product.risk_rating > risk_level"
        " and investor_class != 'professional')",
        BOOLEAN,
    ),
    ("sum(transactions.amount where kind = 'redemption' within 30d) > 0.3 * aum", BOOLEAN),
    ("days_since_last_transaction > 180 or days_since_last_transaction is null", BOOLEAN),
    ("days_since(max(transactions.occurred_at where kind = 'purchase'))", NUMBER),
    ("days_since(min(holdings.opened_at))", NUMBER),
    ("avg(transactions.amount where kind = 'purchase')", NUMBER),
    ("min(holdings.market_value)", NUMBER),
    ("max(holdings.product.risk_rating)", NUMBER),
    ("exists(holdings where days_to_maturity between 0 and 30)", BOOLEAN),
    ("count(interactions where kind = 'complaint' within 90d) >= 1", BOOLEAN),
    ("count(interactions where kind in ('login', 'product_view') within 30d)", NUMBER),
    ("count(referrals) >= 3", BOOLEAN),
    ("count(referrals within 60d)", NUMBER),
    ("household.aum >= 600万", BOOLEAN),
    ("household.size", NUMBER),
    ("household.aum - aum", NUMBER),
    ("has_tag('vip')", BOOLEAN),
    ("not has_tag('vip') and aum > 0", BOOLEAN),
    ("tag('tier') = '高净值'", BOOLEAN),
    ("tag('score') * 2", NUMBER),
    ("tag('tier') >= '潜力'", BOOLEAN),
    ("'潜力' > tag('tier') or tag('tier') < '高净值'", BOOLEAN),
    ("ntile(3, aum)", NUMBER),
    ("ntile(2, count(transactions)) = 2", BOOLEAN),
    ("percent_rank(aum) >= 0.5", BOOLEAN),
    ("percent_rank(annual_income)", NUMBER),
    ("city = '上海市' and gender = 'F'", BOOLEAN),
    ("city in ('上海市', '北京市')", BOOLEAN),
    ("risk_level in (1, 2, 5) or aum not in (0, 6250000.25)", BOOLEAN),
    ("count(transactions where product.risk_rating in (4, 5) and amount in (1000, 2000))", NUMBER),
    ("city not in ('上海市')", BOOLEAN),
    ("city is null", BOOLEAN),
    ("email is not null or id_number is not null", BOOLEAN),
    ("annual_income / 12 > 20000", BOOLEAN),
    ("annual_income / (aum - aum)", NUMBER),
    ("coalesce(annual_income, 0) + -1", NUMBER),
    ("abs(aum - 5000000) < 1000000", BOOLEAN),
    ("status in ('dormant', 'closed') or risk_level is null", BOOLEAN),
    (
        "case when risk_level >= 4 then 'C4+' when risk_level >= 2 then 'C2-3' else 'C1' end",
        ValueType.enum("C1", "C2-3", "C4+"),
    ),
    ("not (risk_level > 2)", BOOLEAN),
    ("true", BOOLEAN),
]

_NUMBERS = [
    "aum", "age", "risk_level", "annual_income", "days_since_last_transaction",
    "household.aum", "household.size", "days_since(onboarded_at)",
    "count(transactions where kind = 'purchase' within 90d)",
    "sum(holdings.market_value where product.category in ('mutual_fund', 'insurance'))",
    "sum(transactions.amount within 30d)", "count(interactions)", "count(referrals)",
    "max(holdings.product.risk_rating)", "avg(holdings.market_value)",
    "tag('score')", "0", "3", "500000", "6000000", "0.5",
]  # fmt: skip
_BOOLEANS = [
    "has_tag('vip')", "risk_assessment_expired", "city = '上海市'", "gender = 'M'",
    "exists(holdings where product.risk_rating > risk_level)", "risk_level is null",
    "investor_class = 'professional'", "exists(transactions where kind = 'redemption')",
]  # fmt: skip


def _number(rng: random.Random, depth: int) -> str:
    roll = rng.random()
    if depth <= 0 or roll < 0.45:
        return rng.choice(_NUMBERS)
    if roll < 0.55:
        return f"coalesce({_number(rng, depth - 1)}, {_number(rng, 0)})"
    if roll < 0.65:
        cond = _boolean(rng, depth - 1)
        return f"case when {cond} then {_number(rng, depth - 1)} else {_number(rng, 0)} end"
    op = rng.choice(["+", "-", "*", "/"])
    return f"({_number(rng, depth - 1)} {op} {_number(rng, depth - 1)})"


def _boolean(rng: random.Random, depth: int) -> str:
    roll = rng.random()
    if depth <= 0 or roll < 0.35:
        op = rng.choice(["=", "!=", "<", "<=", ">", ">="])
        return f"{_number(rng, 1)} {op} {_number(rng, 1)}"
    if roll < 0.45:
        return rng.choice(_BOOLEANS)
    if roll < 0.55:
        return f"{_number(rng, 1)} between {_number(rng, 0)} and {_number(rng, 0)}"
    if roll < 0.6:
        return f"not ({_boolean(rng, depth - 1)})"
    if roll < 0.65:
        values = ", ".join(str(rng.choice([0, 1, 2, 3, 5, 30, 65])) for _ in range(3))
        return f"{_number(rng, 0)} {rng.choice(['in', 'not in'])} ({values})"
    if roll < 0.7:
        return f"{_number(rng, 1)} is {rng.choice(['', 'not '])}null"
    joiner = rng.choice([" and ", " or "])
    return "(" + joiner.join(_boolean(rng, depth - 1) for _ in range(rng.randint(2, 3))) + ")"


def _random_rules(count: int) -> list[tuple[str, ValueType]]:
    rng = random.Random(20250630)
    rules: list[tuple[str, ValueType]] = []
    for n in range(count):
        if n % 3 == 0:
            rules.append((_number(rng, 2), NUMBER))
        else:
            rules.append((_boolean(rng, 3), BOOLEAN))
    return rules


def _same(got: Any, want: Any) -> bool:
    if got is None or want is None:
        return got is None and want is None
    if isinstance(want, bool) or isinstance(got, bool) or isinstance(want, str):
        return bool(got == want)
    a, b = Decimal(str(got)), Decimal(str(want))
    return abs(a - b) <= Decimal("1e-9") * max(Decimal(1), abs(b))


async def _check(
    session: AsyncSession, sources: list[tuple[str, ValueType]], *, some: bool = False
) -> int:
    """Compare every rule for every customer (``some``: a narrow run for three)."""
    facts, tag_values = await build_world(session)
    chosen = [f.id for f in facts[::3]] if some else None
    ids = select(Customer.id).where(Customer.id.in_(chosen)) if chosen else None
    rules: list[TypedRule] = [
        check_rule(text, value_type=vt, known_tags=KNOWN_TAGS) for text, vt in sources
    ]
    compiled = [compile_rule(r) for r in rules]
    specs = {s for c in compiled for s in c.aggregates}
    attributes = {a for c in compiled for a in c.attributes} if some else None
    stmt = feature_query(
        specs, as_of=AS_OF, tag_values=tag_values, customer_ids=ids, attributes=attributes
    )
    features = FeatureColumns(stmt.subquery("f"))
    query = select(features.customer_id, *(c.value(features) for c in compiled))
    rows = (await session.execute(query)).all()
    reference = Reference(facts, AS_OF)
    assert sorted(r[0] for r in rows) == sorted(chosen or reference.people)
    checked = present = 0
    for row in rows:
        for rule, got in zip(rules, row[1:], strict=True):
            want = reference.value(rule.expr, row[0])
            assert _same(got, want), f"{rule.text!r} for customer {row[0]}: SQL {got!r}, {want!r}"
            checked += 1
            present += got is not None
    # a comparison where (nearly) everything is null would prove little
    assert checked // 3 < present < checked
    return checked


async def test_curated_rules_match_the_reference(session: AsyncSession) -> None:
    checked = await _check(session, CURATED)
    assert checked == len(CURATED) * 8  # the merged customer is not a customer


async def test_random_rules_match_the_reference(session: AsyncSession) -> None:
    checked = await _check(session, _random_rules(150))
    assert checked == 150 * 8


async def test_a_narrow_run_for_some_customers_gives_the_same_values(
    session: AsyncSession,
) -> None:
    checked = await _check(session, CURATED, some=True)
    assert checked == len(CURATED) * 3
