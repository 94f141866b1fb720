"""Compiled policies: every field decision of a role set as plain dictionaries.

Asking Casbin costs from tens of microseconds to a millisecond per question
(it evaluates the matcher against every line), and a page of 100 customers with
30 fields would ask 3,000 questions. So a policy is compiled once per version:
for a role set, the first request that carries it gets a ``FieldPlan`` — per type,
the decision for every known field and action, the fields to mask with their
masking functions, and the row scopes — and every later request with the same
roles reads the same plan. Deciding a field is then two dictionary lookups.

The enforcer is the source of truth for which lines apply to a role: it resolves
role inheritance (``get_named_implicit_permissions_for_user``); those lines are
matched against each field with the matcher's own ``fieldMatch`` and folded by
precedence deny > mask > allow, absence = deny (see model.conf). A new policy
version means a new ``CompiledPolicy``; plans never outlive their version.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

from policies.enforcer import build_enforcer
from policies.language import (
    ACTIONS,
    PERMISSION,
    PRECEDENCE,
    SCOPE,
    UNRESTRICTED,
    Decision,
    field_match,
)
from policies.lines import PolicyLine, policy_version
from policies.masking import Masker, masker_for

Fields = Mapping[str, frozenset[str]]


@dataclass(frozen=True, slots=True)
class FieldPlan:
    """Everything one role set may do, for one policy version."""

    roles: frozenset[str]
    version: str
    decisions: Mapping[str, Mapping[str, Mapping[str, Decision]]]  # action → type → field
    visible: Fields  # type → fields read in clear or masked
    maskers: Mapping[str, Mapping[str, Masker]]  # type → masked field → its function
    filterable: Fields
    writable: Fields
    row_scopes: frozenset[str]  # union of the roles' scopes; {"none"} is every row

    def decision(self, type_name: str, field: str, action: str = "read") -> Decision:
        """The decision for ``type_name.field``; unknown fields are denied."""
        return self.decisions[action].get(type_name, {}).get(field, Decision.DENY)


class CompiledPolicy:
    """One policy version, compiled lazily per role set and cached."""

    def __init__(self, enforcer: Any, known_fields: Collection[str], version: str) -> None:
        self.enforcer = enforcer
        self.version = version
        types: dict[str, set[str]] = {}
        for name in known_fields:
            type_name, _, field = name.partition(".")
            types.setdefault(type_name, set()).add(field)
        self.types: Mapping[str, frozenset[str]] = {t: frozenset(f) for t, f in types.items()}
        self._plans: dict[frozenset[str], FieldPlan] = {}

    @classmethod
    def from_lines(
        cls, lines: Sequence[PolicyLine], known_fields: Collection[str]
    ) -> CompiledPolicy:
        """Validate ``lines`` (``InvalidInput`` naming each bad line), build the enforcer."""
        enforcer = build_enforcer(lines, known_fields)
        return cls(enforcer, known_fields, policy_version(lines))

    def plan(self, roles: Iterable[str]) -> FieldPlan:
        """The plan of a role set, compiled on first use."""
        key = roles if isinstance(roles, frozenset) else frozenset(roles)
        plan = self._plans.get(key)
        if plan is None:
            plan = self._plans[key] = self._compile(key)
        return plan

    def decision(self, roles: Iterable[str], type_name: str, field: str, action: str) -> Decision:
        """ALLOW, MASK or DENY for ``type_name.field`` — dictionary lookups only."""
        return self.plan(roles).decision(type_name, field, action)

    def row_scopes(self, roles: Iterable[str]) -> frozenset[str]:
        """The row scopes of a role set: ``{"none"}`` for every row, empty for no row."""
        return self.plan(roles).row_scopes

    def _rules(self, ptype: str, roles: frozenset[str]) -> set[tuple[str, ...]]:
        rules: set[tuple[str, ...]] = set()
        for role in sorted(roles):
            implicit = self.enforcer.get_named_implicit_permissions_for_user(ptype, role)
            rules.update(tuple(rule[1:]) for rule in implicit)
        return rules

    def _compile(self, roles: frozenset[str]) -> FieldPlan:
        by_action: dict[str, list[tuple[str, str]]] = {action: [] for action in ACTIONS}
        for obj, action, effect in self._rules(PERMISSION, roles):
            by_action[action].append((obj, effect))
        decisions: dict[str, Mapping[str, Mapping[str, Decision]]] = {}
        for action, rules in by_action.items():
            per_type = {}
            for type_name, fields in self.types.items():
                per_type[type_name] = MappingProxyType(
                    {field: _fold(f"{type_name}.{field}", rules) for field in fields}
                )
            decisions[action] = MappingProxyType(per_type)
        scopes = frozenset(scope for (scope,) in self._rules(SCOPE, roles))
        if UNRESTRICTED in scopes:
            scopes = frozenset({UNRESTRICTED})
        read = decisions["read"]
        return FieldPlan(
            roles=roles,
            version=self.version,
            decisions=MappingProxyType(decisions),
            visible=_where(read, {Decision.ALLOW, Decision.MASK}),
            maskers={
                t: {f: masker_for(t, f) for f, d in fields.items() if d is Decision.MASK}
                for t, fields in read.items()
            },
            filterable=_where(decisions["filter"], {Decision.ALLOW}),
            writable=_where(decisions["write"], {Decision.ALLOW}),
            row_scopes=scopes,
        )


def _fold(name: str, rules: list[tuple[str, str]]) -> Decision:
    """deny > mask > allow over the rules matching ``name``; none matching is deny."""
    effects = {effect for obj, effect in rules if field_match(name, obj)}
    return next((d for d in PRECEDENCE if d.value in effects), Decision.DENY)


def _where(
    decisions: Mapping[str, Mapping[str, Decision]], wanted: set[Decision]
) -> dict[str, frozenset[str]]:
    return {
        t: frozenset(f for f, d in fields.items() if d in wanted) for t, fields in decisions.items()
    }
