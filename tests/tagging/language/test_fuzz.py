"""Whatever the text, checking a rule gives a typed rule or a ``RuleError``, nothing else."""

from __future__ import annotations

import random
from datetime import UTC, datetime

from sqlalchemy import column, select, table
from sqlalchemy.dialects import postgresql

from tagging.compiler import FeatureColumns, compile_rule
from tagging.features import feature_query
from tagging.language import RuleError, ValueType, check_rule

AS_OF = datetime(2025, 6, 30, tzinfo=UTC)
PG = postgresql.dialect()  # type: ignore[no-untyped-call]

_PIECES = [
    "aum", "age", "risk_level", "city", "gender", "household.aum", "holdings", "transactions",
    "count(", "sum(", "exists(", "max(", "days_since(", "ntile(", "percent_rank(", "has_tag(",
    "tag(", "abs(", "coalesce(", "product.category", "kind", "market_value", "where", "within",
    "90d", "0d", "and", "or", "not", "in", "between", "is", "null", "case", "when", "then",
    "else", "end", "true", "false", "(", ")", ",", ".", "+", "-", "*", "/", "=", "!=", "<",
    "<=", ">", ">=", "≥", "'上海市'", "'M'", "'x'", "'", '"', "0", "1", "3.5", "600万", "1e5",
    "#", "\n", ";", "--", "/*", "\x00", "\\", "%", "😀", "　", "'vip'", "999999999999999999999",
]  # fmt: skip


def _random_text(rng: random.Random) -> str:
    if rng.random() < 0.1:
        return "".join(chr(rng.randint(0, 0x2FFFF)) for _ in range(rng.randint(1, 40)))
    return " ".join(rng.choice(_PIECES) for _ in range(rng.randint(1, 25)))


def test_random_text_never_escapes_as_an_internal_error() -> None:
    rng = random.Random(10)
    types = [ValueType.boolean(), ValueType.number(), ValueType.enum("a", "b")]
    accepted = refused = 0
    positions: list[tuple[int, int]] = []
    for _ in range(4_000):
        text = _random_text(rng)
        try:
            check_rule(text, value_type=rng.choice(types), known_tags={"vip": ValueType.boolean()})
            accepted += 1
        except RuleError as error:
            positions.append((error.line, error.column))
            refused += 1
    assert refused > accepted > 0
    assert min(positions) >= (1, 1)
    assert all(column >= 1 for _, column in positions)


_VALID = [
    "count(transactions where kind = 'purchase' within 90d) >= 3",
    "sum(holdings.market_value where product.category = 'mutual_fund') / aum > 0.5",
    "exists(holdings where product.risk_rating > risk_level) and not has_tag('vip')",
    "case when aum >= 600万 then 'a' when age between 60 and 70 then 'b' end",
    "ntile(5, coalesce(days_since(max(transactions.occurred_at)), 0)) in (1, 2)",
    "household.aum - aum >= 100 or city is not null and gender != 'M'",
]


def test_mutated_rules_never_escape_as_internal_errors() -> None:
    rng = random.Random(11)
    tags = table("tag_values", column("customer_id"), column("tag_key"), column("value"))
    accepted = refused = 0
    for _ in range(4_000):
        tokens = rng.choice(_VALID).replace("(", " ( ").replace(")", " ) ").split()
        for _ in range(rng.randint(1, 3)):
            at = rng.randrange(len(tokens))
            action = rng.random()
            if action < 0.3:
                del tokens[at]
            elif action < 0.6:
                tokens.insert(at, rng.choice(_PIECES))
            else:
                tokens[at] = rng.choice(_PIECES)
            if not tokens:
                tokens = ["("]
        value_type = rng.choice([ValueType.boolean(), ValueType.enum("a", "b")])
        known = {"vip": value_type}
        try:
            rule = check_rule(" ".join(tokens), value_type=value_type, known_tags=known)
        except RuleError:
            refused += 1
            continue
        accepted += 1
        # what the checker accepts, the compiler turns into SQL
        compiled = compile_rule(rule)
        query = feature_query(compiled.aggregates, as_of=AS_OF, tag_values=tags)
        features = FeatureColumns(query.subquery())
        assert str(select(compiled.value(features)).compile(dialect=PG))
    assert refused > accepted > 0
