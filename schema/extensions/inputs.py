"""Argument values checked before anything runs: strings, numbers, list lengths, width.

Strawberry and graphql-core check a value's type; what a PostgreSQL column or Python's
calendar can hold they do not, and an input beyond it failed inside a statement as an
internal error. One walk over every argument of an operation, literal and variable
values alike (variables before coercion, as the caller sent them), refuses instead:

- a string holding a NUL character (no PostgreSQL text or jsonb can store one), any
  argument, inside JSON values too;
- a number outside the ``Bounds`` declared on its field or argument
  (``schema.bounds``), every Decimal outside the amounts' range, and a non-finite one;
- a string longer than its declared ``max_length``;
- an instant with an offset that leaves the calendar once converted to UTC
  (``0001-01-01T00:00:00+14:00``);
- a list of more than ``max_list_items`` items, or values nested deeper than
  ``MAX_NESTING``;

each as ``BAD_USER_INPUT`` with ``extensions.argument`` naming the value's path
(``filter.age.min``). Filters that nest themselves (``and``/``or``/``not`` trees) are
also measured: their width, every predicate value counted (each list item once),
is capped at ``max_filter_width`` (``QUERY_TOO_COMPLEX``), since each one is SQL the
database evaluates per row. The sizes found add to the query cost (``cost.py``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from graphql import (
    FloatValueNode,
    GraphQLArgument,
    GraphQLInputField,
    GraphQLInputObjectType,
    GraphQLInputType,
    GraphQLList,
    IntValueNode,
    ListValueNode,
    ObjectValueNode,
    StringValueNode,
    ValueNode,
    VariableNode,
    get_named_type,
    get_nullable_type,
    value_from_ast_untyped,
)
from strawberry.schema.schema_converter import GraphQLCoreConverter

from cdp.errors import InvalidInput
from schema.bounds import AMOUNTS, BOUNDS_KEY, Bounds

# Input values nest at most this deep (lists and objects); the walk is recursive.
MAX_NESTING = 32
_NUMBERS = frozenset({"Int", "Float", "Decimal"})


class FilterTooWide(Exception):
    def __init__(self, argument: str, width: int, maximum: int) -> None:
        super().__init__(argument)
        self.argument = argument
        self.width = width
        self.maximum = maximum


@dataclass
class _Count:
    items: int = 0
    leaves: int = 0


def _bounds(definition: GraphQLArgument | GraphQLInputField) -> Bounds | None:
    backref = (definition.extensions or {}).get(GraphQLCoreConverter.DEFINITION_BACKREF)
    metadata = getattr(backref, "metadata", None) or {}
    found = metadata.get(BOUNDS_KEY)
    return found if isinstance(found, Bounds) else None


def _nests_itself(input_type: GraphQLInputType) -> bool:
    """Whether the named input type can contain itself: a boolean filter tree."""
    root = get_named_type(input_type)
    if not isinstance(root, GraphQLInputObjectType):
        return False
    seen: set[str] = set()
    pending = [root]
    while pending:
        current = pending.pop()
        for field in current.fields.values():
            named = get_named_type(field.type)
            if named is root:
                return True
            if isinstance(named, GraphQLInputObjectType) and named.name not in seen:
                seen.add(named.name)
                pending.append(named)
    return False


class ArgumentCheck:
    """Checks and measures argument values of one operation with its variables."""

    def __init__(
        self,
        variables: Mapping[str, Any],
        variable_defaults: Mapping[str, ValueNode | None],
        max_list_items: int,
        max_filter_width: int,
    ) -> None:
        self.variables = variables
        self.variable_defaults = variable_defaults
        self.max_list_items = max_list_items
        self.max_filter_width = max_filter_width

    def size(self, name: str, argument: GraphQLArgument, node: ValueNode) -> int:
        """The items (and, for a filter tree, predicates) ``node`` holds; raises
        ``InvalidInput`` or ``FilterTooWide``."""
        count = _Count()
        self._node(node, argument.type, _bounds(argument), name, count, 0)
        if not _nests_itself(argument.type):
            return count.items
        if count.leaves > self.max_filter_width:
            raise FilterTooWide(name, count.leaves, self.max_filter_width)
        return count.items + count.leaves

    def _node(
        self,
        node: ValueNode,
        input_type: GraphQLInputType,
        bounds: Bounds | None,
        path: str,
        count: _Count,
        depth: int,
    ) -> None:
        if isinstance(node, VariableNode):
            name = node.name.value
            if name in self.variables:
                self._value(self.variables[name], input_type, bounds, path, count, depth)
                return
            default = self.variable_defaults.get(name)
            if default is not None:
                self._node(default, input_type, bounds, path, count, depth)
            return
        self._nesting(path, depth)
        nullable = get_nullable_type(input_type)
        if isinstance(nullable, GraphQLList):
            values = node.values if isinstance(node, ListValueNode) else (node,)
            self._items(len(values), path, count)
            for item in values:
                self._node(item, nullable.of_type, bounds, path, count, depth + 1)
        elif isinstance(nullable, GraphQLInputObjectType):
            if isinstance(node, ObjectValueNode):
                for field in node.fields:
                    definition = nullable.fields.get(field.name.value)
                    if definition is not None:
                        inner = f"{path}.{field.name.value}"
                        own = _bounds(definition) or bounds
                        self._node(field.value, definition.type, own, inner, count, depth + 1)
        else:
            count.leaves += 1
            if isinstance(node, StringValueNode):
                self._string(node.value, nullable, bounds, path)
            elif isinstance(node, IntValueNode | FloatValueNode):
                self._number(node.value, nullable, bounds, path)
            elif isinstance(node, ObjectValueNode | ListValueNode):  # a JSON scalar
                self._json(value_from_ast_untyped(node, dict(self.variables)), path)

    def _value(
        self,
        value: Any,
        input_type: GraphQLInputType,
        bounds: Bounds | None,
        path: str,
        count: _Count,
        depth: int,
    ) -> None:
        if value is None:
            return
        self._nesting(path, depth)
        nullable = get_nullable_type(input_type)
        if isinstance(nullable, GraphQLList):
            values = value if isinstance(value, list) else [value]
            self._items(len(values), path, count)
            for item in values:
                self._value(item, nullable.of_type, bounds, path, count, depth + 1)
        elif isinstance(nullable, GraphQLInputObjectType):
            if isinstance(value, dict):
                for key, item in value.items():
                    definition = nullable.fields.get(key)
                    if definition is not None:
                        own = _bounds(definition) or bounds
                        self._value(item, definition.type, own, f"{path}.{key}", count, depth + 1)
        else:
            count.leaves += 1
            if isinstance(value, str):
                self._string(value, nullable, bounds, path)
            elif isinstance(value, int | float) and not isinstance(value, bool):
                self._number(value, nullable, bounds, path)
            elif isinstance(value, dict | list):  # a JSON scalar
                self._json(value, path)

    def _json(self, value: Any, path: str) -> None:
        pending = [value]
        while pending:
            item = pending.pop()
            if isinstance(item, str):
                if "\x00" in item:
                    raise InvalidInput(f"{path} contains a NUL character", argument=path)
            elif isinstance(item, dict):
                pending.extend(item.keys())
                pending.extend(item.values())
            elif isinstance(item, list):
                pending.extend(item)

    def _nesting(self, path: str, depth: int) -> None:
        if depth > MAX_NESTING:
            raise InvalidInput(f"{path} nests more than {MAX_NESTING} levels deep", argument=path)

    def _items(self, items: int, path: str, count: _Count) -> None:
        if items > self.max_list_items:
            raise InvalidInput(
                f"{path} has {items} items; at most {self.max_list_items} are accepted",
                argument=path,
                maximum=self.max_list_items,
            )
        count.items += items

    def _string(self, value: str, scalar: Any, bounds: Bounds | None, path: str) -> None:
        if "\x00" in value:
            raise InvalidInput(f"{path} contains a NUL character", argument=path)
        if bounds is not None and bounds.max_length is not None and len(value) > bounds.max_length:
            raise InvalidInput(
                f"{path} is longer than {bounds.max_length} characters",
                argument=path,
                maximum=bounds.max_length,
            )
        if getattr(scalar, "name", None) == "DateTime":
            self._instant(value, path)
        else:
            self._number(value, scalar, bounds, path)

    def _instant(self, value: str, path: str) -> None:
        try:
            instant = datetime.fromisoformat(value)
        except ValueError:
            return  # not an instant at all: coercion reports it
        if instant.tzinfo is None:
            return
        try:
            instant.astimezone(UTC)
        except OverflowError:
            raise InvalidInput(
                f"{path} leaves the calendar once converted to UTC", argument=path
            ) from None

    def _number(
        self, raw: str | int | float, scalar: Any, bounds: Bounds | None, path: str
    ) -> None:
        name = getattr(scalar, "name", None)
        if name not in _NUMBERS:
            return
        try:
            number = Decimal(str(raw))
        except InvalidOperation:
            return  # not a number at all: coercion reports it
        if not number.is_finite():
            raise InvalidInput(f"{path} must be a finite number", argument=path)
        limits = bounds if bounds is not None else AMOUNTS if name == "Decimal" else None
        if limits is None:
            return
        low, high = limits.minimum, limits.maximum
        if (low is not None and number < low) or (high is not None and number > high):
            raise InvalidInput(f"{path} must be between {low} and {high}", argument=path)
