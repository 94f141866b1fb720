"""Louvain on the social layer with NetworKit (PLM), for snapshots of a million customers.

networkx's Louvain is pure Python: on the seeded million-customer snapshot it
takes many minutes (see graph/README.md), which a nightly build can afford but
a rebuild every hour cannot. NetworKit's PLM is the same method (Louvain's local
moving and aggregation) in C++, on a graph built straight from the core's arrays
without a Python object per node. Node ids: customer rows 0..n-1, then households.
Runs on the snapshot (the build's own step), so changes since are not included.
"""

from __future__ import annotations

import networkit as nk
import numpy as np

from graph.aum import aum_by_row
from graph.communities import Community
from graph.core import Core


def _edges(core: Core) -> tuple[np.ndarray, np.ndarray]:
    n = len(core.customer_ids)
    referrer_rows = np.repeat(np.arange(n), np.diff(core.referees_indptr))
    referee_rows = np.searchsorted(core.customer_ids, core.referees)
    known = referee_rows < n
    known[known] &= core.customer_ids[referee_rows[known]] == core.referees[known]
    members = np.flatnonzero(np.asarray(core.household) != 0)
    households = n + np.searchsorted(core.household_ids, np.asarray(core.household)[members])
    src = np.concatenate([referrer_rows[known], members])
    dst = np.concatenate([referee_rows[known], households])
    return src.astype(np.uint64), dst.astype(np.uint64)


def communities(core: Core, seed: int = 42, min_size: int = 2) -> list[Community]:
    n = len(core.customer_ids)
    if n == 0:
        return []
    nk.engineering.setSeed(seed, False)
    nk.engineering.setNumberOfThreads(1)  # deterministic for a given seed
    g = nk.Graph(n + len(core.household_ids), weighted=False, directed=False)
    src, dst = _edges(core)
    if len(src):
        g.addEdges((src, dst))
    plm = nk.community.PLM(g, refine=False, gamma=1.0, par="none")
    plm.run()
    labels = np.asarray(plm.getPartition().getVector(), dtype=np.int64)[:n]
    sizes = np.bincount(labels)
    keep = np.flatnonzero(sizes[labels] >= min_size)
    if not len(keep):
        return []
    aum = np.bincount(labels[keep], weights=aum_by_row(core)[keep], minlength=len(sizes))
    order = np.lexsort((keep, labels[keep]))
    rows, groups = keep[order], labels[keep][order]
    bounds = np.flatnonzero(np.diff(groups)) + 1
    found = []
    for part in np.split(rows, bounds):
        label = int(labels[part[0]])
        households = len(set(np.asarray(core.household)[part].tolist()) - {0})
        customers = tuple(core.customer_ids[part].tolist())
        found.append((customers, households, float(aum[label])))
    found.sort(key=lambda f: (-len(f[0]), f[0][0]))
    return [Community(i + 1, c, h, a) for i, (c, h, a) in enumerate(found)]
