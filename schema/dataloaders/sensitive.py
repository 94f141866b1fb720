"""Noting the sensitive fields a request reads, for the audit trail.

Called once per list (a page, a household's members, referrals), with the list's
look-ahead selection: the cost is a few set lookups per list, never per object.
A selected field counts when the caller's policy shows it in clear; masked or
denied fields are not sensitive reads. A field used to filter or order rows counts
whatever the read decision: the answer reveals it exactly (``note_criteria``).
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from typing import Final

from policies.audit.reads import Use
from policies.sensitive import SENSITIVE_BY_TYPE, SENSITIVE_FIELDS
from schema.context import Context
from schema.dataloaders.lookahead import Selection

_CUSTOMER: Final = tuple((f, f"Customer.{f}") for f in SENSITIVE_BY_TYPE.get("Customer", ()))
_HOLDING: Final = tuple((f, f"Holding.{f}") for f in SENSITIVE_BY_TYPE.get("Holding", ()))
_HOUSEHOLD: Final = tuple((f, f"Household.{f}") for f in SENSITIVE_BY_TYPE.get("Household", ()))


def note_customers(ctx: Context, sel: Selection, pks: Sequence[int]) -> None:
    """Note the sensitive fields ``sel`` reads in clear of the customers ``pks``."""
    policy = ctx.policy
    paths = [path for f, path in _CUSTOMER if f in sel and policy.in_clear("Customer", f)]
    if "holdings" in sel:
        held = sel.at("holdings")
        paths += [path for f, path in _HOLDING if f in held and policy.in_clear("Holding", f)]
    if paths:
        ctx.audit.note(paths, pks)


def household_reads(ctx: Context, sel: Selection) -> list[str]:
    """The sensitive household fields ``sel`` reads in clear (a household's AUM sums its
    visible members' holdings, so it is read of those members)."""
    policy = ctx.policy
    return [path for f, path in _HOUSEHOLD if f in sel and policy.in_clear("Household", f)]


def note_households(ctx: Context, paths: Sequence[str], member_pks: Sequence[int]) -> None:
    """Note ``paths`` (from ``household_reads``) as read of the members ``member_pks``."""
    if paths:
        ctx.audit.note(paths, member_pks)


def note_criteria(
    ctx: Context, type_name: str, fields: Collection[str], use: Use, pks: Sequence[int]
) -> None:
    """Note the sensitive ``fields`` of ``type_name`` (GraphQL names) that selected
    (``filter``) or ordered (``order``) the rows ``pks`` returned, none included."""
    paths = [f"{type_name}.{f}" for f in sorted(fields)]
    ctx.audit.note_use([p for p in paths if p in SENSITIVE_FIELDS], use, pks)
