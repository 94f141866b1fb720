"""Checking policy lines before they are used.

A policy is data that people edit (a file today, rows through an admin API next),
and Casbin accepts almost anything: a misspelt field or role simply never matches,
which under "absence means deny" silently hides data, and under an allow on a
wildcard silently shows it. So every line is checked against the fields the API
has (``known_fields``, ``Type.field`` strings passed in by the schema layer — this
package never imports it) and against the language in ``policies.language``.
Each problem names the line number, so ``cdp policy check`` output can be acted on.
Beyond single lines, fields that together identify a person are checked as one
decision (``policies.identity``): a role that masks the ID number must not read
its birth-date digits in clear.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Sequence
from dataclasses import dataclass

from cdp.errors import InvalidInput
from policies import identity
from policies.language import (
    ACTIONS,
    ARITY,
    EFFECTS,
    GROUPING,
    MASKABLE_ACTIONS,
    PERMISSION,
    ROW_SCOPES,
    SCOPE,
    WILDCARD,
)
from policies.lines import PolicyLine

# Casbin's default role manager follows at most this many inheritance steps.
MAX_INHERITANCE_DEPTH = 10


@dataclass(frozen=True, slots=True)
class Problem:
    """What is wrong with one line."""

    line: int
    message: str

    def __str__(self) -> str:
        return f"line {self.line}: {self.message}"


def lint(lines: Sequence[PolicyLine], known_fields: Collection[str]) -> list[Problem]:
    """Every problem of ``lines``, in line order; an empty list means the policy is usable."""
    types = {name.partition(".")[0] for name in known_fields}
    fields = {name.partition(".")[2] for name in known_fields}
    problems: list[Problem] = []
    seen: dict[str, int] = {}
    for line in lines:
        arity = ARITY.get(line.ptype)
        if arity is None:
            kinds = ", ".join(sorted(ARITY))
            problems.append(Problem(line.number, f"unknown line kind {line.ptype!r} ({kinds})"))
            continue
        if len(line.values) != arity or not all(line.values):
            problems.append(
                Problem(line.number, f"a {line.ptype!r} line has {arity} non-empty values")
            )
            continue
        if str(line) in seen:
            problems.append(Problem(line.number, f"repeats line {seen[str(line)]}"))
        seen.setdefault(str(line), line.number)
        if line.ptype == PERMISSION:
            problems += _permission(line, known_fields, types, fields)
        elif line.ptype == SCOPE and line.values[1] not in ROW_SCOPES:
            known = ", ".join(sorted(ROW_SCOPES))
            problems.append(Problem(line.number, f"unknown row scope {line.values[1]!r} ({known})"))
    problems += _roles(lines)
    problems += [Problem(number, message) for number, message in identity.problems(lines)]
    return sorted(problems, key=lambda p: p.line)


def validate(lines: Sequence[PolicyLine], known_fields: Collection[str]) -> None:
    """Raise ``InvalidInput`` listing every problem, or return when there is none."""
    problems = lint(lines, known_fields)
    if problems:
        raise InvalidInput(
            "invalid policy: " + "; ".join(str(p) for p in problems),
            problems=[{"line": p.line, "message": p.message} for p in problems],
        )


def _permission(
    line: PolicyLine, known_fields: Collection[str], types: set[str], fields: set[str]
) -> list[Problem]:
    _, obj, action, effect = line.values
    problems = []
    type_name, dot, field = obj.partition(".")
    if not dot or not type_name or not field:
        problems.append(Problem(line.number, f"object {obj!r} is not Type.field"))
    elif type_name != WILDCARD and type_name not in types:
        problems.append(Problem(line.number, f"unknown type {type_name!r} in {obj!r}"))
    elif field != WILDCARD and type_name == WILDCARD and field not in fields:
        problems.append(Problem(line.number, f"no type has a field {field!r}"))
    elif WILDCARD not in (type_name, field) and obj not in known_fields:
        problems.append(Problem(line.number, f"unknown field {field!r} of {type_name}"))
    if action not in ACTIONS:
        known = ", ".join(sorted(ACTIONS))
        problems.append(Problem(line.number, f"unknown action {action!r} ({known})"))
    if effect not in EFFECTS:
        known = ", ".join(sorted(EFFECTS))
        problems.append(Problem(line.number, f"unknown effect {effect!r} ({known})"))
    elif effect == "mask" and action in ACTIONS and action not in MASKABLE_ACTIONS:
        problems.append(Problem(line.number, f"mask applies to read, not to {action!r}"))
    return problems


def _roles(lines: Sequence[PolicyLine]) -> list[Problem]:
    """Grouping lines must name a defined parent and must not form a cycle."""
    groupings = [ln for ln in lines if ln.ptype == GROUPING and len(ln.values) == 2]
    defined = {ln.values[0] for ln in lines if ln.ptype in (PERMISSION, SCOPE) and ln.values}
    defined |= {ln.values[0] for ln in groupings}
    parents: dict[str, list[tuple[str, int]]] = defaultdict(list)
    problems = []
    for line in groupings:
        child, parent = line.values
        if parent not in defined:
            problems.append(Problem(line.number, f"unknown role {parent!r}: no line defines it"))
        parents[child].append((parent, line.number))
    cycles = []
    for line in groupings:
        child, parent = line.values
        path = _path(parent, child, parents)
        if path is not None:
            cycle = " -> ".join([child, *path])
            cycles.append(Problem(line.number, f"role inheritance cycle: {cycle}"))
    if cycles:
        return problems + cycles
    for line in groupings:
        if _depth(line.values[0], parents) > MAX_INHERITANCE_DEPTH:
            message = f"inheritance deeper than {MAX_INHERITANCE_DEPTH} levels"
            problems.append(Problem(line.number, message))
    return problems


def _path(start: str, goal: str, parents: dict[str, list[tuple[str, int]]]) -> list[str] | None:
    """The inheritance path from ``start`` up to ``goal``, if there is one."""
    stack = [(start, [start])]
    visited = set()
    while stack:
        role, path = stack.pop()
        if role == goal:
            return path
        if role in visited:
            continue
        visited.add(role)
        stack += [(parent, [*path, parent]) for parent, _ in parents.get(role, ())]
    return None


def _depth(role: str, parents: dict[str, list[tuple[str, int]]]) -> int:
    """The longest inheritance chain above ``role`` (called only when acyclic)."""
    return max((1 + _depth(parent, parents) for parent, _ in parents.get(role, ())), default=0)
