"""Policy lines that change nothing, and why.

A line can be valid and still do nothing: ``p, marketer, Customer.email, read,
mask`` under a deny that marketers inherit from ``pii_restricted`` (deny > mask),
an allow the role already has, a row scope under ``none``. Such a line usually
means its author expected something else, so a change that adds one is applied
but answered with a warning that names the line and what overrides it.

A line has no effect when the compiled plan (``policies.compiled``) of every role
set that includes its role, directly or through ``g`` inheritance, is the same
with and without it. Checking the role alone suffices for most of that: a role
set that includes the role holds every rule the role holds (plans fold rules by
precedence, scopes by union), so a line overridden for the role is overridden for
all of them. The exception is a line that restates the default: ``deny`` on a
field the role is not granted changes nothing for the role alone, yet wins over
another role's ``allow`` in a set with both. So each line is compiled for its
role alone and for its role together with a role allowed everything, which a
line only leaves unchanged when the role's own rules already decide its fields
at least as strongly.

Only the lines a role's plan can depend on are compiled (its own and its
ancestors' lines), over the fields the line can touch, so checking a whole file
stays fast.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from typing import Any, Final

from policies.compiled import CompiledPolicy, FieldPlan
from policies.enforcer import build_enforcer
from policies.language import (
    ACTIONS,
    GROUPING,
    PERMISSION,
    PRECEDENCE,
    SCOPE,
    UNRESTRICTED,
    Decision,
    field_match,
)
from policies.lines import PolicyLine

# Stands for any other role a principal may carry; a name no policy line can
# spell (role names are single CSV cells without brackets and spaces in practice,
# and the name is checked against the policy anyway).
_ANY_OTHER_ROLE: Final = "(any other role)"
_MAX_REASONS: Final = 3


@dataclass(frozen=True, slots=True)
class NoEffect:
    """A line that changes no plan, and what already decides what it would."""

    line: PolicyLine
    reason: str

    def __str__(self) -> str:
        return f"{self.line} has no effect: {self.reason}"


def no_effect(
    lines: Sequence[PolicyLine],
    candidates: Sequence[PolicyLine],
    known_fields: Collection[str],
) -> list[NoEffect]:
    """Those of ``candidates`` (elements of the valid policy ``lines``) without effect."""
    out = []
    for line in candidates:
        if line.ptype not in (PERMISSION, SCOPE, GROUPING) or not line.values:
            continue
        role = line.values[0]
        relevant = _relevant(lines, role)
        without = [other for other in relevant if other is not line]
        fields = _fields_touched(line, known_fields)
        if _same_plans(relevant, without, role, fields):
            out.append(NoEffect(line, _reason(line, without, fields)))
    return out


def _relevant(lines: Sequence[PolicyLine], role: str) -> list[PolicyLine]:
    """The lines ``role``'s plan depends on: those of the role and its ancestors."""
    parents: dict[str, list[str]] = {}
    for line in lines:
        if line.ptype == GROUPING and len(line.values) >= 2:
            parents.setdefault(line.values[0], []).append(line.values[1])
    ancestry, stack = {role}, [role]
    while stack:
        for parent in parents.get(stack.pop(), ()):
            if parent not in ancestry:
                ancestry.add(parent)
                stack.append(parent)
    return [line for line in lines if line.values and line.values[0] in ancestry]


def _fields_touched(line: PolicyLine, known_fields: Collection[str]) -> frozenset[str]:
    """The fields whose decisions ``line`` can change: those its object matches for a
    permission, none for a row scope (it changes scopes only), all for inheritance."""
    if line.ptype == PERMISSION:
        return frozenset(f for f in known_fields if field_match(f, line.values[1]))
    if line.ptype == SCOPE:
        return frozenset()
    return frozenset(known_fields)


def _same_plans(
    with_line: Sequence[PolicyLine],
    without: Sequence[PolicyLine],
    role: str,
    fields: frozenset[str],
) -> bool:
    others = [
        PolicyLine(0, PERMISSION, (_ANY_OTHER_ROLE, "*.*", action, Decision.ALLOW.value))
        for action in sorted(ACTIONS)
    ]
    before = CompiledPolicy(build_enforcer([*without, *others]), fields, "without")
    after = CompiledPolicy(build_enforcer([*with_line, *others]), fields, "with")
    return all(
        _essence(before.plan(roles)) == _essence(after.plan(roles))
        for roles in ({role}, {role, _ANY_OTHER_ROLE})
    )


def _essence(plan: FieldPlan) -> tuple[dict[str, Any], frozenset[str]]:
    """What a plan decides, without its version."""
    decisions = {
        action: {t: dict(fields) for t, fields in per_type.items()}
        for action, per_type in plan.decisions.items()
    }
    return decisions, plan.row_scopes


def _reason(line: PolicyLine, without: Sequence[PolicyLine], fields: frozenset[str]) -> str:
    role = line.values[0]
    if line.ptype == PERMISSION:
        return _permission_reason(line, without, fields)
    if line.ptype == SCOPE:
        rules = _implicit(without, SCOPE, role)
        covering = [r for r in rules if r[1] in (line.values[1], UNRESTRICTED)]
        holder, scope = min(covering, key=lambda r: r[1] != line.values[1])
        every = " (every row)" if scope == UNRESTRICTED else ""
        return _held(role, holder, f"the row scope {scope}{every}")
    parent = line.values[1]
    if parent in _ancestors(without, role):
        return f"{role} already inherits from {parent}"
    return f"everything {parent} grants {role} already has, or is overridden by what {role} has"


def _permission_reason(
    line: PolicyLine, without: Sequence[PolicyLine], fields: frozenset[str]
) -> str:
    role, obj, action, effect = line.values
    if not fields:
        return f"{obj} matches no field"
    strength = PRECEDENCE.index(Decision(effect))
    rules = sorted(
        (r for r in _implicit(without, PERMISSION, role) if r[2] == action),
        key=lambda r: PRECEDENCE.index(Decision(r[3])),
    )
    deciding: dict[tuple[str, ...], None] = {}  # ordered, without repeats
    for name in sorted(fields):
        rule = next((r for r in rules if field_match(name, r[1])), None)
        if rule is not None and PRECEDENCE.index(Decision(rule[3])) <= strength:
            deciding[tuple(rule)] = None
    reasons = [_held(role, r[0], f"{_article(r[3])} on {r[1]}") for r in deciding]
    if len(reasons) > _MAX_REASONS:
        more = len(reasons) - _MAX_REASONS
        reasons = [*reasons[:_MAX_REASONS], f"and {more} more"]
    return "; ".join(reasons)


def _implicit(lines: Sequence[PolicyLine], ptype: str, role: str) -> list[list[str]]:
    """The ``ptype`` rules ``role`` holds, each under the role that states it."""
    enforcer = build_enforcer(lines)
    return [list(rule) for rule in enforcer.get_named_implicit_permissions_for_user(ptype, role)]


def _ancestors(lines: Sequence[PolicyLine], role: str) -> set[str]:
    return {line.values[0] for line in _relevant(lines, role)} - {role}


def _held(role: str, holder: str, what: str) -> str:
    if holder == role:
        return f"{role} already has {what}"
    return f"{role} inherits {what} from {holder}"


def _article(effect: str) -> str:
    return {"allow": "an allow", "mask": "a mask", "deny": "a deny"}[effect]
