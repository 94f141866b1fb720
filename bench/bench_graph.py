"""The knowledge graph: build time, memory across workers, cross-sell latency, updates.

Seeds a scratch database (or reuses one with ``--reuse-db NAME``), then measures:
the one-pass build from PostgreSQL (the numeric core; the networkx twin timed
separately), the core's size on disk, the resident memory of ``--workers``
processes that memory-map the stored core (RSS and PSS: PSS splits shared pages
between the processes that map them, so its sum is what the workers cost
together), cross-sell latency per customer in-process next to the plain networkx
walk as the baseline, cross-sell through GraphQL (a whole request to the app in
this process, ``Customer.crossSell``; next to it the same request without
``crossSell``, the GraphQL floor), and the cost of an incremental update (one
``apply_holding``, and a database catch-up per changed holding).

    .venv/bin/python bench/bench_graph.py --customers 20000
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import multiprocessing
import os
import random
import secrets
import tempfile
import time
from datetime import UTC, date, datetime
from pathlib import Path
from statistics import quantiles
from typing import Any

from inprocess import running_app, token
from rich.console import Console
from rich.table import Table
from scratch import database_url, scratch_database
from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine

from cdp.config import get_settings
from cdp.db.engine import Database
from cdp.seed import seed_database
from graph import store
from graph.crosssell.profiles import Profile
from graph.crosssell.service import recommend
from graph.crosssell.walk import walk_scores
from graph.load import read_snapshot
from graph.state import state_from
from graph.sync import GraphState, catch_up

console = Console()
TODAY = datetime.now(UTC).date()


def _memory() -> dict[str, float]:
    """This process's RSS and PSS in MB (Linux)."""
    out = {}
    with open("/proc/self/smaps_rollup") as f:
        for line in f:
            key, _, rest = line.partition(":")
            if key in ("Rss", "Pss"):
                out[key.lower()] = int(rest.split()[0]) / 1024
    return out


def _profile(cid: int) -> Profile:
    return Profile(cid, "", "active", 4, TODAY, False, 1e12, True)


def _pct(samples: list[float]) -> tuple[float, float]:
    cuts = quantiles(samples, n=100)
    return cuts[49] * 1e3, cuts[94] * 1e3  # ms


def _latency(state: GraphState, ids: list[int]) -> list[float]:
    out = []
    for cid in ids:
        started = time.perf_counter()
        recommend(state.core, _profile(cid), 5, TODAY)
        out.append(time.perf_counter() - started)
    return out


def _worker(path: str, ids: list[int], queue: Any) -> None:
    before = _memory()  # the interpreter and its imports, which any worker has anyway
    core, watermark, referral_id = store.load(Path(path))
    state = GraphState(core, watermark, referral_id)
    _latency(state, ids)  # touch what serving touches
    after = _memory()
    queue.put({key: after[key] - before[key] for key in after})


def _workers(path: Path, ids: list[int], count: int) -> list[dict[str, float]]:
    ctx = multiprocessing.get_context("spawn")
    queue = ctx.Queue()
    procs = [ctx.Process(target=_worker, args=(str(path), ids, queue)) for _ in range(count)]
    for p in procs:
        p.start()
    results = [queue.get() for _ in procs]
    for p in procs:
        p.join()
    return results


async def _catch_up_cost(db: Database, state: GraphState, ids: list[int], n: int) -> float:
    products = state.core.products.ids.tolist()
    rng = random.Random(1)
    async with db.write_session() as session:
        for cid in rng.sample(ids, n):
            await session.execute(
                text(
                    "INSERT INTO holding (customer_id, product_id, units, market_value, cost,"
                    " opened_at) VALUES (:c, :p, 1, 1000, 1000, now()) ON CONFLICT DO NOTHING"
                ),
                {"c": cid, "p": rng.choice(products)},
            )
    started = time.perf_counter()
    done = await catch_up(state, db)
    return (time.perf_counter() - started) / max(done.holdings, 1)


async def _customer_nos(db: Database, ids: list[int]) -> list[str]:
    async with db.read_session() as session:
        rows = await session.execute(
            text("SELECT customer_no FROM customer WHERE id = ANY(:ids)"), {"ids": ids}
        )
        return [r[0] for r in rows]


_CROSS_SELL = (
    'query { customer(customerNo: "%s") { customerNo '
    "crossSell(first: 5) { items { productCode score reasons { kind text } } } } }"
)
_FLOOR = 'query { customer(customerNo: "%s") { customerNo } }'


async def _graphql_latency(
    url: str, data_dir: Path, numbers: list[str]
) -> tuple[list[float], list[float]]:
    """Seconds per request, as an administrator, with and without ``crossSell``
    (alternating, so both meet the same machine load)."""
    headers = {"authorization": f"Bearer {token(['admin'])}"}
    with_cs: list[float] = []
    without: list[float] = []
    async with running_app(url, data_dir=data_dir) as client:
        for no in numbers:
            for query, out in ((_CROSS_SELL, with_cs), (_FLOOR, without)):
                t0 = time.perf_counter()
                response = await client.post(
                    "/graphql", json={"query": query % no}, headers=headers
                )
                out.append(time.perf_counter() - t0)
                body = response.json()
                if "errors" in body:
                    raise RuntimeError(f"{no}: {body['errors']}")
    return with_cs, without


