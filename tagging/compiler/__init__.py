"""Typed rules → SQLAlchemy expressions over one feature row per customer.

The contract between the rule language and the engine::

    from tagging.language import check_rule, find_cycle, RuleError, TypedRule, ValueType
    from tagging.compiler import compile_rule, CompiledRule, FeatureColumns
    from tagging.features import feature_query

    rule = check_rule(text, value_type=ValueType.enum("大众", "潜力", "高净值"),
                      filterable=lambda f: ..., known_tags={"key": ValueType...})
    # raises RuleError (.code RULE_SYNTAX | RULE_TYPE | UNKNOWN_ATTRIBUTE |
    # FORBIDDEN_FILTER (.fields) | RULE_TOO_COMPLEX; .line .column .expected .suggestion)
    # rule.dependencies: tag keys it reads; rule.permission_fields: "Type.field" names
    # find_cycle({"a": {"b"}, "b": {"a"}}) == ["a", "b", "a"]  (raise TagCycle with it)

    compiled = compile_rule(rule)
    specs = {s for c in compiled_rules for s in c.aggregates}   # shared across tags
    stmt = feature_query(specs, as_of=now, customer_ids=None | Select[customer ids],
                         tag_values=None | FromClause(customer_id, tag_key, value text),
                         attributes=None | {a for c in compiled_rules for a in c.attributes})
    f = FeatureColumns(stmt.subquery())          # or a temp table created from stmt
    select(f.customer_id, compiled.value(f), *[c for _, c in compiled.evidence(f)])

- ``CompiledRule.aggregates``: the ``Spec``s the rule needs, hashable and with a
  stable ``.name`` (the feature column's label), inner ones first. Equal
  aggregates of different tags are equal specs, so the union over all tags gives
  each feature column once.
- ``CompiledRule.attributes``: the customer fields the rule reads from the
  feature row; passing their union as ``attributes`` keeps the row narrow
  (by default it carries every customer field of the catalogue).
- ``CompiledRule.time_relative``: the value can change with the date alone
  (``age``, ``within``, ``days_since``…): refresh such tags daily.
- ``CompiledRule.value(features)``: the tag's value; NULL means the customer does
  not have the tag. Boolean tags give TRUE or NULL, enum tags a text, number tags
  a number.
- ``CompiledRule.evidence(features)``: ``(label, column)`` pairs, the attribute
  values the rule saw (labels are rule text, e.g. ``aum`` or
  ``count(transactions where kind = 'purchase' within 90d)``) and, for a rule
  with ``case``, ``("branch", …)`` naming the branch that fired.
- ``tag_values`` rows are other tags' current values as text; ``has_tag`` is
  "has a row", ``tag('k')`` the value (cast to a number for number tags).
- ``ntile``/``percent_rank`` are windows over every (non-merged) customer with a
  non-null argument: ``feature_query`` computes them before it restricts the
  rows to ``customer_ids``, so an incremental run gets the same buckets as a
  full one, at the cost of computing the windows' inputs for every customer.
  ``CompiledRule.ranks_all_customers`` says so; an engine keeping dirty runs
  within seconds leaves such tags to full (daily) runs.

Every literal of a rule is a bound parameter; no rule text reaches SQL.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, String, case, literal

from tagging.compiler.columns import FeatureColumns
from tagging.compiler.sql import as_tag_value, to_sql
from tagging.language import TypedRule, typed
from tagging.language.render import render, render_spec
from tagging.language.walk import nodes, specs

Spec = typed.Spec
AggregateSpec = typed.Spec


@dataclass(frozen=True, slots=True)
class CompiledRule:
    rule: TypedRule
    aggregates: tuple[typed.Spec, ...]
    attributes: frozenset[str]  # customer fields ``value``/``evidence`` read from the row

    @property
    def ranks_all_customers(self) -> bool:
        """Whether the rule uses ``ntile``/``percent_rank`` (see the module docstring)."""
        return any(isinstance(s, typed.Window) for s in self.aggregates)

    @property
    def time_relative(self) -> bool:
        """Whether the value can change with the date alone (``age``, ``within``,
        ``days_since``…), so the tag needs a daily refresh even when nothing changed."""
        return any(_dated(s) for s in self.aggregates)

    def value(self, features: FeatureColumns) -> ColumnElement[Any]:
        return as_tag_value(self.rule.expr, to_sql(self.rule.expr, features))

    def evidence(self, features: FeatureColumns) -> list[tuple[str, ColumnElement[Any]]]:
        out: dict[str, ColumnElement[Any]] = {}
        for node in nodes(self.rule.expr):
            if isinstance(node, typed.Attr):
                out.setdefault(node.name, features.attr(node.name))
            elif isinstance(node, typed.Feature):
                out.setdefault(render_spec(node.spec), features.feature(node.spec))
        branch = _first_case(self.rule.expr)
        if branch is not None:
            out["branch"] = _branch(branch, features)
        return list(out.items())


_DATED = frozenset({"age", "days_since_last_transaction", "risk_assessment_expired"})


def _dated(spec: typed.Spec) -> bool:
    if isinstance(spec, typed.DaysSince):
        return True
    if isinstance(spec, typed.Computed):
        return spec.attribute in _DATED
    if isinstance(spec, typed.Aggregate):
        row_fields = (n for e in (spec.where, spec.measure) if e for n in nodes(e))
        return spec.within_days is not None or any(
            isinstance(n, typed.RowField) and n.name == "days_to_maturity" for n in row_fields
        )
    return False


def compile_rule(rule: TypedRule) -> CompiledRule:
    fields = frozenset(n.name for n in nodes(rule.expr) if isinstance(n, typed.Attr))
    return CompiledRule(rule, tuple(specs(rule.expr)), fields)


def _first_case(expr: typed.Expr) -> typed.Case | None:
    return next((n for n in nodes(expr) if isinstance(n, typed.Case)), None)


def _branch(node: typed.Case, features: FeatureColumns) -> ColumnElement[Any]:
    """Which branch of the rule's ``case`` fired, as its text."""
    return case(
        *(
            (to_sql(cond, features), literal(f"when {render(cond)}", String()))
            for cond, _ in node.whens
        ),
        else_=literal("else", String()),
    )


__all__ = ["AggregateSpec", "CompiledRule", "FeatureColumns", "Spec", "compile_rule"]
