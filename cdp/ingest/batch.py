"""``ingest_batch``: the one entry point for files and API mutations alike.

The caller owns the transaction: this function only writes through the session
(flush-level work), so a batch is all-or-nothing under the caller's commit.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from cdp.db.engine import AsyncWriteSession
from cdp.errors import InvalidInput
from cdp.ingest.activity import ingest_activity
from cdp.ingest.columns import check_kind
from cdp.ingest.customers import ingest_customers
from cdp.ingest.normalize.text import text
from cdp.ingest.pg import driver
from cdp.ingest.prepare import Prepared
from cdp.ingest.quarantine import quarantine
from cdp.ingest.results import BatchResult


def check_source(source: str) -> str:
    name = text(source, 32)
    if not name:
        raise InvalidInput("a source name is required (at most 32 characters)")
    return name


async def ingest_batch(
    session: AsyncWriteSession,
    *,
    source: str,
    kind: str,
    rows: Sequence[Mapping[str, object]],
    run_id: int | None = None,
    row_numbers: Sequence[int] | None = None,
    prepared: Prepared | None = None,
) -> BatchResult:
    """Validate, resolve and write ``rows``; one ``ItemResult`` per row, in order.

    ``row_numbers`` label the rows in results and quarantine (file line numbers for
    imports); by default the rows are numbered from 1. ``prepared`` is what
    ``prepare_rows`` made of ``rows`` already (in a worker process, for imports);
    without it the rows are normalised here.
    """
    check_kind(kind)
    source = check_source(source)
    numbers = list(row_numbers) if row_numbers is not None else list(range(1, len(rows) + 1))
    result = BatchResult()
    if not rows:
        return result
    pg = await driver(session)
    if kind == "customers":
        items = await ingest_customers(pg, source, rows, numbers, result, prepared)
    else:
        items = await ingest_activity(pg, source, kind, rows, numbers, result, prepared)
    items.sort(key=lambda it: it.row_number)
    result.items = items
    await quarantine(pg, run_id, source, kind, items)
    return result
