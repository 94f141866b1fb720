"""Type rules of the calls: aggregates, ``days_since``, tags, windows, helpers."""

from __future__ import annotations

from typing import TYPE_CHECKING

from tagging.language import ast, typed
from tagging.language.catalogue import SOURCES, Source
from tagging.language.errors import RuleTypeError, UnknownAttribute, nearest
from tagging.language.types import BOOLEAN, NUMBER, TEXT, Kind, ValueType
from tagging.language.walk import specs

if TYPE_CHECKING:
    from tagging.language.typecheck import Checker

MAX_BUCKETS = 1000


def _arity(node: ast.Call, name: str, low: int, high: int | None = None) -> None:
    count = len(node.args)
    if count < low or (high is not None and count > high):
        wanted = str(low) if high == low else f"{low}–{high}" if high else f"at least {low}"
        raise RuleTypeError(
            f"{name}(…) takes {wanted} argument(s), not {count}",
            line=node.line,
            column=node.column,
            expected=f"{wanted} argument(s)",
        )


def check_call(checker: Checker, node: ast.Call, name: str, scope: Source | None) -> typed.Expr:
    if name in ("count", "exists", "sum", "avg", "min", "max"):
        return _aggregate(checker, node, name)
    if name == "days_since":
        return _days_since(checker, node)
    if name in ("has_tag", "tag"):
        return _tag(checker, node, name)
    if name in ("ntile", "percent_rank"):
        return _window(checker, node, name)
    if name == "abs":
        _arity(node, name, 1, 1)
        return typed.Func(NUMBER, "abs", (checker.number_of(node.args[0].expr, scope),))
    _arity(node, name, 2)
    args = [checker.check(a.expr, scope) for a in node.args]
    return typed.Func(unify(args, [a.expr for a in node.args]), "coalesce", tuple(args))


def _aggregate(checker: Checker, node: ast.Call, name: str) -> typed.Expr:
    _arity(node, name, 1, 1)
    arg = node.args[0]
    target = arg.expr
    if not isinstance(target, ast.Name) or target.path[0] not in SOURCES:
        raise RuleTypeError(
            f"{name}(…) aggregates one of: {', '.join(SOURCES)}",
            line=arg.line,
            column=arg.column,
            expected=f"a source such as {name}(transactions …)"
            if name in ("count", "exists")
            else f"a field of a source such as {name}(holdings.market_value …)",
            suggestion=nearest(target.dotted, SOURCES) if isinstance(target, ast.Name) else None,
        )
    source = SOURCES[target.path[0]]
    checker.use(target, source.permission)
    measure: typed.Expr | None = None
    if name in ("count", "exists"):
        if len(target.path) > 1:
            raise RuleTypeError(
                f"{name}(…) counts rows: name the source alone",
                line=target.line,
                column=target.column,
                expected=f"{name}({source.name} where …)",
            )
    else:
        if len(target.path) == 1:
            raise RuleTypeError(
                f"{name}(…) needs a field of {source.name}",
                line=target.line,
                column=target.column,
                expected=f"{source.name}.<field>, e.g. {_example(source)}",
            )
        local = ".".join(target.path[1:])
        attr = source.fields.get(local)
        if attr is None:
            raise UnknownAttribute(
                f"{source.name} has no field {local!r}",
                line=target.line,
                column=target.column,
                expected=f"a field of {source.name}: {', '.join(source.fields)}",
                suggestion=nearest(local, source.fields),
            )
        checker.use(target, *attr.fields)
        measure = typed.RowField(attr.type, local)
        kinds = (Kind.NUMBER, Kind.DATE) if name in ("min", "max") else (Kind.NUMBER,)
        checker.expect(target, measure, *kinds)
    where = checker.boolean_of(arg.where, source) if arg.where is not None else None
    if arg.within_days is not None:
        checker.use(arg, *source.fields[source.window].fields)
    result = BOOLEAN if name == "exists" else measure.type if measure else NUMBER
    spec = typed.Aggregate(result, name, source.name, measure, where, arg.within_days)
    return typed.Feature(result, spec)


