"""Read a snapshot of the graph's tables from PostgreSQL in one streamed pass.

Each table is read with ``COPY (SELECT …) TO STDOUT`` and parsed into numpy
columns a few megabytes at a time: no ORM object (nor Python tuple) per row, and
memory bounded by the columns themselves. All tables are read in one
REPEATABLE READ transaction, so they agree with each other and with the
watermark taken at its start (the point ``graph.sync`` catches up from).
"""

from __future__ import annotations

import io
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import numpy as np
from sqlalchemy.ext.asyncio import AsyncConnection

from cdp.db.engine import Database
from cdp.db.enums import HOUSEHOLD_RELATIONS, PRODUCT_CATEGORIES, REFERRAL_CHANNELS
from graph.build import Columns
from graph.core import Products

Progress = Callable[[str, int], None]  # (table, rows read so far)
_PARSE_BYTES = 8 << 20


def _codes(column: str, values: tuple[str, ...]) -> str:
    """The 0-based position of a text value in a fixed list, as SQL."""
    listed = ", ".join(f"'{v}'" for v in values)
    return f"coalesce(array_position(ARRAY[{listed}], {column}::text), 0) - 1"


_DAYS = "((({col}) AT TIME ZONE 'UTC')::date - DATE '1970-01-01')"
QUERIES: dict[str, tuple[str, tuple[type, ...]]] = {
    "customer": (
        "SELECT id, coalesce(risk_level, 0), coalesce(advisor_id, 0) FROM customer"
        " WHERE status <> 'merged'",
        (np.int64, np.int8, np.int64),
    ),
    "holding": (
        "SELECT customer_id, product_id, market_value, "
        + _DAYS.format(col="opened_at")
        + " FROM holding",
        (np.int64, np.int64, np.float64, np.int32),
    ),
    "household_member": (
        f"SELECT customer_id, household_id, {_codes('relation', HOUSEHOLD_RELATIONS)}"
        " FROM household_member",
        (np.int64, np.int64, np.int8),
    ),
    "referral": (
        "SELECT referrer_id, referee_id, "
        + _DAYS.format(col="referred_at")
        + f", {_codes('channel', REFERRAL_CHANNELS)} FROM referral",
        (np.int64, np.int64, np.int32, np.int8),
    ),
}


@dataclass
class Snapshot:
    columns: Columns
    products: Products
    watermark: datetime
    referral_id: int  # the largest referral id seen


class _ColumnSink:
    """Parses a COPY CSV stream into typed numpy columns, a few megabytes at a time."""

    def __init__(self, dtypes: tuple[type, ...], progress: Callable[[int], None]) -> None:
        self.dtypes = dtypes
        self.parts: list[list[np.ndarray]] = [[] for _ in dtypes]
        self.pending: list[bytes] = []
        self.size = 0
        self.progress = progress

    async def __call__(self, chunk: bytes) -> None:
        self.pending.append(chunk)
        self.size += len(chunk)
        if self.size >= _PARSE_BYTES:
            self._parse(final=False)

    def _parse(self, final: bool) -> None:
        data = b"".join(self.pending)
        cut = len(data) if final else data.rfind(b"\n") + 1
        self.pending = [data[cut:]] if cut < len(data) else []
        self.size = len(data) - cut
        if cut == 0:
            return
        table = np.loadtxt(io.BytesIO(data[:cut]), delimiter=",", dtype=np.float64, ndmin=2)
        for k, dtype in enumerate(self.dtypes):
            self.parts[k].append(table[:, k].astype(dtype))
        self.progress(len(table))

    def finish(self) -> list[np.ndarray]:
        self._parse(final=True)
        return [
            np.concatenate(p) if p else np.zeros(0, d)
            for p, d in zip(self.parts, self.dtypes, strict=True)
        ]


@asynccontextmanager
async def _driver(db: Database) -> AsyncIterator[Any]:
    """An asyncpg connection in one consistent read-only snapshot."""
    if isinstance(db.bind, AsyncConnection):  # tests: already inside a transaction
        raw = await db.bind.get_raw_connection()
        yield raw.driver_connection
        return
    async with db.bind.connect() as conn:
        pg: Any = (await conn.get_raw_connection()).driver_connection
        async with pg.transaction(isolation="repeatable_read", readonly=True):
            yield pg


async def read_products(pg: Any) -> Products:
    rows = await pg.fetch(
        "SELECT id, code, name, category, risk_rating, min_investment, status = 'on_sale'"
        " FROM product ORDER BY id"
    )
    return Products(
        ids=np.array([r[0] for r in rows], np.int64),
        codes=[r[1] for r in rows],
        names=[r[2] for r in rows],
        category=np.array([PRODUCT_CATEGORIES.index(r[3]) for r in rows], np.int8),
        rating=np.array([r[4] for r in rows], np.int8),
        min_investment=np.array([float(r[5]) for r in rows], np.float64),
        on_sale=np.array([r[6] for r in rows], bool),
    )


async def read_snapshot(db: Database, progress: Progress | None = None) -> Snapshot:
    report = progress or (lambda table, n: None)
    async with _driver(db) as pg:
        watermark, referral_id = await pg.fetchrow(
            "SELECT now(), (SELECT coalesce(max(id), 0) FROM referral)"
        )
        products = await read_products(pg)
        report("product", len(products))
        read: dict[str, list[np.ndarray]] = {}
        for table, (query, dtypes) in QUERIES.items():
            done = 0

            def advance(n: int, table: str = table) -> None:
                nonlocal done
                done += n
                report(table, done)

            sink = _ColumnSink(dtypes, advance)
            await pg.copy_from_query(query, output=sink, format="csv")
            read[table] = sink.finish()
    customers, holdings = read["customer"], read["holding"]
    members, referrals = read["household_member"], read["referral"]
    columns = Columns(*customers, *holdings, *members, *referrals)
    return Snapshot(columns, products, watermark, int(referral_id))


async def estimate_rows(db: Database) -> dict[str, int]:
    """The planner's row estimates per table: totals for a progress bar, free to read."""
    async with _driver(db) as pg:
        rows = await pg.fetch(
            "SELECT relname, reltuples::bigint FROM pg_class"
            " WHERE relname = ANY($1::text[]) AND relkind = 'r'",
            list(QUERIES),
        )
    return {r[0]: max(int(r[1]), 0) for r in rows}
