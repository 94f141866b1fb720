"""Households: members with relations, consolidated holdings, tier, and what the family lacks."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import numpy as np

from cdp.errors import NotFound
from graph.core import CATEGORIES, Core
from graph.crosssell.profiles import Profile
from graph.crosssell.service import allowed

CATEGORY_NAMES = {
    "deposit": "存款",
    "wealth_management": "理财",
    "mutual_fund": "基金",
    "insurance": "保险",
    "trust": "信托",
    "bond": "债券",
    "private_fund": "私募",
}
TIER_NAMES = ("mass", "potential", "high_net_worth")


@dataclass(frozen=True)
class Member:
    customer_id: int
    relation: str
    aum: float


@dataclass(frozen=True)
class HouseholdView:
    household_id: int
    members: list[Member]
    aum: float
    tier: str
    by_category: dict[str, float]  # consolidated market value per product category


@dataclass(frozen=True)
class Gap:
    category: str
    text: str  # "家庭未持有保险"
    product_id: int | None  # the best offer in it for the customer asking, if any
    product_code: str | None


def view(core: Core, household_id: int, potential: float, hnw: float) -> HouseholdView:
    ids = core.members_of(household_id)
    if not ids:
        raise NotFound(f"no household {household_id} in the graph")
    members, totals = [], np.zeros(len(CATEGORIES))
    for cid in ids:
        held = core.held(cid)
        mine = core.household_of(cid)
        members.append(Member(cid, mine[1] if mine else "other", sum(held.values())))
        for j, value in held.items():
            totals[core.products.category[j]] += value
    aum = float(totals.sum())
    tier = TIER_NAMES[int(aum >= potential) + int(aum >= hnw)]
    by_category = {CATEGORIES[k]: float(v) for k, v in enumerate(totals) if v > 0}
    members.sort(key=lambda m: (m.relation != "self", m.customer_id))
    return HouseholdView(household_id, members, aum, tier, by_category)


def gaps(core: Core, household: HouseholdView, profile: Profile, today: date) -> list[Gap]:
    """Categories no member holds, each with the most-held product ``profile`` may be offered."""
    held = core.held(profile.customer_id)
    mask = allowed(core, profile, held, today)
    out = []
    for k, category in enumerate(CATEGORIES):
        if category in household.by_category:
            continue
        candidates = np.flatnonzero(mask & (np.asarray(core.products.category) == k))
        best = None
        if len(candidates):
            best = int(candidates[np.lexsort((candidates, -core.holders[candidates]))[0]])
        out.append(
            Gap(
                category,
                f"家庭未持有{CATEGORY_NAMES[category]}",
                int(core.products.ids[best]) if best is not None else None,
                core.products.codes[best] if best is not None else None,
            )
        )
    return out
