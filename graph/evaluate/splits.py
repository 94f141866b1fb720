"""Train/test splits of holdings: leave-one-out and temporal."""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from graph.build import Columns

UNDATED = np.iinfo(np.int32).min


def leave_one_out(cols: Columns, seed: int) -> tuple[Columns, dict[int, set[int]]]:
    """Hold out each customer's latest holding (random among ties); customers with two or more."""
    rng = np.random.default_rng(seed)
    n = len(cols.holding_customer)
    noise = rng.random(n)
    order = np.lexsort((noise, cols.holding_since, cols.holding_customer))
    customers = cols.holding_customer[order]
    last = np.ones(n, bool)
    last[:-1] = customers[:-1] != customers[1:]
    first = np.ones(n, bool)
    first[1:] = customers[1:] != customers[:-1]
    held_out = order[last & ~first]  # the latest of customers with at least two
    keep = np.ones(n, bool)
    keep[held_out] = False
    truth = {
        int(c): {int(p)}
        for c, p in zip(
            cols.holding_customer[held_out], cols.holding_product[held_out], strict=False
        )
    }
    return _subset(cols, keep), truth


def temporal(cols: Columns, quantile: float = 0.8) -> tuple[Columns, dict[int, set[int]], int]:
    """Learn from holdings opened before a cut-off day; predict those opened on or after it."""
    dated = cols.holding_since != UNDATED
    if not dated.any():
        raise ValueError("no acquisition dates")
    cutoff = int(np.quantile(cols.holding_since[dated], quantile))
    before = dated & (cols.holding_since < cutoff)
    after = dated & ~before
    known = set(cols.holding_customer[before].tolist())
    truth: dict[int, set[int]] = {}
    for c, p in zip(
        cols.holding_customer[after].tolist(), cols.holding_product[after].tolist(), strict=False
    ):
        if c in known:
            truth.setdefault(c, set()).add(p)
    return _subset(cols, before), truth, cutoff


def _subset(cols: Columns, keep: np.ndarray) -> Columns:
    return replace(
        cols,
        holding_customer=cols.holding_customer[keep],
        holding_product=cols.holding_product[keep],
        holding_value=cols.holding_value[keep],
        holding_since=cols.holding_since[keep],
    )
