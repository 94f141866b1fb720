"""graphql-core's executor with completion plans for plain-attribute subtrees.

Resolvers, arguments, errors and the result layout stay graphql-core's: this only
takes over ``complete_object_value``, the point where a resolved object's selection
is executed. When the whole selection below the object can be planned (see
``schema.execution.plans``), the object is completed by its plan; otherwise, or
when the plan declines a value, graphql-core completes it field by field and, for
nested objects, asks here again, so a field with a resolver deep in a query costs
plans only the subtree that holds it.

Plans are compiled from the field groups graphql-core itself collects
(``collect_subfields``: fragments, type conditions, ``@skip``/``@include`` with the
request's variables). Compiling costs more than running a plan, so a document whose
collection cannot depend on variables keeps its plans across requests (the parser
cache hands every request of the same text the same document); others compile per
request. A plan decides from the schema alone; should one ever depend on the caller
(say, a permission policy that declines fields), its version belongs in the key.
"""

from __future__ import annotations

import logging
from collections import OrderedDict
from typing import Any, ClassVar

from graphql import (
    GraphQLError,
    GraphQLObjectType,
    GraphQLOutputType,
    GraphQLResolveInfo,
    OperationDefinitionNode,
    VariableNode,
)
from graphql.execution.collect_fields import FieldDetails
from graphql.pyutils import AwaitableOrValue, Path
from strawberry.schema.schema import StrawberryGraphQLCoreExecutionContext

from cdp.errors import ForbiddenField
from cdp.http.metrics import PLAN_FAILURES
from schema.execution.plans import (
    Complete,
    Decline,
    Fields,
    inline_check,
    object_completer,
    plain_field,
)
from schema.execution.plans import completer as value_completer
from schema.permissions import DENIED

log = logging.getLogger(__name__)

_TYPENAME = "__typename"
_SHARED_DOCUMENTS = 1024

PlanKey = tuple[str, tuple[int, ...]]
# (id of the operation, schema, is_awaitable) -> (operation, fragments, plans or
# ``None`` when they depend on variables), least recently used first.
_shared: OrderedDict[
    tuple[int, Any, Any],
    tuple[OperationDefinitionNode, Any, dict[PlanKey, Complete | None] | None],
] = OrderedDict()
# Directives collect_subfields evaluates itself; any other on a field (``@stream``,
# or one added later) means the field is not plain execution.
_COLLECTION_DIRECTIVES = frozenset({"skip", "include"})


