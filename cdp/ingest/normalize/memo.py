"""Remembering a rule's results for cell values that repeat.

Columns such as city, branch, gender, risk level or a date take few distinct values
across a file, so looking a cell up is far cheaper than folding, matching and
parsing it again. Rules are pure, so a remembered result is the result.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")


class Memo(dict[str, T]):
    """``rule`` with its results for string cells remembered.

    The table is the dict itself, so the per-row path looks a string cell up with
    ``memo[cell]`` (one C-level lookup; the rule runs in ``__missing__`` on a miss)
    and hands other values to ``memo.rule``: only strings are keys, since JSON
    numbers and booleans hash equal to each other (``1``, ``1.0``, ``True``) yet
    normalise differently. Only successes are kept, so a bad value raises its
    rejection every time. The table is emptied when it reaches ``limit`` entries,
    which bounds memory on a column that turns out to be unique.
    """

    __slots__ = ("limit", "rule")

    def __init__(self, rule: Callable[[object], T], limit: int = 20_000) -> None:
        super().__init__()
        self.rule = rule
        self.limit = limit

    def __missing__(self, value: str) -> T:
        result = self.rule(value)
        if len(self) >= self.limit:
            self.clear()
        self[value] = result
        return result

    def __call__(self, value: object) -> T:
        """Any cell: a string through the table, anything else to the rule."""
        return self[value] if type(value) is str else self.rule(value)
