"""Assets under management per customer, from the core (snapshot plus changes)."""

from __future__ import annotations

import numpy as np

from graph.core import Core


def aum_by_row(core: Core) -> np.ndarray:
    """AUM of every snapshot customer, in row order, including changes since."""
    rows = np.repeat(np.arange(len(core.customer_ids)), np.diff(core.indptr))
    aum = np.bincount(rows, weights=core.values, minlength=len(core.customer_ids))
    for cid in core.delta.holdings:
        i = core.row(cid)
        if i is not None:
            aum[i] = core.aum(cid)
    return aum
