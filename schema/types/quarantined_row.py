"""A rejected input row waiting in quarantine, as administrators see it.

Every field is nullable, like all fields policies govern.
"""

from __future__ import annotations

from datetime import datetime

import strawberry


@strawberry.type(description="A rejected input row kept in quarantine, once per content.")
class QuarantinedRow:
    id: strawberry.ID | None = strawberry.field(description="The row's quarantine number.")
    import_run_id: strawberry.ID | None = strawberry.field(
        description="The run that first quarantined it."
    )
    source: str | None = strawberry.field(description="The sending system.")
    kind: str | None = strawberry.field(description="The record kind.")
    row_number: int | None = strawberry.field(description="Its line in the file (or item).")
    source_key: str | None = strawberry.field(description="The record's key in its source.")
    field: str | None = strawberry.field(description="The field of the first problem.")
    reason_code: str | None = strawberry.field(description="The first problem's code.")
    reason: str | None = strawberry.field(description="Every problem of the row, in words.")
    payload: str | None = strawberry.field(description="The row as read, as JSON text.")
    quarantined_at: datetime | None = strawberry.field(description="When it was quarantined.")
    resolved_at: datetime | None = strawberry.field(
        description="When a retry of it was accepted; null while it waits."
    )
