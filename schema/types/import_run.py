"""An import run (a file or an API batch) as administrators see it.

Every field is nullable, like all fields policies govern.
"""

from __future__ import annotations

from datetime import datetime

import strawberry


@strawberry.type(description="A count of an import run: rows read, created, rejected, ….")
class ImportCount:
    name: str | None = strawberry.field(description="What was counted, e.g. `rejected`.")
    value: int | None = strawberry.field(description="How many.")


@strawberry.type(description="One import of a file or API batch from a source system.")
class ImportRun:
    id: strawberry.ID | None = strawberry.field(description="The run's number.")
    source: str | None = strawberry.field(description="The sending system.")
    kind: str | None = strawberry.field(description="The record kind, e.g. `customers`.")
    origin: str | None = strawberry.field(
        description="The file imported, `api`, or `quarantine retry`."
    )
    status: str | None = strawberry.field(
        description="`running`, `completed` or `failed` (a run whose process died is marked "
        "`failed` with an `abandoned` count)."
    )
    started_at: datetime | None = strawberry.field(description="When the run began.")
    finished_at: datetime | None = strawberry.field(description="When it ended, if it has.")
    counts: list[ImportCount] | None = strawberry.field(description="Its counts, by name.")
