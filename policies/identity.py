"""Fields that together identify a person are decided together.

A mask protects a value only if the rest of what the same reader sees does not
give it back. The ID number is the case that matters: 18 characters of region
(6), birth date (8), sequence (3) and a check character computed from the other
17. Its mask keeps the first and last character (``policies.masking``); the
sequence digits appear nowhere else. The birth date does: it *is* characters
7–14. So a role that reads ``Customer.idNumber`` masked must not read
``Customer.birthDate`` in clear, nor filter on either (a filter answers "is it
this value?" as surely as a read, so it would confirm a guess).

The rule is checked by ``policies.validation.lint`` for every set of roles a
caller may hold, not only for each role alone: one role may mask the ID number and
another, held by the same caller, show the birth date. Since deny > mask > allow,
checking every pair of roles is enough (see ``problems``). The default policy
bundles the decisions in one base role, ``id_number_masked``, whose explicit mask
and deny lines no other role can override.

What such a role may still read in clear, and why that is safe with the mask:

* ``age`` gives the birth year to within two years (about 730 possible dates);
* ``city`` / ``province`` narrow the region code to the city's districts;
* ``gender`` gives the parity of the 17th character;
* ``name`` and ``phone`` encode nothing of the number.

Together they leave two sequence digits entirely unknown, five values of the
third and hundreds of dates: tens of thousands of valid numbers per district
(the check character only divides by 11). ``tests/schema/permissions/test_id_rebuild.py``
runs that attack through the API for every role.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from typing import Final

from policies.language import GROUPING, PERMISSION, PRECEDENCE, Decision, field_match
from policies.lines import PolicyLine

ID_NUMBER: Final = "Customer.idNumber"

# What a role set that reads the ID number masked must not be allowed.
COMPONENTS: Final = (
    ("Customer.birthDate", "read", "the birth date is characters 7-14 of the ID number"),
    ("Customer.birthDate", "filter", "a birth-date filter confirms characters 7-14"),
    ("Customer.idNumber", "filter", "an ID-number filter confirms a guessed number"),
)


def _ancestry(lines: Sequence[PolicyLine]) -> dict[str, set[str]]:
    """Each role with itself and every role it inherits, directly or not."""
    parents: dict[str, set[str]] = defaultdict(set)
    for line in lines:
        if line.ptype == GROUPING and len(line.values) == 2:
            parents[line.values[0]].add(line.values[1])
    out: dict[str, set[str]] = {}
    for role in {ln.values[0] for ln in lines if ln.values}:
        seen, stack = {role}, [role]
        while stack:
            for parent in parents.get(stack.pop(), ()):
                if parent not in seen:
                    seen.add(parent)
                    stack.append(parent)
        out[role] = seen
    return out


_Key = tuple[str, str]  # (field, action)
_KEYS: Final[tuple[_Key, ...]] = ((ID_NUMBER, "read"), *((n, a) for n, a, _ in COMPONENTS))


def _effects(rules: Iterable[tuple[str, str, str]]) -> dict[_Key, frozenset[str]]:
    """The effects ``rules`` give each field and action the rule looks at."""
    rules = list(rules)
    return {
        (name, action): frozenset(
            effect for obj, act, effect in rules if act == action and field_match(name, obj)
        )
        for name, action in _KEYS
    }


def _decide(effects: frozenset[str]) -> Decision:
    """deny > mask > allow; none is deny (the fold of ``policies.compiled``)."""
    return next((d for d in PRECEDENCE if d.value in effects), Decision.DENY)


def problems(lines: Sequence[PolicyLine]) -> list[tuple[int, str]]:
    """``(line number, message)`` for every role, or pair of roles, that reads the ID
    number masked and a part of it in clear (see the module doc); the line is the
    first that names the (first) role.

    Pairs are enough: if a set of roles reads the number masked (some role masks it,
    none denies it) and a part in clear (some role allows it, none masks or denies
    it), the two roles that mask and allow form a pair for which both still hold.
    Each role's effects are gathered once, so a pair costs a few set unions.
    """
    rules: dict[str, list[tuple[str, str, str]]] = defaultdict(list)
    first: dict[str, int] = {}
    for line in lines:
        if line.values:
            first.setdefault(line.values[0], line.number)
        if line.ptype == PERMISSION and len(line.values) == 4:
            role, obj, action, effect = line.values
            rules[role].append((obj, action, effect))
    ancestry = _ancestry(lines)
    held = {
        role: _effects(x for r in roles for x in rules.get(r, ()))
        for role, roles in ancestry.items()
    }
    roles = sorted(ancestry)
    alone = {role: _leaks(held[role]) for role in roles}
    found = [
        (first[role], _message(f"role {role!r} reads", part))
        for role in roles
        for part in alone[role]
    ]
    # A pair is reported only for what neither of its roles leaks alone.
    for i, one in enumerate(roles):
        for other in roles[i + 1 :]:
            both = {key: held[one][key] | held[other][key] for key in _KEYS}
            for part in _leaks(both):
                if part in alone[one] or part in alone[other]:
                    continue
                who = f"roles {one!r} and {other!r} together read"
                found.append((first[one], _message(who, part)))
    return found


def _leaks(effects: dict[_Key, frozenset[str]]) -> list[tuple[str, str, str]]:
    """The components allowed while the ID number is masked, in order."""
    if _decide(effects[ID_NUMBER, "read"]) is not Decision.MASK:
        return []
    return [part for part in COMPONENTS if _decide(effects[part[0], part[1]]) is Decision.ALLOW]


def _message(who: str, part: tuple[str, str, str]) -> str:
    name, action, why = part
    verb = "read" if action == "read" else "filter on"
    return (
        f"{who} {ID_NUMBER} masked but may {verb} {name} ({why}); "
        "mask or deny it wherever the ID number is masked"
    )
