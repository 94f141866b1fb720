"""What field permissions cost a request: the customer-360 list as three roles.

Each role's request runs with its compiled policy (masking, denials, row scope)
and, in turn in the same process, under two baselines: the permission seam's
``AllowAll`` (no permissions at all) and ``AllowAll`` with the role's row scope
(every field in clear, but only the customers the role may see: the query a
server without a permission layer would still run to answer a partner lawfully).
Same document, data and app, so the differences are what permissions add: all of
it, and the field work alone. Rounds alternate the two modes to
spread machine noise over both.

- admin: the customer-360 document of ``bench_api.py`` (everything allowed);
- marketer: the same without the fields the marketer is denied (birth date,
  annual income); names come masked;
- partner: what partners may read (pseudonymous id, tier, risk level, tags),
  only customers with a partner-sharing consent.

    .venv/bin/python bench/bench_permissions.py [--customers 20000] [--rounds 5]
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any
from unittest import mock

from inprocess import p50_ms, running_app, timed, token
from rich.console import Console
from rich.table import Table
from scratch import scratch_database
from sqlalchemy.ext.asyncio import create_async_engine

import cdp.app
from cdp.db.engine import Database
from cdp.seed import seed_database
from schema.permissions import AllowAll, FieldPolicy
from schema.plan_policy import PlanPolicy

_PRODUCT = "holdings { marketValue units product { code name category riskRating } }"
_TAGS = "tags { key value since explanation }"
_PAGE = "customers(first: 50, orderBy: {field: CUSTOMER_NO, direction: ASC})"
DOCUMENTS = {
    "admin": f"""{{ {_PAGE} {{ nodes {{
      customerNo name gender birthDate province city occupation annualIncome riskLevel
      riskAssessedAt investorClass branch onboardedAt status {_PRODUCT} {_TAGS} }} }} }}""",
    # Marketers may read customer numbers but not sort by them: the default order.
    "marketer": f"""{{ customers(first: 50) {{ nodes {{
      customerNo name gender province city occupation riskLevel
      riskAssessedAt investorClass branch onboardedAt status {_PRODUCT} {_TAGS} }} }} }}""",
    "partner": "{ customers(first: 50) { nodes { pseudonymousId tier riskLevel "
    "tags { key value } } } }",
}


_ALLOW_ALL = AllowAll()


class _RowsOnly(AllowAll):
    """Every field in clear, but the caller's row scope: what a server with no
    permission layer would still have to run to return the same customers."""

    def __init__(self, policy: PlanPolicy) -> None:
        self.row_scope = policy.row_scope


def _allow_all(rules: Any, principal: Any) -> FieldPolicy:
    # Plain functions: a MagicMock would record every call and slow the baseline.
    return _ALLOW_ALL


def _rows_only(rules: Any, principal: Any) -> FieldPolicy:
    return _RowsOnly(PlanPolicy(rules, principal))


MODES = {"off": _allow_all, "rows": _rows_only}


@contextmanager
def baseline(mode: str) -> Iterator[None]:
    """Every request of the block is answered under the baseline ``mode``."""
    with mock.patch.object(cdp.app, "PlanPolicy", MODES[mode]):
        yield


async def measure(url: str, requests: int, rounds: int) -> dict[str, dict[str, list[float]]]:
    """Per role and mode, the p50 of each round. Within a round the modes take turns
    request by request, so drift in the machine's load hits them alike."""
    modes = ("on", *MODES)
    out: dict[str, dict[str, list[float]]] = {r: {m: [] for m in modes} for r in DOCUMENTS}
    async with running_app(url) as client:
        headers = {r: {"authorization": f"Bearer {token([r])}"} for r in DOCUMENTS}
        for role, document in DOCUMENTS.items():  # warm caches, pools and plans
            await timed(client, document, 10, headers[role])
            for mode in MODES:
                with baseline(mode):
                    await timed(client, document, 10, headers[role])
        for _ in range(rounds):
            for role, document in DOCUMENTS.items():
                times: dict[str, list[float]] = {mode: [] for mode in modes}
                for _ in range(requests):
                    times["on"] += await timed(client, document, 1, headers[role])
                    for mode in MODES:
                        with baseline(mode):
                            times[mode] += await timed(client, document, 1, headers[role])
                for mode in modes:
                    out[role][mode].append(p50_ms(times[mode]))
    return out


def report(console: Console, results: dict[str, dict[str, list[float]]], args: Any) -> None:
    table = Table(
        title=f"customer-360 list per role, in-process ({args.customers:,} customers seeded, "
        f"{args.rounds} rounds × {args.requests} requests per mode; p50 per round)"
    )
    columns = (
        "role",
        "no permissions ms",
        "row scope only ms",
        "permissions ms",
        "vs none",
        "vs row scope only",
        "per-round vs none %",
    )
    for column in columns:
        table.add_column(column, justify="right")
    for role, modes in results.items():

        def over(base: str, modes: dict[str, list[float]] = modes) -> list[float]:
            return [on / b - 1 for on, b in zip(modes["on"], modes[base], strict=True)]

        table.add_row(
            role,
            *(f"{statistics.median(modes[m]):.2f}" for m in ("off", "rows", "on")),
            # Medians of paired rounds: the modes of a round saw the same load.
            f"{statistics.median(over('off')) * 100:+.1f} %",
            f"{statistics.median(over('rows')) * 100:+.1f} %",
            " ".join(f"{r * 100:+.1f}" for r in over("off")),
        )
    console.print(table)


async def main(args: argparse.Namespace) -> None:
    console = Console(width=150)
    async with scratch_database("cdp_bench_permissions") as url:
        console.print(f"seeding {args.customers:,} customers …")
        engine = create_async_engine(url)
        try:
            await seed_database(Database(engine), customers=args.customers, seed=42)
        finally:
            await engine.dispose()
        results = await measure(url, args.requests, args.rounds)
    report(console, results, args)


if __name__ == "__main__":  # seed worker processes import this module
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--customers", type=int, default=20_000)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--requests", type=int, default=40)
    asyncio.run(main(parser.parse_args()))
