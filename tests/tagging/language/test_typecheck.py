"""Names, types, permissions and tag dependencies, checked when a rule is saved."""

from __future__ import annotations

import pytest

from policies.compiled import CompiledPolicy
from policies.known_fields import known_fields
from policies.language import Decision
from policies.lines import read_policy
from tagging.language import (
    ForbiddenRuleFilter,
    RuleError,
    RuleTypeError,
    UnknownAttribute,
    ValueType,
    check_rule,
)
from tagging.language.catalogue import COMPUTED, CUSTOMER_FIELDS, SOURCES
from tagging.language.render import render

BOOLEAN, NUMBER = ValueType.boolean(), ValueType.number()
TIERS = ValueType.enum("大众", "潜力", "高净值")


def _error(text: str, value_type: ValueType = BOOLEAN, **kwargs: object) -> RuleError:
    with pytest.raises(RuleError) as caught:
        check_rule(text, value_type=value_type, **kwargs)  # type: ignore[arg-type]
    return caught.value


@pytest.mark.parametrize(
    ("text", "code", "line", "column", "expected"),
    [
        ("aum and true", "RULE_TYPE", 1, 1, "boolean"),
        ("aum + 'x' > 1", "RULE_TYPE", 1, 7, "number"),
        ("city > 'a'", "RULE_TYPE", 1, 1, "'=' or '!='"),
        ("birth_date > 3", "RULE_TYPE", 1, 1, "number or text or boolean"),
        ("gender = 'X'", "RULE_TYPE", 1, 10, "one of 'M', 'F'"),
        ("gender in ('M', 'Q')", "RULE_TYPE", 1, 17, "one of 'M', 'F'"),
        ("city in (1, 2)", "RULE_TYPE", 1, 10, "text"),
        ("aum between 'a' and 2", "RULE_TYPE", 1, 13, "number"),
        ("aum > 1 and\n    days_since(city) > 3", "RULE_TYPE", 2, 16, "a date field"),
        ("holdings > 1", "RULE_TYPE", 1, 1, "an aggregate such as count(holdings)"),
        ("count(holdings.market_value) > 1", "RULE_TYPE", 1, 7, "count(holdings where …)"),
        ("sum(holdings) > 1", "RULE_TYPE", 1, 5, "holdings.<field>"),
        ("sum(aum) > 1", "RULE_TYPE", 1, 5, "a field of a source"),
        ("sum(holdings.product.category) > 1", "RULE_TYPE", 1, 5, "number"),
        ("count(transactions where count(holdings) > 1) > 1", "RULE_TYPE", 1, 26, "a field of"),
        ("count(transactions where aum > 1) > 1", "RULE_TYPE", 1, 26, "a field of"),
        ("abs(aum where aum > 1) > 1", "RULE_TYPE", 1, 5, "')' or ','"),
        ("ntile(1, aum) = 1", "RULE_TYPE", 1, 7, "a whole number from 2"),
        ("ntile(2.5, aum) = 1", "RULE_TYPE", 1, 7, "a whole number from 2"),
        ("ntile(3, ntile(2, aum)) = 1", "RULE_TYPE", 1, 10, "a number per customer"),
        ("has_tag(aum)", "RULE_TYPE", 1, 9, "has_tag('some_tag_key')"),
        ("abs(aum, 1) > 1", "RULE_TYPE", 1, 1, "1 argument(s)"),
        ("case when aum > 1 then 1 else 'x' end > 1", "RULE_TYPE", 1, 31, "number"),
        ("id_number = 'x'", "RULE_TYPE", 1, 1, "number or text or boolean"),
        ("riks_level > 3", "UNKNOWN_ATTRIBUTE", 1, 1, "an attribute of the catalogue"),
        ("cuont(transactions) > 3", "UNKNOWN_ATTRIBUTE", 1, 1, "a function of the catalogue"),
        ("kind = 'purchase'", "UNKNOWN_ATTRIBUTE", 1, 1, "an attribute of the catalogue"),
        ("sum(holdings.marekt_value) > 1", "UNKNOWN_ATTRIBUTE", 1, 5, "a field of holdings"),
        ("count(transactions where knid = 'fee') > 1", "UNKNOWN_ATTRIBUTE", 1, 26, "catalogue"),
    ],
)
def test_errors_name_position_and_expectation(
    text: str, code: str, line: int, column: int, expected: str
) -> None:
    error = _error(text)
    assert error.code == code, error.message
    assert (error.line, error.column) == (line, column), error.message
    assert error.expected is not None
    assert expected in error.expected, error.expected


@pytest.mark.parametrize(
    ("text", "suggestion"),
    [
        ("riks_level > 3", "risk_level"),
        ("agee > 60", "age"),
        ("cuont(transactions) > 3", "count"),
        ("sum(holdings.marekt_value) > 1", "market_value"),
        ("count(transactions where knid = 'fee') > 1", "kind"),
        ("count(transactoins) > 1", "transactions"),
        ("household.aun > 1", "household.aum"),
        ("has_tag('hihg_net_worth')", "high_net_worth"),
        ("gender = 'f'", "F"),
    ],
)
def test_misspelt_names_suggest_the_nearest(text: str, suggestion: str) -> None:
    error = _error(text, known_tags={"high_net_worth": BOOLEAN})
    assert error.suggestion == suggestion
    assert f"did you mean {suggestion!r}" in error.message


