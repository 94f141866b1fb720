"""Noting the sensitive fields a list of customers is read with, for the audit trail.

Called once per list of customers (a page, a household's members, referrals), with
the list's look-ahead selection: the cost is a few set lookups per list, never
per customer. A field counts when the query selects it and the caller's policy
shows it in clear; masked or denied fields are not sensitive reads.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Final

from policies.sensitive import SENSITIVE_BY_TYPE
from schema.context import Context
from schema.dataloaders.lookahead import Selection

_CUSTOMER: Final = tuple((f, f"Customer.{f}") for f in SENSITIVE_BY_TYPE.get("Customer", ()))
_HOLDING: Final = tuple((f, f"Holding.{f}") for f in SENSITIVE_BY_TYPE.get("Holding", ()))


def note_customers(ctx: Context, sel: Selection, pks: Sequence[int]) -> None:
    """Note the sensitive fields ``sel`` reads in clear of the customers ``pks``."""
    policy = ctx.policy
    paths = [path for f, path in _CUSTOMER if f in sel and policy.in_clear("Customer", f)]
    if "holdings" in sel:
        held = sel.at("holdings")
        paths += [path for f, path in _HOLDING if f in held and policy.in_clear("Holding", f)]
    if paths:
        ctx.audit.note(paths, pks)
