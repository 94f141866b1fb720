"""Run the offline evaluation: each protocol, the graph ranking next to its baselines.

Every method ranks the products the customer does not hold in the training data;
the business filters (suitability, minimum, on sale) are left out so the three
methods are compared on the same candidates and the score measures taste, not
the rules.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from graph.build import Columns, assemble
from graph.core import Core, Products
from graph.crosssell.reasons import SIMILAR
from graph.crosssell.scoring import DEFAULT_WEIGHTS, Weights, blend, components
from graph.crosssell.service import ALL_SIGNALS
from graph.evaluate import splits
from graph.evaluate.metrics import KS, Scoreboard

METHODS = ("graph", "popularity", "similar_customers")
Ranker = Callable[[int], list[int]]


@dataclass
class Result:
    protocol: str
    method: str
    board: Scoreboard


def _top(core: Core, scores: np.ndarray, held: dict[int, float], k: int) -> list[int]:
    scores = scores.astype(np.float64, copy=True)
    if held:
        scores[list(held)] = -np.inf
    order = np.lexsort((np.arange(len(scores)), -scores))[:k]
    order = order[np.isfinite(scores[order])]
    ranked: list[int] = core.products.ids[order].tolist()
    return ranked


def rankers(core: Core, weights: Weights, k: int) -> dict[str, Ranker]:
    popularity = core.holders.astype(np.float64)

    def graph(cid: int) -> list[int]:
        parts = components(core, cid)
        return _top(core, blend(parts, weights, ALL_SIGNALS), parts.held, k)

    def popular(cid: int) -> list[int]:
        return _top(core, popularity, core.held(cid), k)

    def similar(cid: int) -> list[int]:
        parts = components(core, cid)
        return _top(core, parts.vectors[SIMILAR], parts.held, k)

    return {"graph": graph, "popularity": popular, "similar_customers": similar}


def _score(
    protocol: str, core: Core, truth: dict[int, set[int]], weights: Weights, sample: int, seed: int
) -> list[Result]:
    users = sorted(truth)
    if len(users) > sample:
        rng = np.random.default_rng(seed)
        users = sorted(rng.choice(users, size=sample, replace=False).tolist())
    k = max(KS)
    out = []
    for method, rank in rankers(core, weights, k).items():
        board = Scoreboard(len(core.products))
        for cid in users:
            board.add(rank(cid), truth[cid])
        out.append(Result(protocol, method, board))
    return out


def evaluate(
    cols: Columns,
    products: Products,
    potential: float,
    hnw: float,
    *,
    sample: int = 20_000,
    seed: int = 42,
    weights: Weights = DEFAULT_WEIGHTS,
) -> tuple[list[Result], dict[str, str]]:
    results: list[Result] = []
    notes: dict[str, str] = {}
    train, truth = splits.leave_one_out(cols, seed)
    core = assemble(train, products, potential, hnw)
    results += _score("leave-one-out", core, truth, weights, sample, seed)
    notes["leave-one-out"] = f"{len(truth):,} customers with two or more holdings"
    try:
        train, truth, cutoff = splits.temporal(cols)
    except ValueError:
        notes["temporal"] = "skipped: no acquisition dates"
        return results, notes
    core = assemble(train, products, potential, hnw)
    results += _score("temporal", core, truth, weights, sample, seed)
    day = np.datetime64("1970-01-01") + np.timedelta64(cutoff, "D")
    notes["temporal"] = f"learn before {day}, predict {len(truth):,} customers' later holdings"
    return results, notes
