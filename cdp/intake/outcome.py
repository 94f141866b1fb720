"""What an API batch answers: one outcome per item, in input order.

Outcomes round-trip through JSON because the idempotency store keeps the first
response of a keyed batch and a retry is answered from it.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import asdict, dataclass, field
from typing import Any

from cdp.ingest.results import STATUSES, Status


@dataclass(frozen=True)
class ItemOutcome:
    index: int  # position in the request, from 0
    status: Status
    source_key: str | None = None
    customer_no: str | None = None
    field: str | None = None
    code: str | None = None
    reason: str | None = None


@dataclass(frozen=True)
class Submission:
    items: list[ItemOutcome] = field(default_factory=list)

    def counts(self) -> dict[str, int]:
        tally = Counter(i.status for i in self.items)
        return {s: tally.get(s, 0) for s in STATUSES}

    def to_json(self) -> dict[str, Any]:
        return {"items": [asdict(i) for i in self.items]}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Submission:
        return cls([ItemOutcome(**item) for item in data["items"]])
