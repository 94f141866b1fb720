"""Field-permission administration: reading and changing the policy (admins only).

Lines are written exactly as in ``policies/policy.csv`` (``p, advisor,
Customer.phone, read, allow``; ``p2, advisor, own_customers``; ``g, advisor,
customer_360``), so a change can be tried with ``cdp policy check`` first and
copied from the permission matrix. One ``updatePolicy`` takes both the lines to
add and those to remove: replacing ``allow`` by ``mask`` is one atomic change,
never a moment with neither line. Every process picks the change up within a
second (``policies.watcher``).

Fields are checked against this schema's own fields (plus the planned ones), so a
policy can never name a field the API does not have. An added line that changes
no role's plan (a mask under an inherited deny) is applied all the same, but the
answer's ``warnings`` say which and why (``policies.no_effect``).
"""

from __future__ import annotations

from functools import lru_cache
from typing import Annotated

import strawberry
from strawberry.schema.base import BaseSchema

from cdp.db.engine import finish_then_cancel
from cdp.errors import Forbidden, InvalidInput
from policies.known_fields import PLANNED_FIELDS, sdl_fields
from policies.lines import PolicyLine, parse_policy, policy_version
from policies.no_effect import no_effect
from policies.pg_store import PgPolicyStore, PolicyChange, stored_lines
from schema.types.info import Info

ADMIN_ROLE = "admin"


def policy_fields(schema: BaseSchema) -> frozenset[str]:
    """The ``Type.field`` names a policy may govern in ``schema``."""
    return _fields(schema.as_str())


@lru_cache(maxsize=4)
def _fields(sdl: str) -> frozenset[str]:
    return sdl_fields(sdl) | PLANNED_FIELDS


@strawberry.type(description="The field-permission policy in force.")
class Policy:
    version: str = strawberry.field(
        description="Changes whenever a line changes, and only then (a hash of the lines)."
    )
    lines: list[str] = strawberry.field(
        description="The lines in the order they were added, in the policy.csv format."
    )


@strawberry.type(
    description="The policy in force after a change, with warnings about the lines it added."
)
class PolicyUpdate(Policy):
    warnings: list[str] = strawberry.field(
        description="Added lines that change nothing, each with what already decides it "
        "(`p, marketer, Customer.email, read, mask has no effect: marketer inherits a deny "
        "on Customer.email from pii_restricted`). The change is applied regardless."
    )


def _require_admin(info: Info) -> None:
    if ADMIN_ROLE not in info.context.principal.roles:
        raise Forbidden("only administrators may read or change the policy")


def _parse(texts: list[str], argument: str) -> list[PolicyLine]:
    lines = []
    for text in texts:
        parsed = parse_policy(text)
        if len(parsed) != 1 or "\n" in text.strip():
            raise InvalidInput(
                f"{argument}: expected one policy line, got {text!r}", field=argument
            )
        lines.append(parsed[0])
    return lines


async def _policy(store: PgPolicyStore) -> Policy:
    lines = await store.load()
    return Policy(version=store.version or "", lines=[str(line) for line in lines])


PolicyLines = Annotated[
    list[str] | None,
    strawberry.argument(description="Lines such as `p, advisor, Customer.phone, read, mask`."),
]


@strawberry.type
class PolicyQueryMixin:
    @strawberry.field(description="The field-permission policy (administrators only).")
    async def policy(self, info: Info) -> Policy:
        _require_admin(info)
        ctx = info.context

        # On the request's session, like every other read field, not a second one
        # beside it: sibling fields run concurrently, and a second session would
        # take a second pooled connection (or, on a shared connection, interleave
        # its savepoints with the request's). Run to the end if a sibling fails.
        async def work() -> list[PolicyLine]:
            async with ctx.lock:
                return await stored_lines(ctx.session)

        lines = await finish_then_cancel(work())
        return Policy(version=policy_version(lines), lines=[str(line) for line in lines])


@strawberry.type
class PolicyMutationMixin:
    @strawberry.mutation(
        description="Add and remove policy lines in one transaction (administrators only). "
        "Roles are assigned and unassigned with `g, <role>, <parent role>` lines. The whole "
        "resulting policy is validated first: an unknown Type.field, role or row scope, or "
        "removing a line the policy does not have, is BAD_USER_INPUT and changes nothing. "
        "Every API process enforces the new policy within a second. Added lines that change "
        "nothing are applied and reported in `warnings`."
    )
    async def update_policy(
        self, info: Info, add: PolicyLines = None, remove: PolicyLines = None
    ) -> PolicyUpdate:
        _require_admin(info)
        change = PolicyChange(add=_parse(add or [], "add"), remove=_parse(remove or [], "remove"))
        if not change.add and not change.remove:
            raise InvalidInput("nothing to change: give lines to add or to remove")
        store = PgPolicyStore(info.context.db)
        fields = policy_fields(info.schema)
        applied = await store.apply_change(change, fields)
        warnings = [str(found) for found in no_effect(applied.lines, applied.added, fields)]
        policy = await _policy(store)
        return PolicyUpdate(version=policy.version, lines=policy.lines, warnings=warnings)
