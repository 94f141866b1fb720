"""Cross-sell for one customer: score, filter by the hard rules, explain.

Hard filters, applied before ranking so a filtered product never appears:
- the product is on sale;
- suitability: its risk rating is at most what the customer may hold
  (``suitability.max_rating``);
- its minimum investment is within the customer's liquid assets;
- for marketing use, the customer has not withdrawn ``marketing`` consent (then
  nothing is returned at all);
- the customer is active or dormant (not closed or merged).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import numpy as np

from cdp.errors import InvalidInput
from graph.core import Core
from graph.crosssell import reasons as rs
from graph.crosssell.profiles import Profile
from graph.crosssell.reasons import CO_HOLDING, HOUSEHOLD, MIN_GROUP, SIGNALS, SIMILAR, Reason
from graph.crosssell.scoring import DEFAULT_WEIGHTS, Components, Weights, blend, components
from graph.crosssell.suitability import max_rating

MARKETING = "marketing"
ADVICE = "advice"  # an advisor's suggestion to a customer they serve
ALL_SIGNALS = frozenset(SIGNALS)
MAX_FIRST = 50


@dataclass(frozen=True)
class Recommendation:
    product_id: int
    product_code: str
    product_name: str
    score: float
    components: dict[str, float]
    reasons: tuple[Reason, ...]


@dataclass
class CrossSell:
    customer_id: int
    items: list[Recommendation]
    excluded: dict[str, int] = field(default_factory=dict)  # filter → products it removed
    withheld: str | None = None  # why nothing at all is offered


def allowed(core: Core, profile: Profile, held: dict[int, float], today: date) -> np.ndarray:
    """Mask of the shelf the customer may be offered (not held, on sale, suitable, affordable)."""
    return _filters(core, profile, held, today)[0]


def _filters(
    core: Core, profile: Profile, held: dict[int, float], today: date
) -> tuple[np.ndarray, dict[str, int]]:
    products = core.products
    mask = np.ones(len(products), bool)
    mask[list(held)] = False
    excluded: dict[str, int] = {}
    limit = max_rating(profile.risk_level, profile.risk_assessed_at, profile.professional, today)
    for name, ok in (
        ("not_on_sale", np.asarray(products.on_sale, bool)),
        ("suitability", np.asarray(products.rating) <= limit),
        ("min_investment", np.asarray(products.min_investment) <= profile.liquid_assets),
    ):
        excluded[name] = int((mask & ~ok).sum())
        mask &= ok
    return mask, excluded


def recommend(
    core: Core,
    profile: Profile,
    k: int,
    today: date,
    *,
    purpose: str = ADVICE,
    signals: frozenset[str] = ALL_SIGNALS,
    weights: Weights = DEFAULT_WEIGHTS,
) -> CrossSell:
    """The top ``k`` products for the customer, ranked by the signals the caller may see."""
    if not 1 <= k <= MAX_FIRST:
        raise InvalidInput(f"first must be between 1 and {MAX_FIRST}", first=k)
    if purpose not in (ADVICE, MARKETING):
        raise InvalidInput(f"purpose must be {ADVICE} or {MARKETING}", purpose=purpose)
    cid = profile.customer_id
    if profile.status not in ("active", "dormant"):
        return CrossSell(cid, [], withheld=f"customer is {profile.status}")
    if purpose == MARKETING and not profile.marketing_allowed:
        return CrossSell(cid, [], withheld="marketing consent withdrawn")
    parts = components(core, cid)
    mask, excluded = _filters(core, profile, parts.held, today)
    scores = np.where(mask, blend(parts, weights, signals), -np.inf)
    candidates = np.flatnonzero(mask)
    top = candidates[np.lexsort((candidates, -scores[candidates]))][:k]
    items = [_recommendation(core, parts, int(j), float(scores[j]), signals) for j in top]
    return CrossSell(cid, items, excluded)


def _recommendation(
    core: Core, parts: Components, j: int, score: float, signals: frozenset[str]
) -> Recommendation:
    products = core.products
    name = products.names[j]
    values = {s: float(parts.vectors[s][j]) for s in SIGNALS if s in signals}
    found: list[Reason] = []
    if HOUSEHOLD in signals and parts.household_kin.get(j):
        kin = parts.household_kin[j]
        found.append(rs.household(kin[0], name, len(kin)))
    source = int(parts.co_source[j])
    if CO_HOLDING in signals and source >= 0 and core.holders[source] >= MIN_GROUP:
        found.append(
            rs.co_holding(
                products.names[source], name, values[CO_HOLDING], int(core.holders[source])
            )
        )
    if SIMILAR in signals and parts.segment_size >= MIN_GROUP and values[SIMILAR] > 0:
        found.append(rs.similar(name, values[SIMILAR], parts.segment_size))
    return Recommendation(
        int(products.ids[j]), products.codes[j], name, round(score, 6), values, tuple(found)
    )
