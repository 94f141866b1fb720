"""The vocabulary of the policy language: actions, effects, row scopes, matching.

Objects are GraphQL fields written ``Type.field``; either half may be ``*``
(``Customer.*`` is every field of Customer, ``*.*`` every field of every type,
``*.id`` the ``id`` of every type). Actions say what the caller does with a field:

* ``read`` — see its value in a response;
* ``filter`` — use it to select or order rows: filters, ordering, tag rules and
  segments. Kept apart from ``read`` because filtering on a field one cannot see
  still reveals it (ask for ``phone = 13800138000`` and count the rows);
* ``write`` — set it through a mutation.

Effects are ``allow``, ``mask`` (read only: the value is shown through its masking
function) and ``deny``. Precedence: deny > mask > allow, and a field no line
grants is denied.

Row scopes name which customers a role sees at all; the API maps each name to a
predicate: ``none`` (no restriction), ``own_customers`` (customers assigned to
the calling advisor) and ``partner_sharing_consent`` (customers who granted the
``partner_sharing`` consent). A role set sees the union of its roles' scopes; a
role set without any scope sees no customers.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Final

ACTIONS: Final = frozenset({"read", "filter", "write"})
EFFECTS: Final = frozenset({"allow", "mask", "deny"})
MASKABLE_ACTIONS: Final = frozenset({"read"})

UNRESTRICTED: Final = "none"
ROW_SCOPES: Final = frozenset({UNRESTRICTED, "own_customers", "partner_sharing_consent"})

# The line kinds of model.conf: field permissions, row scopes, role inheritance.
PERMISSION: Final = "p"
SCOPE: Final = "p2"
GROUPING: Final = "g"
ARITY: Final = {PERMISSION: 4, SCOPE: 2, GROUPING: 2}

WILDCARD: Final = "*"


class Decision(StrEnum):
    """What a caller gets for one field and action, strongest first."""

    DENY = "deny"
    MASK = "mask"
    ALLOW = "allow"


# The order in which the compiler asks Casbin: the first effect that applies wins.
PRECEDENCE: Final = (Decision.DENY, Decision.MASK, Decision.ALLOW)


def field_match(requested: str, pattern: str) -> bool:
    """Whether the field ``requested`` (``Customer.phone``) is covered by ``pattern``
    (``Customer.phone``, ``Customer.*``, ``*.phone`` or ``*.*``).

    Registered in the enforcer as ``fieldMatch``. Casbin's ``keyMatch`` would read
    ``*.name`` as "everything", so the halves are compared separately.
    """
    r_type, _, r_field = requested.partition(".")
    p_type, _, p_field = pattern.partition(".")
    return p_type in (WILDCARD, r_type) and p_field in (WILDCARD, r_field)
