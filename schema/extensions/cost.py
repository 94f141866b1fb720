"""Query cost: how many objects a query may resolve, refused before execution when too many.

Depth and alias limits do not stop ``first: 100`` nested three times (a million rows
in a dozen lines), so the cost multiplies by the list sizes a query asks for. The rule
is generic over the schema and knows no field by name:

- a field declaring ``first``/``last`` arguments is paginated; its size is the larger
  of the two as requested (literal or variable), else the argument's default, else
  ``default_page_size`` (what the server returns when asked for no size);
- a paginated list field yields that many objects; a paginated object (a Relay
  connection) is one object whose first list below it (``edges``, ``nodes``) holds
  the page, so the page is not counted twice;
- any other list field is assumed to hold ``default_list_size`` items;
- every object (composite value) costs 1 times the product of the list sizes above
  it; scalars and enums cost nothing, they come with their object's row;
- a field's arguments add the items of their lists and the width of their filters
  (``inputs.py``, which also refuses values out of bounds), times the same product:
  a filter is evaluated for every parent the field is resolved under.

Introspection fields are skipped: their size is bounded by the schema, not the data.
Cost is computed at execution time rather than as a validation rule because sizes
may come from variables, and validation results are cached without them. It is
cached instead per document when the variables are only integers, booleans and
nulls (other values are checked on every request): the parser cache hands every
request of the same text the same document, so a client repeating its query walks
it once.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Iterator, Mapping
from typing import Any

from graphql import (
    DocumentNode,
    ExecutionResult,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    GraphQLField,
    GraphQLInterfaceType,
    GraphQLObjectType,
    GraphQLSchema,
    InlineFragmentNode,
    IntValueNode,
    OperationDefinitionNode,
    SelectionSetNode,
    ValueNode,
    VariableNode,
    get_named_type,
    get_nullable_type,
    is_composite_type,
    is_list_type,
)
from graphql.utilities import get_operation_ast, type_from_ast
from strawberry.extensions import SchemaExtension

from cdp.errors import CdpError
from schema.extensions.inputs import ArgumentCheck, FilterTooWide
from schema.extensions.limits import limit_error

# A plain list has no size argument; assume this many items.
DEFAULT_LIST_SIZE = 20
DEFAULT_MAX_LIST_ITEMS = 10_000
DEFAULT_MAX_FILTER_WIDTH = 100
_SIZE_ARGUMENTS = ("first", "last")
_CACHED_COSTS = 1024


class _Walk:
    def __init__(
        self,
        schema: GraphQLSchema,
        document: DocumentNode,
        operation: OperationDefinitionNode,
        variables: Mapping[str, Any],
        default_list_size: int,
        default_page_size: int,
        max_list_items: int = DEFAULT_MAX_LIST_ITEMS,
        max_filter_width: int = DEFAULT_MAX_FILTER_WIDTH,
    ) -> None:
        self.schema = schema
        self.fragments = {
            d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)
        }
        self.variable_defaults = {
            d.variable.name.value: d.default_value for d in operation.variable_definitions or ()
        }
        self.variables = variables
        self.default_list_size = default_list_size
        self.default_page_size = default_page_size
        self.inputs = ArgumentCheck(
            variables, self.variable_defaults, max_list_items, max_filter_width
        )

    def selections(
        self,
        parent: Any,
        selection_set: SelectionSetNode,
        multiplier: int,
        page: int | None,
        seen: frozenset[str] = frozenset(),
    ) -> int:
        total = 0
        for selection in selection_set.selections:
            if isinstance(selection, FieldNode):
                total += self.field(parent, selection, multiplier, page)
            elif isinstance(selection, InlineFragmentNode):
                condition = selection.type_condition
                scope = type_from_ast(self.schema, condition) if condition else parent
                total += self.selections(
                    scope or parent, selection.selection_set, multiplier, page, seen
                )
            elif isinstance(selection, FragmentSpreadNode):
                name = selection.name.value
                fragment = self.fragments.get(name)
                if fragment is None or name in seen:
                    continue
                scope = type_from_ast(self.schema, fragment.type_condition)
                total += self.selections(
                    scope or parent, fragment.selection_set, multiplier, page, seen | {name}
                )
        return total

    def field(self, parent: Any, node: FieldNode, multiplier: int, page: int | None) -> int:
        if node.name.value.startswith("__"):
            return 0
        if not isinstance(parent, GraphQLObjectType | GraphQLInterfaceType):
            return 0
        definition = parent.fields.get(node.name.value)
        if definition is None:
            return 0
        inputs = multiplier * self.argument_sizes(node, definition)
        if not is_composite_type(get_named_type(definition.type)):
            return inputs
        is_list = is_list_type(get_nullable_type(definition.type))
        requested = self.requested_size(node, definition)
        child_page: int | None = None
        if requested is not None and not is_list:
            count, inner = 1, 1  # a connection: its list below holds the page
            child_page = requested
        elif requested is not None:
            count = inner = requested
        elif is_list:
            count = inner = page if page is not None else self.default_list_size
        else:
            count, inner = 1, 1
        cost = multiplier * count + inputs
        if node.selection_set is not None:
            child_type = get_named_type(definition.type)
            cost += self.selections(child_type, node.selection_set, multiplier * inner, child_page)
        return cost

    def argument_sizes(self, node: FieldNode, definition: GraphQLField) -> int:
        total = 0
        for argument in node.arguments or ():
            name = argument.name.value
            declared = definition.args.get(name)
            if declared is not None:
                total += self.inputs.size(name, declared, argument.value)
        return total

    def requested_size(self, node: FieldNode, definition: GraphQLField) -> int | None:
        declared = [name for name in _SIZE_ARGUMENTS if name in definition.args]
        if not declared:
            return None
        given = {a.name.value: a.value for a in node.arguments or ()}
        sizes = []
        for name in declared:
            value = self.value(given.get(name))
            if value is None:
                default = definition.args[name].default_value
                value = default if isinstance(default, int) else None
            if value is not None:
                sizes.append(max(value, 0))
        return max(sizes) if sizes else self.default_page_size

    def value(self, node: ValueNode | None) -> int | None:
        if isinstance(node, IntValueNode):
            return int(node.value)
        if isinstance(node, VariableNode):
            name = node.name.value
            supplied = self.variables.get(name)
            if isinstance(supplied, int) and not isinstance(supplied, bool):
                return supplied
            return self.value(self.variable_defaults.get(name))
        return None


def query_cost(
    schema: GraphQLSchema,
    document: DocumentNode,
    operation_name: str | None = None,
    variables: Mapping[str, Any] | None = None,
    default_list_size: int = DEFAULT_LIST_SIZE,
    default_page_size: int = DEFAULT_LIST_SIZE,
    max_list_items: int = DEFAULT_MAX_LIST_ITEMS,
    max_filter_width: int = DEFAULT_MAX_FILTER_WIDTH,
) -> int:
    """The cost of the operation to run; 0 when there is no such operation.

    Raises ``InvalidInput`` for an argument value out of bounds and ``FilterTooWide``
    for a filter over ``max_filter_width`` (see ``schema.extensions.inputs``).
    """
    operation = get_operation_ast(document, operation_name)
    if operation is None:
        return 0
    root = schema.get_root_type(operation.operation)
    walk = _Walk(
        schema,
        document,
        operation,
        variables or {},
        default_list_size,
        default_page_size,
        max_list_items,
        max_filter_width,
    )
    return walk.selections(root, operation.selection_set, 1, None)


# (id of the document, operation, variables, schema, limits) -> (the document, kept
# so that its id is not reused while the entry lives; the cost)
_costs: OrderedDict[tuple[Any, ...], tuple[DocumentNode, int]] = OrderedDict()


def cached_query_cost(
    schema: GraphQLSchema,
    document: DocumentNode,
    operation_name: str | None,
    variables: Mapping[str, Any] | None,
    default_list_size: int,
    default_page_size: int,
    max_list_items: int = DEFAULT_MAX_LIST_ITEMS,
    max_filter_width: int = DEFAULT_MAX_FILTER_WIDTH,
) -> int:
    """``query_cost``, remembered for the same document object and variables that are
    only integers, booleans and nulls (strings, lists and objects are checked anew)."""
    limits = (default_list_size, default_page_size, max_list_items, max_filter_width)
    values = (variables or {}).items()
    if any(v is not None and type(v) not in (int, bool) for _, v in values):
        return query_cost(schema, document, operation_name, variables, *limits)
    scalars = tuple(sorted(values, key=lambda item: item[0]))
    key = (id(document), operation_name, scalars, schema, limits)
    entry = _costs.get(key)
    if entry is not None and entry[0] is document:
        _costs.move_to_end(key)
        return entry[1]
    cost = query_cost(schema, document, operation_name, variables, *limits)
    _costs[key] = (document, cost)
    if len(_costs) > _CACHED_COSTS:
        _costs.popitem(last=False)
    return cost


class QueryCost(SchemaExtension):
    """Refuses an operation whose cost exceeds ``max_cost``, before any resolver runs."""

    def __init__(
        self,
        max_cost: int,
        default_list_size: int = DEFAULT_LIST_SIZE,
        default_page_size: int = DEFAULT_LIST_SIZE,
        max_list_items: int = DEFAULT_MAX_LIST_ITEMS,
        max_filter_width: int = DEFAULT_MAX_FILTER_WIDTH,
    ) -> None:
        self.max_cost = max_cost
        self.default_list_size = default_list_size
        self.default_page_size = default_page_size
        self.max_list_items = max_list_items
        self.max_filter_width = max_filter_width

    def on_execute(self) -> Iterator[None]:
        context = self.execution_context
        if context.graphql_document is not None:
            refusal: GraphQLError | None
            try:
                cost = cached_query_cost(
                    context.schema._schema,
                    context.graphql_document,
                    context.operation_name,
                    context.variables,
                    self.default_list_size,
                    self.default_page_size,
                    self.max_list_items,
                    self.max_filter_width,
                )
            except CdpError as error:
                refusal = GraphQLError(error.message, original_error=error)
            except FilterTooWide as wide:
                refusal = self.too_wide(wide)
            else:
                refusal = self.error(cost) if cost > self.max_cost else None
            if refusal is not None:
                # A result set before execution makes strawberry skip execution.
                context.result = ExecutionResult(data=None, errors=[refusal])
        yield

    def error(self, cost: int) -> GraphQLError:
        return limit_error(
            f"Query cost {cost} exceeds the limit of {self.max_cost}: ask for fewer items "
            "(first/last) or nest fewer lists.",
            limit="cost",
            maximum=self.max_cost,
            actual=cost,
        )

    def too_wide(self, wide: FilterTooWide) -> GraphQLError:
        return limit_error(
            f"The filter {wide.argument} has {wide.width} predicates (every list item "
            f"counts); at most {wide.maximum} are accepted.",
            limit="filterWidth",
            maximum=wide.maximum,
            actual=wide.width,
            argument=wide.argument,
        )
