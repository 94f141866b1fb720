"""What each funded customer holds.

The product choice mixes four signals so cross-sell models have something real
but not trivial to learn: life stage (category preferences), the customer's
hidden theme, product popularity (heavy-tailed), and the household (a spouse or
relative copies some of the head's products). Suitability is respected except
for a small planted share of breaches (one holding rated one level too high).
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import lru_cache
from itertools import accumulate

from cdp.seed.catalog import Product
from cdp.seed.draw import weighted
from cdp.seed.population import HNW, Member

_PREFS: dict[str, dict[str, float]] = {  # category weights by life stage
    "young": {"deposit": 1, "wealth_management": 3, "mutual_fund": 5, "insurance": 1,
              "trust": 0.3, "bond": 0.5, "private_fund": 0.5},
    "mid": {"deposit": 2, "wealth_management": 4, "mutual_fund": 3, "insurance": 3,
            "trust": 1, "bond": 1, "private_fund": 1},
    "senior": {"deposit": 5, "wealth_management": 4, "mutual_fund": 1, "insurance": 2,
               "trust": 1, "bond": 3, "private_fund": 0.3},
}  # fmt: skip
_COUNTS = ((1, 3), (2, 6), (4, 10))  # holdings per tier
BREACH_SHARE = 0.02
SHARE_WITH_HEAD = 0.45


@dataclass(slots=True)
class Position:
    product: Product
    amount: float
    opened: datetime


def _band(age: int) -> str:
    return "young" if age < 35 else "mid" if age < 55 else "senior"


class Shelf:
    """Products with precomputed choice weights per kind of customer."""

    def __init__(self, products: list[Product]) -> None:
        self.sellable = [p for p in products if p.status != "closed"]
        self.deposits = [p for p in self.sellable if p.category == "deposit"]

    @lru_cache(maxsize=1024)  # noqa: B019 - one shelf per seed run, a handful of keys
    def cum_weights(self, max_rating: int, band: str, hnw: bool, theme: int) -> list[float]:
        weights = []
        for p in self.sellable:
            w = 0.0
            if p.risk_rating <= max_rating:
                w = p.popularity * _PREFS[band][p.category] * (3.0 if p.theme == theme else 1.0)
                if hnw and p.category in ("trust", "private_fund"):
                    w *= 4
            weights.append(w)
        return list(accumulate(weights))

    def pick(self, rng: random.Random, cum: list[float], amount: float) -> Product:
        for _ in range(12):
            product = weighted(rng, self.sellable, cum)
            if product.min_investment <= amount:
                return product
        return rng.choice(
            [p for p in self.deposits if p.min_investment <= amount] or [self.deposits[0]]
        )


def positions(
    rng: random.Random, shelf: Shelf, member: Member, head: list[Position] | None
) -> list[Position]:
    """The member's positions; ``head`` is the household head's, when the member is not it."""
    if member.aum <= 0 or member.last_txn is None:
        return []
    max_rating = 5 if member.professional else member.risk or 1
    cum = shelf.cum_weights(max_rating, _band(member.age), member.tier == HNW, member.theme)
    lo, hi = _COUNTS[member.tier]
    shares = [rng.expovariate(1.0) for _ in range(rng.randint(lo, hi))]
    total = sum(shares)
    chosen: dict[int, Position] = {}
    copied = [p.product for p in head or () if p.product.risk_rating <= max_rating]
    for share in shares:
        amount = round(member.aum * share / total, 2)
        product = None
        if copied and rng.random() < SHARE_WITH_HEAD:
            candidate = copied.pop(rng.randrange(len(copied)))
            product = candidate if candidate.min_investment <= amount else None
        product = product or shelf.pick(rng, cum, amount)
        if product.id in chosen:
            chosen[product.id].amount += amount
        else:
            chosen[product.id] = Position(product, amount, _opened(rng, member))
    if not member.professional and max_rating < 5 and rng.random() < BREACH_SHARE:
        _plant_breach(rng, shelf, member, max_rating, chosen)
    return list(chosen.values())


def _plant_breach(
    rng: random.Random, shelf: Shelf, member: Member, max_rating: int, chosen: dict[int, Position]
) -> None:
    """Move part of the largest position into a product rated one level too high."""
    too_risky = [
        p for p in shelf.sellable if p.risk_rating == max_rating + 1 and p.min_investment <= 10_000
    ]
    largest = max(chosen.values(), key=lambda pos: pos.amount)
    if not too_risky or largest.amount < 2_000:
        return
    product = rng.choice(too_risky)
    if product.id in chosen:
        return
    moved = round(largest.amount * rng.uniform(0.2, 0.5), 2)
    largest.amount -= moved
    chosen[product.id] = Position(product, moved, _opened(rng, member))


def _opened(rng: random.Random, member: Member) -> datetime:
    """Opened after onboarding and no later than the customer's last transaction."""
    assert member.last_txn is not None
    start = max(member.onboarded, member.last_txn - timedelta(days=2200))
    return (start + rng.random() * (member.last_txn - start)).replace(microsecond=0)
