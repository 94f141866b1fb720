"""Hit rate, mean average precision at k, and catalogue coverage."""

from __future__ import annotations

from collections.abc import Sequence

KS = (1, 3, 5, 7)


def average_precision(ranked: Sequence[int], relevant: set[int], k: int) -> float:
    hits, total = 0, 0.0
    for i, item in enumerate(ranked[:k], start=1):
        if item in relevant:
            hits += 1
            total += hits / i
    return total / min(k, len(relevant)) if relevant else 0.0


def hit(ranked: Sequence[int], relevant: set[int], k: int) -> bool:
    return any(item in relevant for item in ranked[:k])


class Scoreboard:
    """Accumulates one method's rankings against the held-out truth."""

    def __init__(self, catalogue: int, ks: Sequence[int] = KS) -> None:
        self.ks = tuple(ks)
        self.catalogue = catalogue
        self.users = 0
        self.hits = dict.fromkeys(self.ks, 0)
        self.ap = dict.fromkeys(self.ks, 0.0)
        self.shown: set[int] = set()

    def add(self, ranked: Sequence[int], relevant: set[int]) -> None:
        self.users += 1
        for k in self.ks:
            self.hits[k] += hit(ranked, relevant, k)
            self.ap[k] += average_precision(ranked, relevant, k)
        self.shown.update(ranked[: max(self.ks)])

    def hr(self, k: int) -> float:
        return self.hits[k] / self.users if self.users else 0.0

    def map(self, k: int) -> float:
        return self.ap[k] / self.users if self.users else 0.0

    @property
    def coverage(self) -> float:
        return len(self.shown) / self.catalogue if self.catalogue else 0.0
