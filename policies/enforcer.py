"""Building a Casbin enforcer from policy lines.

The enforcer is the reference semantics of the policy (model.conf plus the lines)
and the compiler's only source of decisions; the API never calls it per field or
per row (``policies.compiled`` asks it once per role, field, action and effect and
keeps the answers). Lines are added in memory rather than through a Casbin
adapter, so any ``CasbinPolicyStore`` can feed it.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from typing import Any

import casbin

from policies.language import GROUPING, PERMISSION, SCOPE, field_match
from policies.lines import MODEL_PATH, PolicyLine
from policies.validation import validate


def build_enforcer(lines: Sequence[PolicyLine], known_fields: Collection[str] | None = None) -> Any:
    """A ``casbin.Enforcer`` holding ``lines``, checked first when ``known_fields`` is
    given (raises ``InvalidInput`` naming each bad line)."""
    if known_fields is not None:
        validate(lines, known_fields)
    enforcer = casbin.Enforcer(str(MODEL_PATH))
    enforcer.add_function("fieldMatch", field_match)
    for ptype in (PERMISSION, SCOPE):
        rules = [list(line.values) for line in lines if line.ptype == ptype]
        if rules:
            enforcer.add_named_policies(ptype, rules)
    groupings = [list(line.values) for line in lines if line.ptype == GROUPING]
    if groupings:
        enforcer.add_named_grouping_policies(GROUPING, groupings)
    return enforcer
