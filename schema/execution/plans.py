"""Completion plans: a selection over plain attributes, compiled into functions.

Below the root resolvers almost every field of a read is a plain attribute set when
the object was built (see ``schema.dataloaders.assemble``). graphql-core still
executes each one as a field: a resolve-info object, strawberry's basic resolver,
the middleware lookup and the generic completion, about 7 µs per field, 1,500 fields
for a page of 50 customers. A plan does the same work as straight-line code
generated per object selection: read the attribute, coerce leaves with the type's
own ``coerce_output_value`` (or its known equivalent in line), recurse.

A plan exists only where that is exactly what graphql-core would compute:

- every selected field is a strawberry basic field (no resolver, no arguments, no
  field extensions; a permission extension on a field takes it off the plan);
- the types are concrete objects (abstract types need ``resolve_type``);
- no ``@defer``/``@stream``, fragment arguments or other executable directives.

Executing a plan raises ``Decline`` on anything it was not built for (a null in a
non-null position, a value a scalar refuses, an object of an unexpected class, an
awaitable, a field the caller may not read): the caller then lets graphql-core
complete the same value, which reports the error as it always did. Plans read and
never write, so redoing the work is safe.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from decimal import Decimal
from keyword import iskeyword
from typing import Any

from graphql import (
    GRAPHQL_MAX_INT,
    GRAPHQL_MIN_INT,
    GraphQLBoolean,
    GraphQLID,
    GraphQLInt,
    GraphQLLeafType,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLOutputType,
    GraphQLScalarType,
    GraphQLString,
    is_leaf_type,
)
from graphql.pyutils import Undefined
from strawberry.schema.types.base_scalars import isoformat
from strawberry.types.base import StrawberryObjectDefinition
from strawberry.types.field import StrawberryField

from schema.permissions import DENIED

Complete = Callable[[Any], Any]
# The fields of one object type under one field group: ``None`` when not plannable.
# Per field: response key, attribute (``None`` for ``__typename``), completer, and the
# condition and expression that complete a value in line (see ``inline_check``).
Fields = tuple[tuple[str, str | None, Complete, tuple[str, str] | None], ...]
SubPlan = Callable[[GraphQLObjectType, Any], Fields | None]

_BACKREF = "strawberry-definition"
# Leaf values of these classes are never awaitable; others are asked (enums, say).
_PLAIN = frozenset({str, int, float, bool, Decimal, datetime, date})


class Decline(Exception):
    """The value is not what the plan was built for; graphql-core completes it."""


def plain_field(parent: GraphQLObjectType, name: str) -> str | None:
    """The attribute graphql-core would read for ``parent.name``, or ``None`` when the
    field is not a strawberry basic field (resolver, arguments or field extensions)."""
    field_def = parent.fields.get(name)
    if field_def is None or field_def.args or not getattr(field_def.resolve, "_is_default", False):
        return None
    field = (field_def.extensions or {}).get(_BACKREF)
    if not isinstance(field, StrawberryField) or not field.is_basic_field:
        return None
    if field.default_resolver is not getattr:
        return None
    return field.python_name


def completer(
    type_: GraphQLOutputType,
    group: Any,
    subplan: SubPlan,
    is_awaitable: Callable[[Any], bool],
) -> Complete | None:
    """A function completing values of ``type_`` for field group ``group``."""
    nullable = not isinstance(type_, GraphQLNonNull)
    inner = type_.of_type if isinstance(type_, GraphQLNonNull) else type_
    if isinstance(inner, GraphQLList):
        item = completer(inner.of_type, group, subplan, is_awaitable)
        return None if item is None else _list(item, nullable)
    if is_leaf_type(inner):
        return _leaf(inner, nullable, is_awaitable)
    if isinstance(inner, GraphQLObjectType):
        return object_completer(inner, group, subplan, nullable)
    return None


def inline_check(type_: GraphQLOutputType) -> tuple[str, str] | None:
    """A condition on ``{v}`` and the expression graphql-core's scalar computes from
    ``_v`` when it holds, so the generated code can skip the leaf completer's call;
    only where the scalar's coercion is known to be exactly that expression."""
    inner = type_.of_type if isinstance(type_, GraphQLNonNull) else type_
    if inner is GraphQLString or inner is GraphQLID:
        return "{v}.__class__ is str", "_v"
    if inner is GraphQLBoolean:
        return "{v}.__class__ is bool", "_v"
    if inner is GraphQLInt:
        return f"{{v}}.__class__ is int and {GRAPHQL_MIN_INT} <= _v <= {GRAPHQL_MAX_INT}", "_v"
    coerce = getattr(inner, "coerce_output_value", None)
    if coerce is str and isinstance(inner, GraphQLScalarType):
        # Strawberry's Decimal (and UUID) serialize with ``str``.
        return "{v}.__class__ is Decimal", "str(_v)"
    if coerce is isoformat and isinstance(inner, GraphQLScalarType):
        # Strawberry's DateTime and Date serialize with ``methodcaller("isoformat")``.
        return "({v}.__class__ is datetime or _v.__class__ is date)", "_v.isoformat()"
    return None


