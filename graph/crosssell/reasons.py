"""Reasons in words and numbers, each marked with the fields it reveals.

A reason is shown only to a caller who may read every field it reveals: "配偶持有
X" tells the reader a household member's holding, so it is marked with the
household and holding fields of another customer; "持有 A 的客户中 42% 也持有 B"
tells only an aggregate and the customer's own holding. The GraphQL layer passes
the caller's readable fields to ``signals_for`` and ranks with the signals left,
so neither a reason nor the order of the list gives away what the caller may not
read.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

HOUSEHOLD = "household"
CO_HOLDING = "co_holding"
SIMILAR = "similar_customers"
SIGNALS = (HOUSEHOLD, CO_HOLDING, SIMILAR)

REVEALS: dict[str, frozenset[str]] = {
    HOUSEHOLD: frozenset(
        {
            "Customer.household",
            "Household.members",
            "HouseholdMember.relation",
            "HouseholdMember.customer",
            "Customer.holdings",
            "Holding.product",
        }
    ),
    CO_HOLDING: frozenset({"Customer.holdings", "Holding.product"}),
    SIMILAR: frozenset({"Customer.riskLevel", "Customer.tier"}),
}

MIN_GROUP = 20  # an aggregate over fewer customers is not quoted

_KIN_OF_HEAD = {"spouse": "配偶", "child": "子女", "parent": "父母", "sibling": "兄弟姐妹"}
_HEAD_FOR = {"spouse": "配偶", "child": "父母", "parent": "子女", "sibling": "兄弟姐妹"}


@dataclass(frozen=True)
class Reason:
    kind: str
    text: str
    numbers: dict[str, float] = field(default_factory=dict)
    reveals: frozenset[str] = frozenset()


def signals_for(may_read: Callable[[str], bool]) -> frozenset[str]:
    """The signals whose every revealed field the caller may read."""
    return frozenset(s for s in SIGNALS if all(may_read(f) for f in REVEALS[s]))


def kinship(mine: str, theirs: str) -> str:
    """What the other member is to the customer, from both relations to the head."""
    if mine == "self":
        return _KIN_OF_HEAD.get(theirs, "家庭成员")
    if theirs == "self":
        return _HEAD_FOR.get(mine, "家庭成员")
    if {mine, theirs} == {"spouse", "child"}:
        return "子女" if theirs == "child" else "父母"
    return "家庭成员"


def household(kin: str, product: str, holders: int) -> Reason:
    text_ = f"{kin}持有{product}" if holders == 1 else f"{kin}等{holders}位家庭成员持有{product}"
    return Reason(HOUSEHOLD, text_, {"members": float(holders)}, REVEALS[HOUSEHOLD])


def co_holding(held: str, product: str, share: float, group: int) -> Reason:
    return Reason(
        CO_HOLDING,
        f"持有{held}的客户中{round(share * 100)}%也持有{product}",
        {"share": round(share, 4), "group": float(group)},
        REVEALS[CO_HOLDING],
    )


def similar(product: str, share: float, group: int) -> Reason:
    return Reason(
        SIMILAR,
        f"同风险等级、同资产层级的客户中{round(share * 100)}%持有{product}",
        {"share": round(share, 4), "group": float(group)},
        REVEALS[SIMILAR],
    )
