"""Section 3 of ``bench_audit.py``: whole GraphQL requests with the audit off and on.

Off means the two audit steps of a request are patched out for that request: noting
what a list of customers read (``note_customers``) and turning that into an entry
handed to the writer (``settle``). Everything else, the writer task included, runs
the same in both modes.
"""

from __future__ import annotations

import argparse
import statistics
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any
from unittest import mock

import httpx
from inprocess import running_app, timed, token
from rich.console import Console
from rich.table import Table
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import create_async_engine

import cdp.app
import schema.dataloaders.assemble
from cdp.db.models import AuditLog

WARM_UP = 10
HEADERS = {"authorization": f"Bearer {token(['admin'])}"}
QUERY = """query Customer360List {
  customers(first: 50, orderBy: {field: CUSTOMER_NO, direction: ASC}) {
    nodes {
      customerNo name gender birthDate province city occupation annualIncome riskLevel
      riskAssessedAt investorClass branch onboardedAt status
      holdings { marketValue units product { code name category riskRating } }
      tags { key value since explanation }
    }
  }
}"""


async def _passthrough(result: Any, *args: Any, **kwargs: Any) -> Any:
    return result


def _nothing(*args: Any) -> None:
    return None


@contextmanager
def audit_off() -> Iterator[None]:
    with (
        mock.patch.object(cdp.app, "settle", _passthrough),
        mock.patch.object(schema.dataloaders.assemble, "note_customers", _nothing),
    ):
        yield


async def _one(client: httpx.AsyncClient) -> float:
    [seconds] = await timed(client, QUERY, 1, HEADERS)
    return seconds


async def _round(client: httpx.AsyncClient, requests: int) -> tuple[list[float], list[float]]:
    """``requests`` requests per mode, alternating one by one: a slow spell of the
    machine lands on both modes alike."""
    off, on = [], []
    for _ in range(requests):
        with audit_off():
            off.append(await _one(client))
        on.append(await _one(client))
    return off, on


async def whole_requests(url: str, requests: int, rounds: int) -> dict[str, Any]:
    """Per-request seconds with the audit off and on, round by round, and rows written."""
    off: list[list[float]] = []
    on: list[list[float]] = []
    async with running_app(url) as client:
        await _round(client, WARM_UP)  # caches, pools and plans
        for _ in range(rounds):
            times_off, times_on = await _round(client, requests)
            off.append(times_off)
            on.append(times_on)
    engine = create_async_engine(url)
    try:
        async with engine.connect() as conn:
            rows = (await conn.execute(select(func.count()).select_from(AuditLog))).scalar_one()
    finally:
        await engine.dispose()
    return {"off": off, "on": on, "rows": rows}


def print_whole_requests(console: Console, http: dict[str, Any], args: argparse.Namespace) -> None:
    table = Table(
        title=f"customer-360 list, 50 customers, in-process ({args.customers:,} seeded, "
        f"{args.rounds} rounds of {args.http_requests} requests per mode)"
    )
    for column in ("round", "audit off ms (p50)", "audit on ms (p50)", "on / off"):
        table.add_column(column, justify="right")
    ratios = []
    for n, (off, on) in enumerate(zip(http["off"], http["on"], strict=True), 1):
        a, b = statistics.median(off), statistics.median(on)
        ratios.append(b / a)
        table.add_row(str(n), f"{a * 1e3:.2f}", f"{b * 1e3:.2f}", f"{b / a:.3f}")
    all_off = [t for r in http["off"] for t in r]
    all_on = [t for r in http["on"] for t in r]
    table.add_row(
        "all",
        f"{statistics.median(all_off) * 1e3:.2f}",
        f"{statistics.median(all_on) * 1e3:.2f}",
        f"{statistics.median(all_on) / statistics.median(all_off):.3f}",
    )
    console.print(table)
    console.print(
        f"median of per-round ratios {statistics.median(ratios):.3f}; "
        f"audit rows written {http['rows']:,} (expected {len(all_on) + WARM_UP:,}, "
        "warm-up included)"
    )
