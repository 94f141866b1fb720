"""``check_rule``: rule text → a ``TypedRule`` ready to compile, or a ``RuleError``."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from types import MappingProxyType

from tagging.language import ast, typed
from tagging.language.errors import ForbiddenRuleFilter, RuleError, RuleTypeError, nearest
from tagging.language.parser import parse
from tagging.language.typecheck import Checker
from tagging.language.types import Kind, ValueType

_NO_TAGS: Mapping[str, ValueType] = MappingProxyType({})


@dataclass(frozen=True, slots=True)
class TypedRule:
    text: str
    expr: typed.Expr
    value_type: ValueType
    dependencies: frozenset[str]  # tag keys read through has_tag / tag
    permission_fields: frozenset[str]  # GraphQL Type.field names the rule reads


def check_rule(
    text: str,
    *,
    value_type: ValueType,
    filterable: Callable[[str], bool] | None = None,
    known_tags: Mapping[str, ValueType] = _NO_TAGS,
) -> TypedRule:
    """Parse and type-check a rule for a tag of ``value_type``.

    ``filterable`` answers whether the author may filter on a ``Type.field``; a
    rule reading any refused field fails with ``FORBIDDEN_FILTER`` naming them
    all, before any other error of the rule is reported (so a refused author
    learns nothing more about those fields). ``known_tags`` are the tags
    ``has_tag``/``tag`` may name, with their value types.
    """
    node = parse(text)
    checker = Checker(known_tags)
    try:
        expr = checker.check(node)
        _check_result(node, expr, value_type)
    except RuleError:
        _check_permissions(checker, filterable)
        raise
    _check_permissions(checker, filterable)
    return TypedRule(
        text,
        expr,
        value_type,
        frozenset(checker.dependencies),
        frozenset(checker.fields),
    )


def _check_permissions(checker: Checker, filterable: Callable[[str], bool] | None) -> None:
    if filterable is None:
        return
    refused = [(pos, f) for f, pos in checker.fields.items() if not filterable(f)]
    if refused:
        (line, column), _ = min(refused)
        names = sorted(f for _, f in refused)
        raise ForbiddenRuleFilter(
            f"you may not filter on {', '.join(names)}",
            line=line,
            column=column,
            expected="attributes you may filter on",
            fields=names,
        )


def _check_result(node: ast.Node, expr: typed.Expr, value_type: ValueType) -> None:
    got = expr.type
    if got.kind is not value_type.kind:
        raise RuleTypeError(
            f"a {_label(value_type)} tag's rule must give {value_type.describe()}, "
            f"found {got.describe()}",
            line=node.line,
            column=node.column,
            expected=value_type.describe(),
        )
    if value_type.kind is not Kind.TEXT:
        return
    outside = [v for v in got.values if v not in value_type.values]
    if got.values and not outside:
        return
    at = _literal_at(node, outside[0]) if outside else node
    raise RuleTypeError(
        f"{outside[0]!r} is not a value of this tag"
        if outside
        else "the rule may give any text; give the tag's values, e.g. with case … end",
        line=at.line,
        column=at.column,
        expected="one of " + ", ".join(repr(v) for v in value_type.values),
        suggestion=nearest(outside[0], value_type.values) if outside else None,
    )


def _label(value_type: ValueType) -> str:
    return "enum" if value_type.kind is Kind.TEXT else value_type.kind.value


def _literal_at(node: ast.Node, value: str) -> ast.Node:
    stack = [node]
    while stack:
        current = stack.pop()
        if isinstance(current, ast.String) and current.value == value:
            return current
        if isinstance(current, ast.Case):
            stack.extend(r for _, r in current.whens)
            if current.else_ is not None:
                stack.append(current.else_)
        if isinstance(current, ast.Call):
            stack.extend(a.expr for a in current.args)
    return node
