"""Set-based access to PostgreSQL from inside a session's transaction.

Batches go through the asyncpg connection underneath the SQLAlchemy session: array
parameters (``= ANY($1)``, ``unnest``) and COPY are what make ingestion set-based,
and they run in the session's transaction, so the boundary's commit or rollback
covers them.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterable, Sequence
from itertools import islice
from typing import Any

from sqlalchemy import text

from cdp.db.engine import AsyncWriteSession


async def driver(session: AsyncWriteSession) -> Any:
    """The asyncpg connection of the session, with the session's transaction begun."""
    # The first statement through SQLAlchemy opens the transaction on the driver
    # connection; without it raw statements would autocommit one by one.
    await session.execute(text("SELECT 1"))
    conn = await session.connection()
    raw = await conn.get_raw_connection()
    pg = raw.driver_connection
    if pg is None or not pg.is_in_transaction():
        raise RuntimeError("ingestion must run inside a transaction")
    return pg


async def allocate_ids(pg: Any, table: str, count: int) -> list[int]:
    """Reserve ``count`` identity values, so rows can be COPYed with known ids."""
    if count == 0:
        return []
    # The sequence is looked up once (a materialised CTE; inline, the lookup ran
    # for every value and cost ten times the drawing), and the ids come back as
    # one array rather than a row each.
    ids: list[int] = await pg.fetchval(
        "WITH s AS MATERIALIZED (SELECT pg_get_serial_sequence($1, 'id')::regclass AS seq) "
        "SELECT array(SELECT nextval(s.seq) FROM s, generate_series(1, $2))",
        table,
        count,
    )
    return ids


async def copy_rows(
    pg: Any, table: str, columns: Sequence[str], records: Sequence[tuple[Any, ...]]
) -> None:
    if records:
        await pg.copy_records_to_table(table, columns=list(columns), records=records)


COPY_CHUNK = 2_000  # lines per message of a streamed COPY


async def copy_lines(pg: Any, table: str, columns: Sequence[str], lines: Iterable[str]) -> None:
    """COPY rows rendered in text format (``copy_text``), one per line.

    ``lines`` may be a generator: the rows are joined and sent ``COPY_CHUNK`` at a
    time, so PostgreSQL parses and indexes one chunk while this process renders
    the next, rather than each waiting for the other's whole batch.
    """
    rest = iter(lines)
    first = list(islice(rest, COPY_CHUNK))
    if not first:
        return

    async def chunks() -> AsyncIterator[bytes]:
        part = first
        while part:
            yield "".join(part).encode()
            part = list(islice(rest, COPY_CHUNK))

    await pg.copy_to_table(table, source=chunks(), columns=list(columns))
