"""Remembering a rule's results for cell values that repeat.

Columns such as city, branch, gender, risk level or a date take few distinct values
across a file, so looking a cell up is far cheaper than folding, matching and
parsing it again. Rules are pure, so a remembered result is the result.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Generic, TypeVar

T = TypeVar("T")


class Memo(Generic[T]):
    """``rule`` with its results for string cells remembered.

    Only strings are keys: JSON numbers and booleans hash equal to each other (``1``,
    ``1.0``, ``True``) yet normalise differently. Only successes are kept, so a bad
    value raises its rejection every time. The table is emptied when it reaches
    ``limit`` entries, which bounds memory on a column that turns out to be unique.
    """

    __slots__ = ("limit", "rule", "seen")

    def __init__(self, rule: Callable[[object], T], limit: int = 20_000) -> None:
        self.rule = rule
        self.limit = limit
        self.seen: dict[str, T] = {}

    def __call__(self, value: object) -> T:
        if not isinstance(value, str):
            return self.rule(value)
        seen = self.seen
        try:
            return seen[value]
        except KeyError:
            pass
        result = self.rule(value)
        if len(seen) >= self.limit:
            seen.clear()
        seen[value] = result
        return result