def _example(source: Source) -> str:
    numbers = [n for n, a in source.fields.items() if a.type.kind is Kind.NUMBER]
    return f"{source.name}.{numbers[0]}" if numbers else source.name


def _days_since(checker: Checker, node: ast.Call) -> typed.Expr:
    _arity(node, "days_since", 1, 1)
    of = checker.check(node.args[0].expr)
    dated = isinstance(of, typed.Attr) or (
        isinstance(of, typed.Feature) and isinstance(of.spec, typed.Aggregate)
    )
    if of.type.kind is not Kind.DATE or not dated:
        raise RuleTypeError(
            "days_since(…) takes a date",
            line=node.args[0].line,
            column=node.args[0].column,
            expected="a date field such as onboarded_at or max(transactions.occurred_at …)",
        )
    return typed.Feature(NUMBER, typed.DaysSince(NUMBER, of))


def _tag(checker: Checker, node: ast.Call, name: str) -> typed.Expr:
    _arity(node, name, 1, 1)
    key_node = node.args[0].expr
    if not isinstance(key_node, ast.String):
        raise RuleTypeError(
            f"{name}(…) takes a tag key in quotes",
            line=key_node.line,
            column=key_node.column,
            expected=f"{name}('some_tag_key')",
        )
    key = key_node.value
    if key not in checker.known_tags:
        raise UnknownAttribute(
            f"unknown tag {key!r}",
            line=key_node.line,
            column=key_node.column,
            expected="the key of a defined tag",
            suggestion=nearest(key, checker.known_tags),
        )
    checker.dependencies.add(key)
    checker.use(node, "Customer.tags")
    value_type = checker.known_tags[key]
    if name == "has_tag":
        return typed.has_tag(key, value_type)
    return typed.Feature(value_type, typed.TagValue(value_type, key))


def _window(checker: Checker, node: ast.Call, name: str) -> typed.Expr:
    buckets = 0
    if name == "ntile":
        _arity(node, name, 2, 2)
        first = node.args[0].expr
        if not (
            isinstance(first, ast.Number)
            and first.value == first.value.to_integral_value()
            and 2 <= first.value <= MAX_BUCKETS
        ):
            raise RuleTypeError(
                "ntile(n, x) takes a whole number of buckets first",
                line=first.line,
                column=first.column,
                expected=f"a whole number from 2 to {MAX_BUCKETS}",
            )
        buckets = int(first.value)
    else:
        _arity(node, name, 1, 1)
    arg_node = node.args[-1].expr
    arg = checker.number_of(arg_node, None)
    if _has_window(arg):
        raise RuleTypeError(
            f"{name}(…) cannot contain another ntile or percent_rank",
            line=arg_node.line,
            column=arg_node.column,
            expected="a number per customer",
        )
    return typed.Feature(NUMBER, typed.Window(NUMBER, name, buckets, arg))


def _has_window(expr: typed.Expr) -> bool:
    return any(isinstance(s, typed.Window) for s in specs(expr))


def unify(results: list[typed.Expr], nodes: list[ast.Node]) -> ValueType:
    """The type of a case's results: all the same kind; text values are pooled."""
    first = results[0].type
    for result, node in zip(results, nodes, strict=True):
        if result.type.kind is not first.kind or result.type.kind in (Kind.DATE, Kind.OPAQUE):
            raise RuleTypeError(
                f"every branch must give the same type: expected {first.kind.value}, "
                f"found {result.type.describe()}",
                line=node.line,
                column=node.column,
                expected=first.kind.value,
            )
    if first.kind is not Kind.TEXT:
        return first
    if all(r.type.is_enum for r in results):
        values: dict[str, None] = {}
        for r in results:
            values.update(dict.fromkeys(r.type.values))
        return ValueType.enum(*values)
    return TEXT
