"""The caller's rights over ``Type.field`` names, as the tag language writes them.

Rules and tag inputs name fields by GraphQL type and field (``Customer.aum``); these
predicates answer from the request's compiled plan (``schema.plan_policy``), never
per row.
"""

from __future__ import annotations

from collections.abc import Callable

from cdp.errors import ForbiddenFilter
from schema.permissions import FieldPolicy


def may_filter(policy: FieldPolicy) -> Callable[[str], bool]:
    """Whether the caller may filter on a ``Type.field``."""

    def answer(name: str) -> bool:
        type_name, _, field = name.partition(".")
        try:
            policy.require_filter(type_name, [field])
        except ForbiddenFilter:
            return False
        return True

    return answer


def reads_in_clear(policy: FieldPolicy) -> Callable[[str], bool]:
    """Whether the caller reads a ``Type.field`` unmasked."""

    def answer(name: str) -> bool:
        type_name, _, field = name.partition(".")
        return policy.in_clear(type_name, field)

    return answer
