"""Weighted choice without ``random.choices``' per-call overhead (it dominates otherwise)."""

from __future__ import annotations

import random
from bisect import bisect_right
from collections.abc import Sequence
from itertools import accumulate
from typing import TypeVar

T = TypeVar("T")


def cumulative(weights: Sequence[float]) -> list[float]:
    return list(accumulate(weights))


def weighted(rng: random.Random, items: Sequence[T], cum: Sequence[float]) -> T:
    """One of ``items``, with probability proportional to its weight (``cum`` is cumulative)."""
    return items[bisect_right(cum, rng.random() * cum[-1])]
