"""The grammar: what parses, where syntax errors point, and hostile input."""

from __future__ import annotations

from decimal import Decimal

import pytest

from tagging.language import RuleSyntaxError, RuleTooComplex, ValueType, ast, check_rule
from tagging.language.parser import MAX_CHARS, parse

BOOLEAN = ValueType.boolean()


def test_precedence_and_binds_tighter_than_or() -> None:
    node = parse("a = 1 or b = 2 and not c = 3")
    assert isinstance(node, ast.Or)
    first, second = node.items
    assert isinstance(first, ast.Compare)
    assert isinstance(second, ast.And)
    assert isinstance(second.items[1], ast.Not)


def test_arithmetic_is_left_associative_with_multiplication_first() -> None:
    node = parse("1 - 2 - 3 * 4")
    assert isinstance(node, ast.Arith)
    assert node.op == "-"
    assert isinstance(node.left, ast.Arith)
    assert node.left.op == "-"
    assert isinstance(node.right, ast.Arith)
    assert node.right.op == "*"


def test_chinese_number_units_and_operator_spellings() -> None:
    node = parse("aum ≥ 600万 and aum < 1.5亿 and x <> 2 and y == 3")
    assert isinstance(node, ast.And)
    ops = [item.op for item in node.items if isinstance(item, ast.Compare)]
    assert ops == [">=", "<", "!=", "="]
    values = [item.right for item in node.items if isinstance(item, ast.Compare)]
    assert values[0] == ast.Number(1, 7, Decimal("6000000"))
    assert isinstance(values[1], ast.Number)
    assert values[1].value == Decimal("150000000")


def test_keywords_are_case_insensitive_and_comments_ignored() -> None:
    node = parse("# high earners\nAUM > 1 AND NOT city IN ('上海市') # trailing")
    assert isinstance(node, ast.And)
    assert isinstance(node.items[1], ast.Not)


def test_aggregate_arguments_carry_filter_and_window() -> None:
    node = parse("count(transactions where kind = 'purchase' within 90d)")
    assert isinstance(node, ast.Call)
    (arg,) = node.args
    assert arg.expr == ast.Name(1, 7, ("transactions",))
    assert isinstance(arg.where, ast.Compare)
    assert arg.within_days == 90


def test_quotes_are_doubled_inside_text() -> None:
    assert parse("city = 'O''Brien'") == ast.Compare(
        1, 1, "=", ast.Name(1, 1, ("city",)), ast.String(1, 8, "O'Brien")
    )


@pytest.mark.parametrize(
    ("text", "line", "column", "expected"),
    [
        ("aum >", 1, 6, "a number"),
        ("aum > 1 and\n  or risk_level = 2", 2, 3, "a name"),
        ("aum >> 1", 1, 6, "a number"),
        ("(aum > 1", 1, 9, "')'"),
        ("count(transactions within 90)", 1, 27, "a duration such as 90d"),
        ("aum ? 1", 1, 5, "a comparison"),
        ("case when aum > 1 then 'a'", 1, 27, "'end'"),
    ],
)
def test_syntax_errors_point_at_the_problem(
    text: str, line: int, column: int, expected: str
) -> None:
    with pytest.raises(RuleSyntaxError) as caught:
        parse(text)
    error = caught.value
    assert error.code == "RULE_SYNTAX"
    assert (error.line, error.column) == (line, column)
    assert error.expected is not None
    assert expected in error.expected
    assert f"line {line}, column {column}" in error.message


def test_empty_rule() -> None:
    with pytest.raises(RuleSyntaxError, match="empty"):
        parse("  \n ")


@pytest.mark.parametrize(
    "text",
    [
        "(aum + " * 1000 + "1" + ")" * 1000 + " > 1",
        "not " * 3000 + "true",
        "-" * 3000 + "1 > 0",
        " + ".join(["aum"] * 1500) + " > 1",
        " or ".join(f"aum > {n}" for n in range(2_500)),
        "case " + " ".join(f"when aum > {n} then 'x'" for n in range(700)) + " end",
    ],
    ids=["parens", "nots", "minuses", "long-sum", "wide-or", "long-case"],
)
def test_deep_or_huge_rules_are_too_complex(text: str) -> None:
    with pytest.raises(RuleTooComplex) as caught:
        check_rule(text, value_type=BOOLEAN)
    assert caught.value.code == "RULE_TOO_COMPLEX"


def test_ten_thousand_terms_are_refused_before_parsing() -> None:
    text = " or ".join(f"risk_level = {n % 5}" for n in range(10_000))
    assert len(text) > MAX_CHARS
    with pytest.raises(RuleTooComplex, match="characters"):
        check_rule(text, value_type=BOOLEAN)


def test_redundant_parentheses_add_no_depth() -> None:
    assert parse("(" * 1000 + "aum" + ")" * 1000) == ast.Name(1, 1001, ("aum",))


def test_a_long_but_reasonable_rule_is_fine() -> None:
    text = " or ".join(f"city = 'c{n}'" for n in range(300))
    rule = check_rule(text, value_type=BOOLEAN)
    assert rule.permission_fields == {"Customer.city"}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("aum > " + "9" * 5000, "a number of at most 20 digits"),
        ("city = '" + "x" * 5000 + "'", "a text of at most 500 characters"),
        ("count(transactions within 99999999d) > 1", "a duration between 1d and 36600d"),
    ],
)
def test_huge_literals_are_refused(text: str, expected: str) -> None:
    with pytest.raises(RuleSyntaxError) as caught:
        check_rule(text, value_type=BOOLEAN)
    assert caught.value.expected == expected


@pytest.mark.parametrize(
    "text",
    [
        "aum > 0; DROP TABLE customer; --",
        "aum > 0 -- ' or 1=1",
        "city = '' OR 1=1 --",
        "city = '\\'; DROP TABLE customer; --'",
        "aum > 0 /* comment */",
        'city = "x" UNION SELECT * FROM customer',
        "aum > 0\x00",
        "pg_sleep(10) > 0",
        "aum > (select 1)",
    ],
)
def test_injection_attempts_are_rule_errors(text: str) -> None:
    from tagging.language import RuleError

    with pytest.raises(RuleError) as caught:
        check_rule(text, value_type=BOOLEAN)
    assert caught.value.code in {"RULE_SYNTAX", "UNKNOWN_ATTRIBUTE", "RULE_TYPE"}


def test_ordinary_rules_are_parsed_once_per_text() -> None:
    short = "aum > 1 and city = '上海市'"
    assert parse(short) is parse(short)
    long = " or ".join(f"aum > {n}" for n in range(200))
    assert parse(long) == parse(long)
    assert parse(long) is not parse(long)  # long rules are not kept
