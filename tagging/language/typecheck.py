"""``ast`` → ``typed``: names resolved against the catalogue, types checked.

Errors point at the node that is wrong and say what was expected there; a name
that is not in the catalogue suggests the nearest one. While resolving names the
checker records the GraphQL fields the rule reads (for the author's filter
permissions) and the tags it depends on.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal

from tagging.language import ast, typed
from tagging.language.catalogue import (
    AGGREGATES,
    COMPUTED,
    CUSTOMER_FIELDS,
    FUNCTIONS,
    SOURCES,
    Source,
    top_level_names,
)
from tagging.language.errors import RuleTypeError, UnknownAttribute, nearest
from tagging.language.functions import check_call, unify
from tagging.language.types import BOOLEAN, NUMBER, Kind, ValueType


@dataclass
class Checker:
    known_tags: Mapping[str, ValueType]
    fields: dict[str, tuple[int, int]] = field(default_factory=dict)  # field -> first use
    dependencies: set[str] = field(default_factory=set)

    def check(self, node: ast.Node, scope: Source | None = None) -> typed.Expr:
        method = getattr(self, f"_{type(node).__name__.lower()}")
        result: typed.Expr = method(node, scope)
        return result

    def use(self, node: ast.Node, *names: str) -> None:
        for name in names:
            self.fields.setdefault(name, (node.line, node.column))

    # --- leaves ------------------------------------------------------------------

    def _number(self, node: ast.Number, scope: Source | None) -> typed.Expr:
        return typed.Lit(NUMBER, node.value)

    def _string(self, node: ast.String, scope: Source | None) -> typed.Expr:
        return typed.Lit(ValueType.enum(node.value), node.value)

    def _bool(self, node: ast.Bool, scope: Source | None) -> typed.Expr:
        return typed.Lit(BOOLEAN, node.value)

    def _name(self, node: ast.Name, scope: Source | None) -> typed.Expr:
        name = node.dotted
        if scope is not None:
            local = name.removeprefix(scope.name + ".")
            if local in scope.fields:
                attr = scope.fields[local]
                self.use(node, *attr.fields)
                return typed.RowField(attr.type, local)
        if name in CUSTOMER_FIELDS:
            attr = CUSTOMER_FIELDS[name]
            self.use(node, *attr.fields)
            return typed.Attr(attr.type, name)
        if name in COMPUTED and scope is None:
            attr = COMPUTED[name]
            self.use(node, *attr.fields)
            return typed.Feature(attr.type, typed.Computed(attr.type, name))
        if name in COMPUTED or name in SOURCES:
            where = "inside an aggregate" if scope is not None else "on its own"
            raise RuleTypeError(
                f"{name!r} cannot be used {where}",
                line=node.line,
                column=node.column,
                expected=(
                    f"a field of {scope.name} or of the customer"
                    if scope is not None
                    else f"an aggregate such as count({name}) or exists({name} where …)"
                ),
            )
        candidates = [*scope.fields, *CUSTOMER_FIELDS] if scope else top_level_names()
        raise UnknownAttribute(
            f"unknown attribute {name!r}",
            line=node.line,
            column=node.column,
            expected="an attribute of the catalogue (tagging/README.md)",
            suggestion=nearest(name, candidates),
        )

    # --- operators ---------------------------------------------------------------

    def expect(self, node: ast.Node, expr: typed.Expr, *kinds: Kind) -> typed.Expr:
        if expr.type.kind not in kinds:
            wanted = " or ".join(k.value for k in kinds)
            hint = "; a date is used through days_since(…)" if expr.type.kind is Kind.DATE else ""
            raise RuleTypeError(
                f"expected {wanted}, found {expr.type.describe()}{hint}",
                line=node.line,
                column=node.column,
                expected=wanted,
            )
        return expr

    def number_of(self, node: ast.Node, scope: Source | None) -> typed.Expr:
        return self.expect(node, self.check(node, scope), Kind.NUMBER)

    def boolean_of(self, node: ast.Node, scope: Source | None) -> typed.Expr:
        return self.expect(node, self.check(node, scope), Kind.BOOLEAN)

    def _neg(self, node: ast.Neg, scope: Source | None) -> typed.Expr:
        operand = self.number_of(node.operand, scope)
        if isinstance(operand, typed.Lit) and isinstance(operand.value, Decimal):
            return typed.Lit(NUMBER, -operand.value)
        return typed.Neg(NUMBER, operand)

    def _arith(self, node: ast.Arith, scope: Source | None) -> typed.Expr:
        left = self.number_of(node.left, scope)
        right = self.number_of(node.right, scope)
        return typed.Arith(NUMBER, node.op, left, right)

    def _compare(self, node: ast.Compare, scope: Source | None) -> typed.Expr:
        left, right = self.check(node.left, scope), self.check(node.right, scope)
        self.expect(node.left, left, Kind.NUMBER, Kind.TEXT, Kind.BOOLEAN)
        if left.type.kind is not right.type.kind:
            self.expect(node.right, right, left.type.kind)
        self._check_value(node.right, left, right)
        self._check_value(node.left, right, left)
        if left.type.kind is not Kind.NUMBER and node.op not in ("=", "!="):
            return self._ordered(node, left, right)
        return typed.Compare(BOOLEAN, node.op, left, right)

    def _ordered(self, node: ast.Compare, left: typed.Expr, right: typed.Expr) -> typed.Expr:
        """An enum tag's values are ordered: ``tag('asset_tier') >= '潜力'``."""
        ranked = [_rank(left, right), _rank(right, left)]
        if ranked[0] is None or ranked[1] is None:
            raise RuleTypeError(
                f"{left.type.kind.value} values are compared with = or != only "
                "(an enum tag's value also with < <= > >= against one of its values)",
                line=node.line,
                column=node.column,
                expected="'=' or '!='",
            )
        return typed.Compare(BOOLEAN, node.op, ranked[0], ranked[1])

    def _check_value(self, at: ast.Node, target: typed.Expr, literal: typed.Expr) -> None:
        """A text literal compared with an enumeration must be one of its values."""
        if not (isinstance(literal, typed.Lit) and isinstance(literal.value, str)):
            return
        if isinstance(target, typed.Lit) or not target.type.is_enum:
            return
        if literal.value not in target.type.values:
            raise RuleTypeError(
                f"{literal.value!r} is not a possible value here",
                line=at.line,
                column=at.column,
                expected="one of " + ", ".join(repr(v) for v in target.type.values),
                suggestion=nearest(literal.value, target.type.values),
            )

    def _and(self, node: ast.And, scope: Source | None) -> typed.Expr:
        return typed.And(BOOLEAN, tuple(self.boolean_of(i, scope) for i in node.items))

    def _or(self, node: ast.Or, scope: Source | None) -> typed.Expr:
        return typed.Or(BOOLEAN, tuple(self.boolean_of(i, scope) for i in node.items))

    def _not(self, node: ast.Not, scope: Source | None) -> typed.Expr:
        return typed.Not(BOOLEAN, self.boolean_of(node.operand, scope))

    def _in(self, node: ast.In, scope: Source | None) -> typed.Expr:
        operand = self.expect(node.operand, self.check(node.operand, scope), Kind.NUMBER, Kind.TEXT)
        want = str if operand.type.kind is Kind.TEXT else Decimal
        for value in node.values:
            lit = self.check(value, scope)
            if not isinstance(value.value, want):
                self.expect(value, lit, operand.type.kind)
            self._check_value(value, operand, lit)
        values = tuple(v.value for v in node.values)
        return typed.In(BOOLEAN, operand, values, node.negated)

    def _between(self, node: ast.Between, scope: Source | None) -> typed.Expr:
        return typed.Between(
            BOOLEAN,
            self.number_of(node.operand, scope),
            self.number_of(node.low, scope),
            self.number_of(node.high, scope),
        )

    def _isnull(self, node: ast.IsNull, scope: Source | None) -> typed.Expr:
        return typed.IsNull(BOOLEAN, self.check(node.operand, scope), node.negated)

    def _case(self, node: ast.Case, scope: Source | None) -> typed.Expr:
        whens = tuple(
            (self.boolean_of(cond, scope), self.check(result, scope)) for cond, result in node.whens
        )
        else_ = self.check(node.else_, scope) if node.else_ is not None else None
        results = [(r, n) for (_, r), (_, n) in zip(whens, node.whens, strict=True)]
        if else_ is not None and node.else_ is not None:
            results.append((else_, node.else_))
        return typed.Case(unify([r for r, _ in results], [n for _, n in results]), whens, else_)

    # --- calls -------------------------------------------------------------------

    def _call(self, node: ast.Call, scope: Source | None) -> typed.Expr:
        name = node.name.lower()
        if name not in AGGREGATES and name not in FUNCTIONS:
            raise UnknownAttribute(
                f"unknown function {node.name!r}",
                line=node.line,
                column=node.column,
                expected="a function of the catalogue: " + ", ".join((*AGGREGATES, *FUNCTIONS)),
                suggestion=nearest(name, (*AGGREGATES, *FUNCTIONS)),
            )
        if scope is not None and name not in ("abs", "coalesce"):
            raise RuleTypeError(
                f"{name}(…) cannot be used inside an aggregate",
                line=node.line,
                column=node.column,
                expected=f"a field of {scope.name}, of its product or of the customer",
            )
        for arg in node.args:
            if name not in AGGREGATES and (arg.where is not None or arg.within_days is not None):
                raise RuleTypeError(
                    f"{name}(…) takes no 'where' or 'within'",
                    line=arg.line,
                    column=arg.column,
                    expected="')' or ','",
                )
        return check_call(self, node, name, scope)


def _rank(expr: typed.Expr, other: typed.Expr) -> typed.Expr | None:
    """An enum tag's value or a literal of it as its position in the tag's values."""
    tag = isinstance(expr, typed.Feature) and isinstance(expr.spec, typed.TagValue)
    if tag and expr.type.is_enum and (isinstance(other, typed.Lit) or other.type == expr.type):
        return typed.Func(NUMBER, "enum_rank", (expr,))
    literal = isinstance(expr, typed.Lit) and isinstance(expr.value, str)
    if literal and isinstance(other, typed.Feature) and other.type.is_enum:
        assert isinstance(expr, typed.Lit)
        return typed.Lit(NUMBER, Decimal(other.type.values.index(str(expr.value))))
    return None
