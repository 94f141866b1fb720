"""What field permissions cost a request: the customer-360 list as three roles.

Each role's request runs with its compiled policy (masking, denials, row scope)
and, alternately in the same process, with the permission seam's ``AllowAll`` in
its place: same document, same data, same app, so the difference is what
permissions add, row-scope predicates included. Rounds alternate the two modes to
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
from schema.permissions import AllowAll

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


@contextmanager
def permissions_off() -> Iterator[None]:
    """Every request of the block is answered under ``AllowAll``."""
    with mock.patch.object(cdp.app, "PlanPolicy", return_value=AllowAll()):
        yield


async def measure(url: str, requests: int, rounds: int) -> dict[str, dict[str, list[float]]]:
    """Per role and mode, the p50 of each round. Within a round the two modes take
    turns request by request, so drift in the machine's load hits both alike."""
    out: dict[str, dict[str, list[float]]] = {role: {"on": [], "off": []} for role in DOCUMENTS}
    async with running_app(url) as client:
        headers = {r: {"authorization": f"Bearer {token([r])}"} for r in DOCUMENTS}
        for role, document in DOCUMENTS.items():  # warm caches, pools and plans
            await timed(client, document, 10, headers[role])
            with permissions_off():
                await timed(client, document, 10, headers[role])
        for _ in range(rounds):
            for role, document in DOCUMENTS.items():
                off: list[float] = []
                on: list[float] = []
                for _ in range(requests):
                    with permissions_off():
                        off += await timed(client, document, 1, headers[role])
                    on += await timed(client, document, 1, headers[role])
                out[role]["off"].append(p50_ms(off))
                out[role]["on"].append(p50_ms(on))
    return out


def report(console: Console, results: dict[str, dict[str, list[float]]], args: Any) -> None:
    table = Table(
        title=f"customer-360 list per role, in-process ({args.customers:,} customers seeded, "
        f"{args.rounds} rounds × {args.requests} requests per mode; p50 per round)"
    )
    columns = ("role", "permissions off ms", "on ms", "overhead", "per-round overheads %")
    for column in columns:
        table.add_column(column, justify="right")
    for role, modes in results.items():
        per_round = [on / off - 1 for on, off in zip(modes["on"], modes["off"], strict=True)]
        table.add_row(
            role,
            f"{statistics.median(modes['off']):.2f}",
            f"{statistics.median(modes['on']):.2f}",
            # The median of paired rounds: both modes of a round saw the same load.
            f"{statistics.median(per_round) * 100:+.1f} %",
            " ".join(f"{r * 100:+.1f}" for r in per_round),
        )
    console.print(table)


async def main(args: argparse.Namespace) -> None:
    console = Console()
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
