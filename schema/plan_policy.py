"""The compiled Casbin policy behind the permission seam (``schema.permissions``).

``policies`` compiles a role set's decisions into a ``FieldPlan`` keyed by GraphQL
names (``Customer.idNumber``). Objects are built from Python attribute values
(``id_number``), so this module translates a plan once more, per type, into what
``project`` needs: the attributes to replace with ``DENIED`` and those to pass
through a masking function. ``PolicyRules`` does that once per (policy version,
role set) and keeps the result; a request then only wraps it with the caller's
identity (``PlanPolicy``), so deciding a field stays a lookup.

Row scopes are values (``policies.row_scopes.RowScope``: the role set's scope
names and the caller's advisor id) that build each entity's predicate; what a
household says about all of its members (its name, the relations) needs every
member in scope, which the assembler decides per row
(``schema.dataloaders.assemble``). Global IDs and
cursors are sealed per role set (``audience``, see ``schema.relay``).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from graphql import GraphQLObjectType, GraphQLSchema
from strawberry.types.field import StrawberryField

from cdp.errors import Forbidden, ForbiddenField, ForbiddenFilter
from cdp.principal import Principal
from policies.compiled import FieldPlan
from policies.language import Decision
from policies.masking import Masker
from policies.row_scopes import RowScope
from schema.permissions import DENIED, FieldPolicy
from schema.relay import audience_of

_BACKREF = "strawberry-definition"


@dataclass(frozen=True, slots=True)
class TypeFields:
    """The GraphQL fields of one object type, as objects are built."""

    attributes: Mapping[str, str]  # Python attribute -> GraphQL name, plain fields
    resolved: frozenset[str]  # GraphQL names of fields with a resolver of their own


def schema_fields(schema: GraphQLSchema) -> dict[str, TypeFields]:
    """Every strawberry object type of ``schema`` with its fields."""
    out = {}
    for name, gtype in schema.type_map.items():
        if not isinstance(gtype, GraphQLObjectType) or name.startswith("__"):
            continue
        attributes, resolved = {}, set()
        for gname, field_def in gtype.fields.items():
            sfield = (field_def.extensions or {}).get(_BACKREF)
            if not isinstance(sfield, StrawberryField):
                continue
            if sfield.base_resolver is None:
                attributes[sfield.python_name] = gname
            else:
                resolved.add(gname)
        out[name] = TypeFields(attributes, frozenset(resolved))
    return out


@dataclass(frozen=True, slots=True)
class TypeRules:
    """One type under one plan, in the terms ``project`` works in."""

    denied: Mapping[str, object]  # attribute -> DENIED, for one ``dict.update``
    masked: tuple[tuple[str, Masker], ...]  # attributes passed through a masker
    visible: frozenset[str]  # attributes shown, in clear or masked
    readable: frozenset[str]  # GraphQL names shown, in clear or masked
    clear: frozenset[str]  # GraphQL names shown in clear
    filterable: frozenset[str]  # GraphQL names usable in filters and ordering
    writable: frozenset[str]  # attributes a mutation may set
    names: Mapping[str, str]  # attribute -> GraphQL name, for messages


def _type_rules(plan: FieldPlan, type_name: str, fields: TypeFields) -> TypeRules:
    def read(gname: str) -> Decision:
        return plan.decision(type_name, gname, "read")

    names = [*fields.attributes.values(), *fields.resolved]
    maskers = plan.maskers.get(type_name, {})
    return TypeRules(
        denied={a: DENIED for a, g in fields.attributes.items() if read(g) is Decision.DENY},
        masked=tuple(
            (a, maskers[g]) for a, g in fields.attributes.items() if read(g) is Decision.MASK
        ),
        visible=frozenset(a for a, g in fields.attributes.items() if read(g) is not Decision.DENY),
        readable=frozenset(g for g in names if read(g) is not Decision.DENY),
        clear=frozenset(g for g in names if read(g) is Decision.ALLOW),
        filterable=frozenset(
            g for g in names if plan.decision(type_name, g, "filter") is Decision.ALLOW
        ),
        writable=frozenset(
            a
            for a, g in fields.attributes.items()
            if plan.decision(type_name, g, "write") is Decision.ALLOW
        ),
        names=fields.attributes,
    )


@dataclass(frozen=True, slots=True)
class RoleRules:
    """Every type's rules under one plan."""

    plan: FieldPlan
    types: Mapping[str, TypeRules]
    # A type the schema does not have (a typo in a caller of ``project``) is denied.
    nothing: TypeRules = field(
        default=TypeRules(
            {}, (), frozenset(), frozenset(), frozenset(), frozenset(), frozenset(), {}
        )
    )

    def of(self, type_name: str) -> TypeRules:
        return self.types.get(type_name, self.nothing)


class PolicyRules:
    """Per process: the rules of each role set under the policy in force, compiled
    on first use and dropped when the version changes."""

    def __init__(self, fields: Mapping[str, TypeFields]) -> None:
        self.fields = fields
        self._version: str | None = None
        self._rules: dict[frozenset[str], RoleRules] = {}

    def rules(self, plan: FieldPlan) -> RoleRules:
        if plan.version != self._version:
            self._rules = {}
            self._version = plan.version
        rules = self._rules.get(plan.roles)
        if rules is None or rules.plan is not plan:
            types = {t: _type_rules(plan, t, f) for t, f in self.fields.items()}
            rules = self._rules[plan.roles] = RoleRules(plan, types)
        return rules


class PlanPolicy(FieldPolicy):
    """One request's field policy: the role set's rules plus who is asking."""

    def __init__(self, rules: RoleRules, principal: Principal) -> None:
        self.rules = rules
        self.principal = principal
        self.version = rules.plan.version
        self.audience = audience_of(rules.plan.roles)
        self.row_scope = RowScope.of(rules.plan.row_scopes, principal.advisor_id)

    def project(self, type_name: str, values: dict[str, Any]) -> dict[str, Any]:
        rules = self.rules.of(type_name)
        values.update(rules.denied)
        for name, mask in rules.masked:
            value = values.get(name)
            if value is not None:
                values[name] = mask(value)
        return values

    def wants(self, type_name: str, field: str) -> bool:
        return field in self.rules.of(type_name).visible

    def in_clear(self, type_name: str, field: str) -> bool:
        return field in self.rules.of(type_name).clear

    def require_read(self, type_name: str, field: str) -> None:
        if field not in self.rules.of(type_name).readable:
            raise ForbiddenField(
                f"you may not read {type_name}.{field}", field=f"{type_name}.{field}"
            )

    def may_read(self, type_name: str, field: str) -> bool:
        return field in self.rules.of(type_name).readable

    def require_filter(self, type_name: str, fields: Iterable[str]) -> None:
        allowed = self.rules.of(type_name).filterable
        refused = sorted({f for f in fields if f not in allowed})
        if refused:
            names = [f"{type_name}.{f}" for f in refused]
            raise ForbiddenFilter(f"you may not filter or sort on {', '.join(names)}", fields=names)

    def require_write(self, type_name: str, attributes: Iterable[str]) -> None:
        rules = self.rules.of(type_name)
        refused = sorted(
            f"{type_name}.{rules.names[a]}"
            for a in set(attributes)
            if a in rules.names and a not in rules.writable
        )
        if refused:
            raise Forbidden(f"you may not write {', '.join(refused)}", fields=refused)