def object_completer(
    type_: GraphQLObjectType, group: Any, subplan: SubPlan, nullable: bool = False
) -> Complete | None:
    """A function, generated for this selection, that builds the object's result dict
    with one attribute read per field (the idea behind graphql-jit)."""
    definition = (type_.extensions or {}).get(_BACKREF)
    if not isinstance(definition, StrawberryObjectDefinition) or definition.is_type_of:
        # A custom ``is_type_of`` may read the resolve info, which plans do not build.
        return None
    fields = subplan(type_, group)
    if fields is None:
        return None
    classes = {definition.origin}
    if definition.concrete_of is not None:
        # Generic types (``Connection[Customer]``) are instances of the generic class.
        classes.add(definition.concrete_of.origin)
    namespace: dict[str, Any] = {
        "Undefined": Undefined,
        "Decline": Decline,
        "Decimal": Decimal,
        "datetime": datetime,
        "date": date,
        "classes": frozenset(classes),
        # Strawberry's own ``is_type_of`` (types with interfaces) ignores the info.
        "is_type_of": type_.is_type_of,
    }
    type_check = " or not is_type_of(value, None)" if type_.is_type_of else ""
    lines = [
        "def complete(value):",
        "    if value is None or value is Undefined:",
        "        return None" if nullable else "        raise Decline",
        f"    if value.__class__ not in classes{type_check}:",
        "        raise Decline",
        "    return {",
    ]
    for i, (key, attr, sub, check) in enumerate(fields):
        if attr is None:
            expr = repr(type_.name)
        else:
            namespace[f"s{i}"] = sub
            read = f"value.{attr}" if _plain_name(attr) else f"getattr(value, {attr!r})"
            if check is None:
                expr = f"s{i}({read})"
            else:
                test, result = check
                test = test.format(v=f"(_v := {read})")
                expr = f"({result} if {test} else s{i}(_v))"
        lines.append(f"        {key!r}: {expr},")
    lines.append("    }")
    # The source is built from schema names and response keys (GraphQL names), never
    # from values; compiled once per selection (the executor keeps plans).
    exec("\n".join(lines), namespace)
    complete: Complete = namespace["complete"]
    return complete


def _plain_name(name: str) -> bool:
    return name.isidentifier() and not iskeyword(name)


def _list(item: Complete, nullable: bool) -> Complete:
    def complete(value: Any) -> Any:
        if value is None or value is Undefined:
            if nullable:
                return None
            raise Decline
        if type(value) is not list and type(value) is not tuple:
            raise Decline
        return [item(v) for v in value]

    return complete


def _leaf(type_: GraphQLLeafType, nullable: bool, is_awaitable: Callable[[Any], bool]) -> Complete:
    coerce = type_.coerce_output_value

    def complete(value: Any) -> Any:
        if value is None or value is Undefined:
            if nullable:
                return None
            raise Decline
        if type(value) not in _PLAIN and (
            # Scalars would turn a denied value into a string (``str`` of any object).
            value is DENIED or isinstance(value, Exception) or is_awaitable(value)
        ):
            raise Decline
        out = coerce(value)
        if out is None or out is Undefined:
            raise Decline
        return out

    return complete
