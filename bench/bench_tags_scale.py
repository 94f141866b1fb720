"""The tag engine at scale: the library next to hand-written SQL, 1,000 generated tags,
and the incremental path through the API, each with its baseline in the same run.

Sections (``--only`` picks some; all by default):

- ``library``: the default library's first full run (every value new) and an
  unchanged full run (nothing written), then the 34 tags of ``hand_tags`` through
  the engine next to the hand-written SQL for them (the customers per tag must
  agree, or the benchmark fails). Ratio: the engine's run of those tags (all
  stages, the unchanged diff included) over the hand-written statement.
- ``scale``: ``--tags`` generated rules (``tag_generator``) installed and run in
  full twice (first: every value written; second: nothing changed); seconds per
  stage and per tag, and the disk the value and event tables use. Baseline: the
  library's run on the same customers (seconds per tag).
- ``incremental``: a holding sent through the GraphQL ``upsertHoldings``
  mutation (in-process app, its background tag worker polling every 0.1 s), until
  the customer's ``private_banking`` tag is stored; median and p95 over
  ``--rounds``. Baseline: the same mutation with no tag to update (a holding too
  small for any threshold change), i.e. the API's own latency.

Seeding 1,000,000 customers takes minutes: ``--database NAME`` seeds a database
of that name once and reuses it (tag tables are emptied at the start of each
section); ``--drop`` drops it at the end. Without ``--database`` a scratch database
is created and dropped.

    .venv/bin/python bench/bench_tags_scale.py --customers 1000000 --database cdp_tags_1m
    .venv/bin/python bench/bench_tags_scale.py --database cdp_tags_1m --only scale --tags 1000
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import os
import secrets
import statistics
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime

import asyncpg
import hand_tags
from inprocess import running_app, token
from rich.console import Console
from rich.table import Table
from scratch import create_database, database_url, drop_database, plain_dsn, server_url
from sqlalchemy.ext.asyncio import create_async_engine
from tag_generator import generate

from cdp.db.engine import Database
from cdp.db.migrate import upgrade
from cdp.seed import seed_database
from tagging.engine import RunReport, run_tags
from tagging.engine.full import RUN_WORK_MEM
from tagging.library import install_library

console = Console(width=160)  # tables stay readable when the output is a log file
STAGES = ("features", "evaluate", "write")


@dataclass
class Results:
    tables: list[Table] = field(default_factory=list)


@asynccontextmanager
async def _database(name: str | None, customers: int, seed: int, drop: bool) -> AsyncIterator[str]:
    """A seeded database: ``name`` reused if it holds customers, else created and seeded."""
    temporary = name is None
    name = name or f"cdp_bench_tags_{secrets.token_hex(4)}"
    url = database_url(name)
    try:
        conn = await asyncpg.connect(plain_dsn(server_url()))
        try:
            exists = await conn.fetchval("SELECT 1 FROM pg_database WHERE datname = $1", name)
        finally:
            await conn.close()
        if not exists:
            await create_database(name)
        await upgrade(url)
        db = Database(create_async_engine(url, pool_size=2))
        try:
            async with db.read_session() as session:
                from sqlalchemy import text

                have = await session.scalar(text("SELECT count(*) FROM customer"))
            if not have:
                console.print(f"seeding {customers:,} customers into {name} …")
                await seed_database(db, customers=customers, seed=seed)
            elif have < customers * 0.99:
                raise SystemExit(f"{name} holds {have:,} customers, not {customers:,}")
        finally:
            await db.dispose()
        yield url
    finally:
        if temporary or drop:
            await drop_database(name)


async def _reset_tags(dsn: str) -> None:
    conn = await asyncpg.connect(dsn)
    try:
        await conn.execute(
            "TRUNCATE tag_value, tag_event, tag_run, tag_version, tag_definition,"
            " tag_dirty_customer CASCADE"
        )
        await conn.execute("VACUUM ANALYZE tag_value")
        await conn.execute("VACUUM ANALYZE tag_event")
    finally:
        await conn.close()


async def _disk(dsn: str) -> dict[str, tuple[int, int]]:
    conn = await asyncpg.connect(dsn)
    try:
        rows = await conn.fetch(
            "SELECT relname, (SELECT count(*) FROM tag_value) AS v,"
            " (SELECT count(*) FROM tag_event) AS e, pg_total_relation_size(relid)"
            " FROM pg_stat_user_tables WHERE relname IN ('tag_value', 'tag_event')"
        )
        return {r[0]: (r[1] if r[0] == "tag_value" else r[2], r[3]) for r in rows}
    finally:
        await conn.close()


def _total(report: RunReport) -> float:
    return sum(report.stages.values())


def _run_table(title: str) -> Table:
    table = Table(title=title)
    for name in ("run", "tags", "values", "written", *(f"{s} s" for s in STAGES), "total s",
                 "ms per tag"):  # fmt: skip
        table.add_column(name, justify="left" if name == "run" else "right")
    return table


def _run_row(table: Table, label: str, report: RunReport) -> None:
    tags = max(1, len(report.tags))
    written = sum(report.counts.get(k, 0) for k in ("entered", "changed", "left"))
    table.add_row(
        label,
        str(len(report.tags)),
        f"{report.counts.get('values', 0):,}",
        f"{written:,}",
        *(f"{report.stages.get(s, 0):.1f}" for s in STAGES),
        f"{_total(report):.1f}",
        f"{1000 * _total(report) / tags:.0f}",
    )


def _progress(label: str) -> object:
    last = [0.0]

    def progress(stage: str, done: int, total: int) -> None:
        if time.perf_counter() - last[0] > 30 or done == total:
            last[0] = time.perf_counter()
            console.print(f"  {label} {stage}: {done:,}/{total:,}", highlight=False)

    return progress


async def _library(db: Database, dsn: str, as_of: datetime) -> tuple[Table, RunReport]:
    await _reset_tags(dsn)
    async with db.write_session() as session:
        await install_library(session, actor="bench")
    first = await run_tags(db, as_of=as_of, progress=_progress("library"))  # type: ignore[arg-type]
    second = await run_tags(db, as_of=as_of)
    subset = await run_tags(db, keys=hand_tags.KEYS, as_of=as_of)
    hand_seconds, hand_counts = await _hand_written(dsn, as_of)
    counts = await _engine_counts(dsn)
    wrong = {k: (counts.get(k, 0), hand_counts.get(k, 0)) for k in hand_tags.KEYS}
    wrong = {k: v for k, v in wrong.items() if v[0] != v[1]}
    if wrong:
        raise SystemExit(f"engine and hand-written SQL disagree (engine, hand): {wrong}")
    table = _run_table(f"library: {first.customers:,} customers")
    _run_row(table, "library, first full run", first)
    _run_row(table, "library, unchanged full run", second)
    _run_row(table, f"engine, the {len(hand_tags.KEYS)} hand-written tags", subset)
    n = len(hand_tags.KEYS)
    table.add_row(f"baseline: hand-written SQL, same {n} tags", str(n), "", "", "", "", "",
                  f"{hand_seconds:.1f}", f"{1000 * hand_seconds / n:.0f}")  # fmt: skip
    fe = subset.stages.get("features", 0) + subset.stages.get("evaluate", 0)
    table.add_row("ratio: engine run / hand-written", "", "", "", "", "", "",
                  f"{_total(subset) / hand_seconds:.2f}×", "")  # fmt: skip
    table.add_row("ratio: engine features+evaluate / hand-written", "", "", "", "", "", "",
                  f"{fe / hand_seconds:.2f}×", "")  # fmt: skip
    return table, first


async def _hand_written(dsn: str, as_of: datetime) -> tuple[float, dict[str, int]]:
    conn = await asyncpg.connect(dsn)
    try:
        await conn.execute("DROP TABLE IF EXISTS bench_hand")
        started = time.perf_counter()
        async with conn.transaction():
            # the same session settings the engine's runs use
            await conn.execute("SET LOCAL jit = off")
            await conn.execute(f"SET LOCAL work_mem = '{RUN_WORK_MEM}'")
            await conn.execute(hand_tags.SQL, as_of, as_of.astimezone(UTC).date())
        seconds = time.perf_counter() - started
        rows = await conn.fetch("SELECT tag, count(*) FROM bench_hand GROUP BY tag")
        await conn.execute("DROP TABLE bench_hand")
        return seconds, {r[0]: r[1] for r in rows}
    finally:
        await conn.close()


async def _engine_counts(dsn: str) -> dict[str, int]:
    conn = await asyncpg.connect(dsn)
    try:
        rows = await conn.fetch(
            "SELECT d.key, count(v.customer_id) FROM tag_definition d"
            " LEFT JOIN tag_value v ON v.tag_id = d.id GROUP BY d.key"
        )
        return {r[0]: r[1] for r in rows}
    finally:
        await conn.close()


async def _scale(
    db: Database, dsn: str, as_of: datetime, tags: int, library: RunReport | None
) -> list[Table]:
    await _reset_tags(dsn)
    specs = generate(tags)
    started = time.perf_counter()
    async with db.write_session() as session:
        await install_library(session, actor="bench", specs=specs)
    installed = time.perf_counter() - started
    first = await run_tags(db, as_of=as_of, progress=_progress("scale"))  # type: ignore[arg-type]
    disk = await _disk(dsn)
    second = await run_tags(db, as_of=as_of, progress=_progress("scale, unchanged"))  # type: ignore[arg-type]
    table = _run_table(f"scale: {tags:,} generated tags over {first.customers:,} customers")
    _run_row(table, f"{tags:,} generated tags, first full run", first)
    _run_row(table, f"{tags:,} generated tags, unchanged full run", second)
    if library is not None:
        _run_row(table, "baseline: the library's first full run", library)
    table.caption = f"installing {tags:,} tags (check, save, publish): {installed:.0f} s"
    space = Table(title="disk used after the first run (pg_total_relation_size)")
    for name in ("table", "rows", "MB", "bytes per row"):
        space.add_column(name, justify="left" if name == "table" else "right")
    for name, (rows, size) in sorted(disk.items()):
        space.add_row(name, f"{rows:,}", f"{size / 1e6:,.0f}", f"{size / max(rows, 1):.0f}")
    slow = Table(title="slowest evaluate batches (seconds per tag: a batch's time shared)")
    for name in ("tag", "seconds", "customers"):
        slow.add_column(name, justify="left" if name == "tag" else "right")
    for key, entry in sorted(first.tags.items(), key=lambda kv: -kv[1]["seconds"])[:5]:
        slow.add_row(key, f"{entry['seconds']:.3f}", f"{int(entry['values']):,}")
    return [table, space, slow]


UPSERT = """
mutation($items: [HoldingInput!]!) {
  upsertHoldings(source: "core_banking", holdings: $items) { counts { created updated } }
}
"""


async def _incremental(url: str, dsn: str, rounds: int, as_of: datetime) -> Table:
    """Holding sent through GraphQL → the worker's dirty run → the tag stored."""
    conn = await asyncpg.connect(dsn)
    try:
        await conn.execute("DELETE FROM tag_dirty_customer")
        # Customers that can get private_banking but do not have it, each linked to a
        # core-banking record so the mutation can name it (seeded customers have none).
        ids = [
            r[0]
            for r in await conn.fetch(
                "SELECT c.id FROM customer c JOIN consent k ON k.customer_id = c.id"
                " AND k.purpose = 'profiling' AND k.granted"
                " WHERE c.status <> 'merged' AND NOT EXISTS (SELECT 1 FROM tag_value v"
                " JOIN tag_definition d ON d.id = v.tag_id AND d.key = 'private_banking'"
                " WHERE v.customer_id = c.id) ORDER BY c.id LIMIT $1",
                2 * rounds,
            )
        ]
        await conn.execute(
            "INSERT INTO source_record (source, source_key, customer_id, payload, content_hash)"
            " SELECT 'core_banking', 'BENCH-' || id, id, '{}', '\\x00' FROM unnest($1::bigint[]) id"
            " ON CONFLICT DO NOTHING",
            ids,
        )
        product = await conn.fetchval("SELECT code FROM product ORDER BY id LIMIT 1")
    finally:
        await conn.close()

    headers = {"Authorization": f"Bearer {token(['admin'])}"}
    tagged: list[float] = []
    api_only: list[float] = []
    conn = await asyncpg.connect(dsn)
    try:
        async with running_app(url, tag_worker_seconds=0.1) as client:
            for n, customer_id in enumerate(ids):
                big = n % 2 == 0
                item = {
                    "customerKey": f"BENCH-{customer_id}",
                    "productCode": product,
                    "units": "1",
                    "marketValue": "2000万" if big else "1",
                    "openedAt": as_of.isoformat(),
                }
                started = time.perf_counter()
                response = await client.post(
                    "/graphql", json={"query": UPSERT, "variables": {"items": [item]}},
                    headers=headers,
                )  # fmt: skip
                body = response.json()
                if "errors" in body or body["data"]["upsertHoldings"]["counts"]["created"] != 1:
                    raise SystemExit(f"upsertHoldings failed: {str(body)[:500]}")
                if not big:
                    api_only.append(time.perf_counter() - started)
                    continue
                while not await conn.fetchval(
                    "SELECT EXISTS (SELECT 1 FROM tag_value v JOIN tag_definition d"
                    " ON d.id = v.tag_id AND d.key = 'private_banking' WHERE v.customer_id = $1)",
                    customer_id,
                ):
                    if time.perf_counter() - started > 60:
                        raise SystemExit(f"customer {customer_id}: no tag after 60 s")
                    await asyncio.sleep(0.01)
                tagged.append(time.perf_counter() - started)
                # the next round starts with no dirty run in flight
                await asyncio.sleep(0.3)
    finally:
        await conn.close()

    table = Table(title="incremental: upsertHoldings (GraphQL) → tag stored by the worker")
    for name in ("path", "updates", "median s", "p95 s", "max s", "target p95 s"):
        table.add_column(name, justify="left" if name == "path" else "right")
    for label, times, target in (
        ("holding → private_banking stored", tagged, "2.00"),
        ("baseline: the mutation alone", api_only, ""),
    ):
        ordered = sorted(times)
        p95 = ordered[min(len(ordered) - 1, int(0.95 * len(ordered)))]
        table.add_row(label, str(len(ordered)), f"{statistics.median(ordered):.2f}",
                      f"{p95:.2f}", f"{ordered[-1]:.2f}", target)  # fmt: skip
    return table