async def run(url: str, args: argparse.Namespace) -> Table:
    db = Database(create_async_engine(url, pool_size=2))
    settings = get_settings()
    try:
        mem_before = _memory()["rss"]
        started = time.perf_counter()
        snapshot = await read_snapshot(db)
        read_s = time.perf_counter() - started
        started = time.perf_counter()
        state = state_from(snapshot, settings, with_networkx=False)
        core_s = time.perf_counter() - started
        # An untouched core for the app (the update timings below change ``state``).
        snapshot_state = state_from(snapshot, settings, with_networkx=False)
        mem_core = _memory()["rss"] - mem_before
        started = time.perf_counter()
        twin = state_from(snapshot, settings, with_networkx=True).graph
        nx_s = time.perf_counter() - started - core_s
        mem_nx = _memory()["rss"] - mem_before - mem_core
        assert twin is not None

        ids = state.core.customer_ids.tolist()
        rng = random.Random(args.seed)
        sample = rng.sample(ids, min(args.samples, len(ids)))
        fast = _latency(state, sample)
        potential, hnw = float(settings.tier_potential_min), float(settings.tier_hnw_min)
        walked = []
        for cid in sample[: args.walk_samples]:
            t0 = time.perf_counter()
            walk_scores(twin, cid, potential, hnw)
            walked.append(time.perf_counter() - t0)

        products = state.core.products.ids.tolist()
        t0 = time.perf_counter()
        for _ in range(args.updates):
            state.apply_holding(rng.choice(ids), rng.choice(products), 1000.0, date.today())
        apply_us = (time.perf_counter() - t0) / args.updates * 1e6
        catch_s = await _catch_up_cost(db, state, ids, min(1000, len(ids)))

        with tempfile.TemporaryDirectory() as tmp:
            path = store.save(state.core, Path(tmp), state.watermark, state.referral_id)
            disk = sum(f.stat().st_size for f in path.iterdir()) / 2**20
            workers = _workers(Path(tmp), sample[:2000], args.workers)
        numbers = await _customer_nos(db, sample[: args.graphql_samples])
        with tempfile.TemporaryDirectory() as tmp:
            # The app serves what `cdp graph build` stores under data_dir/graph.
            store.save(
                snapshot_state.core,
                Path(tmp) / "graph",
                snapshot_state.watermark,
                snapshot_state.referral_id,
            )
            over_graphql, floor = await _graphql_latency(url, Path(tmp), numbers)
    finally:
        await db.dispose()

    table = Table(
        title=f"knowledge graph: {len(ids):,} customers, {len(state.core.values):,} holdings"
    )
    table.add_column("measure")
    table.add_column("value", justify="right")
    table.add_row("read from PostgreSQL (COPY, all tables)", f"{read_s:.2f} s")
    table.add_row("assemble numeric core", f"{core_s:.2f} s")
    table.add_row("build networkx twin (batch jobs only)", f"{nx_s:.2f} s")
    table.add_row("builder RSS growth: core / networkx", f"{mem_core:.0f} / {mem_nx:.0f} MB")
    table.add_row("stored core on disk", f"{disk:.1f} MB")
    rss = sum(w["rss"] for w in workers)
    pss = sum(w["pss"] for w in workers)
    table.add_row(
        f"{args.workers} workers mapping the core, growth: sum RSS / sum PSS",
        f"{rss:.0f} / {pss:.0f} MB",
    )
    p50, p95 = _pct(fast)
    table.add_row(
        f"cross-sell in-process p50 / p95 ({len(fast):,} customers)", f"{p50:.3f} / {p95:.3f} ms"
    )
    g50, g95 = _pct(over_graphql)
    table.add_row(
        f"cross-sell through GraphQL in-process p50 / p95 ({len(over_graphql):,})",
        f"{g50:.2f} / {g95:.2f} ms",
    )
    f50, f95 = _pct(floor)
    table.add_row("  the same request without crossSell p50 / p95", f"{f50:.2f} / {f95:.2f} ms")
    w50, w95 = _pct(walked) if len(walked) > 1 else (0.0, 0.0)
    table.add_row(
        f"baseline networkx walk p50 / p95 ({len(walked):,})", f"{w50:.1f} / {w95:.1f} ms"
    )
    table.add_row("incremental apply_holding", f"{apply_us:.1f} µs")
    table.add_row("catch-up from the database, per changed holding", f"{catch_s * 1e6:.0f} µs")
    return table


async def main(args: argparse.Namespace) -> None:
    os.environ.setdefault(
        "CDP_ENCRYPTION_KEY", base64.urlsafe_b64encode(secrets.token_bytes(32)).decode()
    )
    if args.reuse_db:
        console.print(await run(database_url(args.reuse_db), args))
        return
    async with scratch_database("cdp_bench_graph") as url:
        db = Database(create_async_engine(url, pool_size=2))
        try:
            console.print(f"seeding {args.customers:,} customers …")
            await seed_database(db, customers=args.customers, seed=args.seed)
        finally:
            await db.dispose()
        console.print(await run(url, args))


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--customers", type=int, default=20_000)
    parser.add_argument("--reuse-db", help="Measure an existing (seeded) database instead.")
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--samples", type=int, default=5_000)
    parser.add_argument("--walk-samples", type=int, default=50)
    parser.add_argument("--updates", type=int, default=10_000)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--graphql-samples", type=int, default=1_000)
    asyncio.run(main(parser.parse_args()))