class PlannedExecutor(StrawberryGraphQLCoreExecutionContext):
    # Off, every value takes graphql-core's path: the differential tests compare the
    # two on the same documents.
    enabled: ClassVar[bool] = True

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        manager = self.middleware_manager
        # Middleware (extensions with a ``resolve`` hook) wraps every resolver, so
        # plain fields are no longer plain: plans are then off for the request.
        self.plans_enabled = self.enabled and (manager is None or not manager.middlewares)
        # (type name, ids of the group's nodes) -> completer, ``None`` when unplannable
        self.object_plans = _plans_of(self) if self.plans_enabled else {}
        # (type, id(group)) -> (group kept alive, fields): compiling only, per request.
        self.field_plans: dict[tuple[GraphQLObjectType, int], tuple[Any, Fields | None]] = {}

    def complete_object_value(
        self,
        return_type: GraphQLObjectType,
        field_details_list: list[FieldDetails],
        info: GraphQLResolveInfo[Any],
        path: Path,
        result: Any,
        position_context: Any,
    ) -> AwaitableOrValue[dict[str, Any]]:
        if self.plans_enabled:
            complete = self.object_plan(return_type, field_details_list)
            if complete is not None:
                # A ``Decline``, or a scalar refusing a value: graphql-core redoes
                # the subtree below and reports the error exactly as it always did.
                # Anything else is a plan bug: still answered correctly the slow way,
                # but logged and counted so that a regression shows.
                try:
                    return complete(result)  # type: ignore[no-any-return]
                except (Decline, GraphQLError):
                    pass
                except Exception:
                    PLAN_FAILURES.labels(type=return_type.name).inc()
                    log.exception("completion plan failed for %s", return_type.name)
        return super().complete_object_value(
            return_type, field_details_list, info, path, result, position_context
        )

    def complete_value(
        self,
        return_type: GraphQLOutputType,
        field_details_list: list[FieldDetails],
        info: GraphQLResolveInfo[Any],
        path: Path,
        result: Any,
        position_context: Any,
    ) -> AwaitableOrValue[Any]:
        if result is DENIED:
            # Raised inside the field's completion, so graphql-core reports it with
            # the field's path and nulls the field (or, if non-null, its parent).
            name = f"{info.parent_type.name}.{info.field_name}"
            raise ForbiddenField(f"you may not read {name}", field=name)
        return super().complete_value(
            return_type, field_details_list, info, path, result, position_context
        )

    def object_plan(self, type_: GraphQLObjectType, group: list[FieldDetails]) -> Complete | None:
        key = (type_.name, tuple([id(d.node) for d in group]))
        plans = self.object_plans
        if key in plans:
            return plans[key]
        plan = plans[key] = object_completer(type_, group, self.fields)
        return plan

    def fields(self, type_: GraphQLObjectType, group: list[FieldDetails]) -> Fields | None:
        """The plan of each selected field of ``type_``, ``None`` if one has none."""
        key = (type_, id(group))
        cached = self.field_plans.get(key)
        if cached is None:
            cached = self.field_plans[key] = (group, self._compile_fields(type_, group))
        return cached[1]

    def _compile_fields(self, type_: GraphQLObjectType, group: list[FieldDetails]) -> Fields | None:
        grouped, new_defer_usages, _ = self.collect_subfields(type_, group)
        if new_defer_usages:
            return None
        out: list[tuple[str, str | None, Complete, tuple[str, str] | None]] = []
        for key, sub_group in grouped.items():
            if not all(_plain_node(d) for d in sub_group):
                return None
            name = sub_group[0].node.name.value
            if name == _TYPENAME:
                out.append((key, None, _typename, None))
                continue
            attr = plain_field(type_, name)
            if attr is None:
                return None
            field_type: GraphQLOutputType = type_.fields[name].type
            sub = value_completer(field_type, sub_group, self.fields, self.is_awaitable)
            if sub is None:
                return None
            out.append((key, attr, sub, inline_check(field_type)))
        return tuple(out)


def _plans_of(executor: PlannedExecutor) -> dict[PlanKey, Complete | None]:
    """The plans of the executor's operation: shared by every request that sends the
    same (cached, so identical) document when its field collection cannot depend on
    variables; the request's own otherwise."""
    operation = executor.operation
    key = (id(operation), executor.schema, executor.is_awaitable)
    entry = _shared.get(key)
    if entry is None or entry[0] is not operation:
        fragments = executor.fragments
        plans: dict[PlanKey, Complete | None] | None = {} if _static(operation, fragments) else None
        # The entry holds the operation and its fragments, so the node ids in the plan
        # keys cannot be reused by another document while it exists.
        entry = _shared[key] = (operation, fragments, plans)
        if len(_shared) > _SHARED_DOCUMENTS:
            _shared.popitem(last=False)
    else:
        _shared.move_to_end(key)
    return entry[2] if entry[2] is not None else {}


def _static(operation: OperationDefinitionNode, fragments: dict[str, Any]) -> bool:
    """Whether no directive of the document takes a variable and no fragment takes
    arguments: then which fields are collected depends on the document alone."""
    if any(f.variable_signatures for f in fragments.values()):
        return False
    nodes = [operation, *(f.definition for f in fragments.values())]
    while nodes:
        node = nodes.pop()
        for directive in getattr(node, "directives", None) or ():
            if any(isinstance(a.value, VariableNode) for a in directive.arguments or ()):
                return False
        selection_set = getattr(node, "selection_set", None)
        if selection_set is not None:
            nodes.extend(selection_set.selections)
    return True


def _plain_node(details: FieldDetails) -> bool:
    if details.defer_usage is not None or details.fragment_variable_values is not None:
        return False
    return all(d.name.value in _COLLECTION_DIRECTIVES for d in details.node.directives or ())


def _typename(value: Any) -> Any:
    # Stands in the plan for ``__typename``, whose entry has no attribute: the object
    # plan writes the type's name instead of calling it.
    return value
