"""Score components over the whole shelf, as vectors, from the numeric core.

For one customer: the household component reads the housemates' rows; the
co-holding component (item-based collaborative filtering) reads the co-holding
rows of the products the customer holds; the similar-customer component reads
one row of segment counts. No step lists a product's holders, so the cost is the
customer's own neighbourhood times the shelf size, whatever the product's reach.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from graph.core import NO_SEGMENT, Core
from graph.crosssell.reasons import CO_HOLDING, HOUSEHOLD, SIMILAR, kinship

KIN_WEIGHT = {"配偶": 1.0, "子女": 0.8, "父母": 0.8}  # closer kin, stronger signal
OTHER_WEIGHT = 0.6


@dataclass(frozen=True)
class Weights:
    """The blend; chosen by ``cdp graph evaluate`` on seeded data (see graph/README.md)."""

    household: float = 0.2
    co_holding: float = 0.3
    similar: float = 0.5


DEFAULT_WEIGHTS = Weights()


@dataclass
class Components:
    held: dict[int, float]
    vectors: dict[str, np.ndarray]  # signal → score per product column
    # Evidence for reasons: per column, the housemates' kin labels; the co-holding source.
    household_kin: dict[int, list[str]]
    co_source: np.ndarray  # column of the held product behind the co-holding score, -1 none
    segment: int
    segment_size: int


def components(core: Core, customer_id: int, held: dict[int, float] | None = None) -> Components:
    p = len(core.products)
    held = core.held(customer_id) if held is None else held
    house = np.zeros(p)
    kin: dict[int, list[str]] = {}
    mine = core.household_of(customer_id)
    for other, relation in core.housemates(customer_id):
        label = kinship(mine[1], relation) if mine else "家庭成员"
        weight = KIN_WEIGHT.get(label, OTHER_WEIGHT)
        for j in core.held(other):
            house[j] = max(house[j], weight)
            kin.setdefault(j, []).append(label)

    co = np.zeros(p)
    source = np.full(p, -1, np.int64)
    if held:
        cols = np.fromiter(held, dtype=np.int64, count=len(held))
        holders = np.maximum(core.holders[cols], 1).astype(np.float64)
        conditional = core.co[cols, :] / holders[:, None]
        best = conditional.argmax(axis=0)
        co = conditional[best, np.arange(p)]
        source = np.where(co > 0, cols[best], -1)

    segment = core.segment_of(customer_id)
    size = int(core.seg_sizes[segment]) if segment != NO_SEGMENT else 0
    if size:
        similar = core.seg_counts[segment] / size
    else:  # unknown customer: everyone is similar
        similar = core.holders / max(len(core.customer_ids), 1)
        size = len(core.customer_ids)
    vectors = {HOUSEHOLD: house, CO_HOLDING: co, SIMILAR: np.asarray(similar, np.float64)}
    return Components(held, vectors, kin, source, segment, size)


def blend(parts: Components, weights: Weights, signals: frozenset[str]) -> np.ndarray:
    total = np.zeros_like(parts.vectors[SIMILAR])
    for signal, weight in (
        (HOUSEHOLD, weights.household),
        (CO_HOLDING, weights.co_holding),
        (SIMILAR, weights.similar),
    ):
        if signal in signals:
            total += weight * parts.vectors[signal]
    return total
