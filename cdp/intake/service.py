"""API intake: a batch pushed by a source system, ingested exactly as a file row is.

Validation, normalisation, identity resolution and quarantine are
``cdp.ingest.ingest_batch``'s, unchanged; this service adds what only the API
needs: the binding of callers to their source names (``senders``), a size limit,
idempotency keys, customer numbers in the answer and a run record so quarantined
items can be traced to their request. It writes through the
caller's session and never commits: the caller's transaction covers the key, the
run record and the batch together.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from cdp.db.engine import AsyncWriteSession
from cdp.errors import InvalidInput
from cdp.idempotency import run_once
from cdp.ingest import ingest_batch
from cdp.ingest.batch import check_source
from cdp.ingest.columns import check_kind
from cdp.intake.outcome import ItemOutcome, Submission
from cdp.intake.repository import IntakeRepository
from cdp.intake.senders import check_sender
from cdp.principal import Principal

# Large enough for a source system's usual push, small enough that one request's
# transaction stays short and its locks are released quickly.
MAX_ITEMS = 1_000

Rows = Sequence[Mapping[str, object]]


def check_size(count: int) -> None:
    if count > MAX_ITEMS:
        raise InvalidInput(
            f"a batch has at most {MAX_ITEMS} items; this one has {count}",
            limit=MAX_ITEMS,
            received=count,
        )


async def _ingest(
    session: AsyncWriteSession, source: str, kind: str, operation: str, rows: Rows
) -> Submission:
    repo = IntakeRepository(session)
    run = await repo.start_run(source, kind, f"api:{operation}")
    # Items are numbered from 1 in quarantine, as file rows are; answers count from 0.
    numbered = range(1, len(rows) + 1)
    result = await ingest_batch(
        session, source=source, kind=kind, rows=rows, run_id=run.id, row_numbers=numbered
    )
    numbers = await repo.customer_nos({i.customer_id for i in result.items if i.customer_id})
    items = [
        ItemOutcome(
            index=i.row_number - 1,
            status=i.status,
            source_key=i.source_key,
            customer_no=numbers.get(i.customer_id) if i.customer_id else None,
            field=i.field,
            code=i.code,
            reason=i.reason,
        )
        for i in result.items
    ]
    submission = Submission(items)
    await repo.finish_run(run, submission.counts())
    return submission


async def submit_batch(
    session: AsyncWriteSession,
    *,
    sender: Principal,
    source: str,
    kind: str,
    operation: str,
    rows: Rows,
    idempotency_key: str | None = None,
) -> Submission:
    """Ingest ``rows`` of ``kind`` that ``sender`` sends as ``source``; with a key,
    at most once.

    Whether ``sender`` may send as ``source`` is decided first, before the size,
    the key or any row is looked at, so a refused batch stores nothing, and keys
    (scoped to the source) can be neither claimed nor probed by anyone else.
    ``operation`` names the API operation: keys are scoped to (source, operation),
    so one key may be reused across operations without clashing.
    """
    check_sender(sender, source)
    check_size(len(rows))
    check_kind(kind)
    source = check_source(source)
    if idempotency_key is None:
        return await _ingest(session, source, kind, operation, rows)

    async def execute() -> dict[str, Any]:
        return (await _ingest(session, source, kind, operation, rows)).to_json()

    request = {"kind": kind, "rows": [dict(r) for r in rows]}
    stored = await run_once(
        session,
        source=source,
        operation=operation,
        key=idempotency_key,
        request=request,
        execute=execute,
    )
    return Submission.from_json(stored)