def test_the_rule_must_give_the_tags_type() -> None:
    assert _error("aum", BOOLEAN).expected == "boolean"
    assert _error("aum > 1", NUMBER).expected == "number"
    error = _error("case when aum > 1 then '高净' else '大众' end", TIERS)
    assert isinstance(error, RuleTypeError)
    assert (error.column, error.suggestion) == (24, "高净值")
    assert _error("city", TIERS).code == "RULE_TYPE"  # any text, not the tag's values


def test_enum_rule_may_give_a_subset_of_its_values() -> None:
    rule = check_rule("case when aum >= 600万 then '高净值' end", value_type=TIERS)
    assert rule.value_type == TIERS


def test_dependencies_and_permission_fields() -> None:
    rule = check_rule(
        "has_tag('vip') and tag('tier') = '高净值' and "
        "count(transactions where kind = 'purchase' and product.risk_rating > risk_level"
        " within 30d) > 1 and household.aum > 1",
        value_type=BOOLEAN,
        known_tags={"vip": BOOLEAN, "tier": TIERS, "unused": NUMBER},
    )
    assert rule.dependencies == {"vip", "tier"}
    assert rule.permission_fields == {
        "Customer.tags",
        "Customer.transactions",
        "Transaction.kind",
        "Transaction.occurredAt",
        "Product.riskRating",
        "Customer.riskLevel",
        "Customer.household",
        "Household.aum",
    }


def test_comparing_an_enum_tag_with_a_value_it_cannot_take() -> None:
    error = _error("tag('tier') = '高'", known_tags={"tier": TIERS})
    assert error.code == "RULE_TYPE"
    assert error.expected == "one of '大众', '潜力', '高净值'"


def test_forbidden_fields_are_all_named_at_the_first_use() -> None:
    refused = {"Customer.email", "Customer.idNumber"}
    error = _error(
        "aum > 1 and email is not null or id_number is not null",
        filterable=lambda f: f not in refused,
    )
    assert isinstance(error, ForbiddenRuleFilter)
    assert error.code == "FORBIDDEN_FILTER"
    assert error.fields == ("Customer.email", "Customer.idNumber")
    assert (error.line, error.column) == (1, 13)


def test_forbidden_beats_other_errors_of_the_same_rule() -> None:
    error = _error("email = 'a@b.c' and aum > 'x'", filterable=lambda f: f != "Customer.email")
    assert error.code == "FORBIDDEN_FILTER"


def test_the_default_policy_refuses_a_marketer_rules_over_contact_and_id() -> None:
    policy = CompiledPolicy.from_lines(read_policy(), known_fields())
    plan = policy.plan(["marketer"])

    def filterable(field: str) -> bool:
        type_name, _, name = field.partition(".")
        return plan.decision(type_name, name, "filter") is Decision.ALLOW

    rule = check_rule(
        "aum >= 600万 and exists(holdings where market_value > 0) and city = '上海市'",
        value_type=BOOLEAN,
        filterable=filterable,
    )
    assert rule.permission_fields == {
        "Customer.aum", "Customer.holdings", "Holding.marketValue", "Customer.city"
    }  # fmt: skip
    error = _error(
        "phone is not null or email = 'x@y.z' or id_number is null", filterable=filterable
    )
    assert error.fields == ("Customer.email", "Customer.idNumber", "Customer.phone")


def test_every_catalogue_field_is_a_governed_graphql_field() -> None:
    named = {f for a in (*CUSTOMER_FIELDS.values(), *COMPUTED.values()) for f in a.fields}
    named |= {f for s in SOURCES.values() for a in s.fields.values() for f in a.fields}
    named |= {s.permission for s in SOURCES.values()}
    assert named <= known_fields()


def test_unknown_tag_lists_no_fields() -> None:
    error = _error("has_tag('nope')", known_tags={})
    assert isinstance(error, UnknownAttribute)
    assert error.expected == "the key of a defined tag"


def test_enum_tags_compare_by_the_order_of_their_values() -> None:
    rule = check_rule("tag('tier') >= '潜力'", value_type=BOOLEAN, known_tags={"tier": TIERS})
    assert render(rule.expr) == "tag('tier') >= '潜力'"
    error = _error("tag('tier') > '富'", known_tags={"tier": TIERS})
    assert (error.code, error.column) == ("RULE_TYPE", 15)
    assert _error("city >= 'a'").expected == "'=' or '!='"
    other = {"tier": TIERS, "size": ValueType.enum("S", "M", "L")}
    assert _error("tag('tier') < tag('size')", known_tags=other).expected == "'=' or '!='"
    same = check_rule("tag('tier') <= tag('tier')", value_type=BOOLEAN, known_tags=other)
    assert same.dependencies == {"tier"}
