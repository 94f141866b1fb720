"""What ingesting a batch reports back, per item and in total."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any, Literal

Status = Literal["created", "updated", "merged", "unchanged", "rejected"]
STATUSES: tuple[Status, ...] = ("created", "updated", "merged", "unchanged", "rejected")


@dataclass
class ItemResult:
    row_number: int
    status: Status
    source_key: str | None = None
    customer_id: int | None = None
    rule: str | None = None  # the identity rule, for merged customer records
    field: str | None = None
    code: str | None = None
    reason: str | None = None
    raw: dict[str, Any] | None = None  # the row as received, kept for rejected rows


@dataclass
class BatchResult:
    items: list[ItemResult] = field(default_factory=list)
    switchboards: set[str] = field(default_factory=set)  # masked phones
    warnings: Counter[str] = field(default_factory=Counter)

    def counts(self) -> dict[str, int]:
        tally = Counter(i.status for i in self.items)
        return {s: tally.get(s, 0) for s in STATUSES}

    @property
    def rejected(self) -> list[ItemResult]:
        return [i for i in self.items if i.status == "rejected"]
