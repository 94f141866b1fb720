"""The one path every source-system mutation takes: a write session around
``cdp.intake.submit_batch``, committed once at the end."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Annotated, Any, TypeAlias

import strawberry

from cdp.db.engine import Database
from cdp.intake import submit_batch
from schema.mutations.inputs import to_row
from schema.mutations.results import BatchResult
from schema.types.info import Info

SourceArg: TypeAlias = Annotated[
    str,
    strawberry.argument(
        description="The sending system, e.g. core_banking or crm (at most 32 characters); "
        "its trust ranks its values in survivorship."
    ),
]
IdempotencyKeyArg: TypeAlias = Annotated[
    str | None,
    strawberry.argument(
        description="Makes retries safe: a batch sent again with the same key and the same "
        "items returns the first response and changes nothing; the same key with other "
        "items is a CONFLICT error. Keys are scoped to the source and the mutation and are "
        "kept for seven days."
    ),
]


def _database(info: Info) -> Database:
    # The read session is bound to the app's engine (in tests, to the test's
    # connection); a Database on the same bind gives the mutation its write session.
    bind = info.context.session.bind
    if bind is None:  # pragma: no cover - the app always binds its sessions
        raise RuntimeError("the request's session is not bound to a database")
    return Database(bind)


async def run_batch(
    info: Info,
    *,
    operation: str,
    kind: str,
    source: str,
    items: Sequence[Any],
    idempotency_key: str | None,
) -> BatchResult:
    """Ingest ``items`` in one transaction: all written, or (on an error) none."""
    rows = [to_row(item) for item in items]
    async with _database(info).write_session() as session:
        submission = await submit_batch(
            session,
            source=source,
            kind=kind,
            operation=operation,
            rows=rows,
            idempotency_key=idempotency_key,
        )
    return BatchResult.of(submission)