async def main(args: argparse.Namespace) -> None:
    os.environ.setdefault(
        "CDP_ENCRYPTION_KEY", base64.urlsafe_b64encode(secrets.token_bytes(32)).decode()
    )
    only = set(args.only or ("library", "scale", "incremental"))
    as_of = datetime.now(UTC)
    tables: list[Table] = []
    async with _database(args.database, args.customers, args.seed, args.drop) as url:
        dsn = plain_dsn(url)
        db = Database(create_async_engine(url, pool_size=2))
        try:
            library: RunReport | None = None
            if "library" in only or "incremental" in only:
                table, library = await _library(db, dsn, as_of)
                if "library" in only:
                    tables.append(table)
                    console.print(table)
            if "incremental" in only:
                tables.append(await _incremental(url, dsn, args.rounds, as_of))
                console.print(tables[-1])
            if "scale" in only:
                for t in await _scale(db, dsn, as_of, args.tags, library):
                    tables.append(t)
                    console.print(t)
        finally:
            await db.dispose()
    console.rule("summary")
    for t in tables:
        console.print(t)


if __name__ == "__main__":  # seed worker processes import this module
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--customers", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--database", help="seed once into this database and reuse it")
    parser.add_argument("--drop", action="store_true", help="drop --database at the end")
    parser.add_argument("--only", action="append", choices=("library", "scale", "incremental"))
    parser.add_argument("--tags", type=int, default=1000, help="generated tags (scale)")
    parser.add_argument("--rounds", type=int, default=20, help="incremental updates timed")
    asyncio.run(main(parser.parse_args()))
