"""Reading the quarantine and retrying what waits there.

A retry sends quarantined rows through the same ingestion as an import, as a run of
its own (origin ``quarantine retry``): a row now accepted (the product or customer
it referred to has arrived, a rule was relaxed) is marked resolved; one still
rejected stays, with no second copy (see ``cdp.ingest.quarantine``). Rows the reader
could not split into columns (``row_invalid``) cannot be retried: the file holds the
truth, so fix it and import it again.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from cdp.db.engine import AsyncWriteSession, Database
from cdp.errors import InvalidInput, NotFound
from cdp.ingest.batch import ingest_batch
from cdp.ingest.quarantine import open_payload
from cdp.ingest.runs import finish_run, held_run

_COLUMNS = (
    "id, import_run_id, source, kind, row_number, source_key, field, reason_code, reason, "
    "payload_enc, created_at, resolved_at"
)
UNRETRYABLE = "row_invalid"


@dataclass(frozen=True)
class QuarantinedRow:
    id: int
    import_run_id: int | None
    source: str
    kind: str
    row_number: int | None
    source_key: str | None
    field: str | None
    reason_code: str
    reason: str
    payload: dict[str, Any]
    created_at: datetime
    resolved_at: datetime | None


@dataclass(frozen=True)
class RetryOutcome:
    quarantine_id: int
    status: str  # an ingestion status, or "not_retried"
    reason: str | None


def _row(r: Sequence[Any]) -> QuarantinedRow:
    # Stored encrypted (it holds the personal data that failed validation).
    payload = open_payload(r[9])
    return QuarantinedRow(
        id=r[0], import_run_id=r[1], source=r[2], kind=r[3], row_number=r[4], source_key=r[5],
        field=r[6], reason_code=r[7], reason=r[8], payload=payload, created_at=r[10],
        resolved_at=r[11],
    )  # fmt: skip


async def list_quarantined(
    session: AsyncSession,
    *,
    run_id: int | None = None,
    source: str | None = None,
    include_resolved: bool = False,
    limit: int = 50,
) -> list[QuarantinedRow]:
    """Quarantined rows, newest first."""
    if not 1 <= limit <= 10_000:
        raise InvalidInput("limit must be between 1 and 10000", argument="limit")
    where = ["(CAST(:run AS bigint) IS NULL OR import_run_id = :run)"]
    where.append("(CAST(:source AS text) IS NULL OR source = :source)")
    if not include_resolved:
        where.append("resolved_at IS NULL")
    rows = await session.execute(
        text(
            f"SELECT {_COLUMNS} FROM quarantine WHERE {' AND '.join(where)} "
            "ORDER BY id DESC LIMIT :limit"
        ),
        {"run": run_id, "source": source, "limit": limit},
    )
    return [_row(r) for r in rows]


async def get_quarantined(session: AsyncSession, quarantine_id: int) -> QuarantinedRow:
    rows = (
        await session.execute(
            text(f"SELECT {_COLUMNS} FROM quarantine WHERE id = :id"), {"id": quarantine_id}
        )
    ).all()
    if not rows:
        raise NotFound(f"no quarantined row {quarantine_id}")
    return _row(rows[0])


async def retry(db: Database, ids: Sequence[int]) -> list[RetryOutcome]:
    """Ingest the given quarantined rows again; what became of each, in ``ids`` order."""
    if not ids:
        raise InvalidInput("name at least one quarantined row (or a run)")
    async with db.write_session() as session:
        found = {q.id: q for q in [await get_quarantined(session, i) for i in dict.fromkeys(ids)]}
    outcomes: dict[int, RetryOutcome] = {}
    groups: dict[tuple[str, str], list[QuarantinedRow]] = defaultdict(list)
    for q in found.values():
        if q.resolved_at is not None:
            outcomes[q.id] = RetryOutcome(q.id, "not_retried", "already resolved")
        elif q.reason_code == UNRETRYABLE:
            outcomes[q.id] = RetryOutcome(
                q.id, "not_retried", "the row could not be read; fix the file and import it again"
            )
        else:
            groups[q.source, q.kind].append(q)
    for (source, kind), rows in groups.items():
        outcomes.update(await _retry_group(db, source, kind, rows))
    return [outcomes[i] for i in dict.fromkeys(ids)]


async def _retry_group(
    db: Database, source: str, kind: str, rows: list[QuarantinedRow]
) -> dict[int, RetryOutcome]:
    out: dict[int, RetryOutcome] = {}
    async with held_run(db, source, kind, "quarantine retry") as run_id:
        try:
            async with db.write_session() as session:
                # Numbered by position, so each result finds its quarantined row.
                result = await ingest_batch(
                    session, source=source, kind=kind, rows=[q.payload for q in rows],
                    run_id=run_id, row_numbers=range(1, len(rows) + 1),
                )  # fmt: skip
                accepted = []
                for item in result.items:
                    q = rows[item.row_number - 1]
                    out[q.id] = RetryOutcome(q.id, item.status, item.reason)
                    if item.status != "rejected":
                        accepted.append(q.id)
                await session.execute(
                    text("UPDATE quarantine SET resolved_at = now() WHERE id = ANY(:ids)"),
                    {"ids": accepted},
                )
        except BaseException:
            await finish_run(db, run_id, "failed", {})
            raise
        await finish_run(db, run_id, "completed", {"read": len(rows), **result.counts()})
    return out


async def ids_of_run(session: AsyncWriteSession, run_id: int) -> list[int]:
    """The unresolved quarantined rows of an import run."""
    rows = await session.execute(
        text(
            "SELECT id FROM quarantine WHERE import_run_id = :run AND resolved_at IS NULL "
            "ORDER BY id"
        ),
        {"run": run_id},
    )
    return [r[0] for r in rows]
