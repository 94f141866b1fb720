"""What a seed run reports back: rows and seconds per table, and the total."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

# (stage, done, total): called as a stage advances; the CLI draws a progress bar from it.
Progress = Callable[[str, int, int], None]


@dataclass
class SeedReport:
    customers: int
    seed: int
    rows: dict[str, int] = field(default_factory=dict)
    seconds: dict[str, float] = field(default_factory=dict)
    elapsed: float = 0.0

    def add(self, table: str, rows: int, seconds: float = 0.0) -> None:
        self.rows[table] = self.rows.get(table, 0) + rows
        self.seconds[table] = self.seconds.get(table, 0.0) + seconds

    @property
    def total_rows(self) -> int:
        return sum(self.rows.values())
