"""``cdp graph …``: build the snapshot, ask the graph, evaluate the ranking.

Commands answer from the stored snapshot (``cdp graph build`` writes it under
``data_dir/graph``), caught up with the database; without one they build in
memory first.
"""

from __future__ import annotations

import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
)

from cdp.config import get_settings
from cdp.db.engine import Database
from cdp.errors import InvalidInput, NotFound
from cdp.runtime import open_database, run_command
from graph import report
from graph.communities import BACKENDS
from graph.communities import communities as find_communities
from graph.communities import label as label_communities
from graph.communities import stored as stored_communities
from graph.crosssell.profiles import Profile, customer_numbers, load_profiles
from graph.crosssell.service import ADVICE, MARKETING, recommend
from graph.evaluate.holdings_file import read_holdings
from graph.evaluate.run import evaluate as run_evaluation
from graph.households import gaps, view
from graph.load import estimate_rows, read_snapshot
from graph.referrals import cascade, top_referrers
from graph.referrals import prospects as find_prospects
from graph.state import build_state, open_state, write_state
from graph.sync import GraphState

console = Console()
graph_app = typer.Typer(help="Knowledge graph: cross-sell, referrals, households.")


def _bar() -> Progress:
    return Progress(
        TextColumn("{task.description:<18}"), BarColumn(), MofNCompleteColumn(),
        TextColumn("rows"), TimeElapsedColumn(), console=console, transient=True,
    )  # fmt: skip


async def _build(db: Database, with_networkx: bool = False) -> GraphState:
    totals = await estimate_rows(db)
    with _bar() as bar:
        tasks: dict[str, TaskID] = {}

        def progress(table: str, done: int) -> None:
            if table not in tasks:
                tasks[table] = bar.add_task(table, total=max(totals.get(table, done), done))
            bar.update(tasks[table], completed=done, total=max(totals.get(table, done), done))

        return await build_state(db, get_settings(), with_networkx=with_networkx, progress=progress)


async def _state(db: Database) -> GraphState:
    try:
        return await open_state(db, get_settings())
    except FileNotFoundError:
        console.print("no stored snapshot (run `cdp graph build`); building in memory …")
        return await _build(db)


async def _profile(db: Database, customer_no: str) -> Profile:
    async with db.read_session() as session:
        found = await load_profiles(session, customer_nos=[customer_no])
    if not found:
        raise NotFound(f"no customer {customer_no}")
    return next(iter(found.values()))


async def _numbers(db: Database, ids: list[int]) -> dict[int, str]:
    async with db.read_session() as session:
        return await customer_numbers(session, ids)


@graph_app.command("build")
def build(
    networkx: Annotated[
        bool, typer.Option(help="Also build the networkx graph (to time it).")
    ] = False,
    with_communities: Annotated[
        bool, typer.Option("--communities/--no-communities", help="Run Louvain and store it.")
    ] = True,
) -> None:
    """Read the graph from PostgreSQL in one pass and store it for the server's workers."""

    async def go() -> None:
        started = time.perf_counter()
        async with open_database() as db:
            state = await _build(db, with_networkx=networkx)
        built = time.perf_counter() - started
        if with_communities:
            started = time.perf_counter()
            found = find_communities(state.core)
            label_communities(state.core, found)
            console.print(
                f"{len(found):,} communities in {time.perf_counter() - started:.1f}s",
                highlight=False,
            )
        path = write_state(state, get_settings())
        core = state.core
        console.print(
            f"graph built in {built:.1f}s: {len(core.customer_ids):,} customers, "
            f"{len(core.products):,} products, {len(core.values):,} holdings, "
            f"{len(core.household_ids):,} households, {len(core.referees):,} referrals"
            + (f", networkx {state.graph.number_of_edges():,} edges" if state.graph else "")
            + f"\nstored in {path}",
            highlight=False,
        )

    run_command(go())


@graph_app.command("cross-sell")
def cross_sell(
    customer_no: Annotated[str, typer.Argument(help="Customer number.")],
    first: Annotated[int, typer.Option(min=1, max=50, help="How many products.")] = 5,
    purpose: Annotated[str, typer.Option(help=f"{ADVICE} or {MARKETING}.")] = ADVICE,
) -> None:
    """Products to propose to a customer, with reasons and score components."""

    async def go() -> None:
        if purpose not in (ADVICE, MARKETING):
            raise InvalidInput(f"purpose must be {ADVICE} or {MARKETING}")
        async with open_database() as db:
            profile = await _profile(db, customer_no)
            state = await _state(db)
        today = datetime.now(UTC).date()
        result = recommend(state.core, profile, first, today, purpose=purpose)
        console.print(report.cross_sell(result, customer_no))

    run_command(go())


@graph_app.command("referrals")
def referrals(
    customer_no: Annotated[str, typer.Argument(help="Customer number.")],
    depth: Annotated[int, typer.Option(help="Referral hops to follow (1-10).")] = 10,
) -> None:
    """Everyone a customer brought in, directly and indirectly, with the cascade's AUM."""

    async def go() -> None:
        async with open_database() as db:
            profile = await _profile(db, customer_no)
            state = await _state(db)
            found = cascade(state.core, profile.customer_id, depth)
            numbers = await _numbers(db, [n.customer_id for n in found.nodes])
        console.print(report.cascade(found, numbers))

    run_command(go())


@graph_app.command("top-referrers")
def top_referrers_(first: Annotated[int, typer.Option(help="How many (1-1000).")] = 20) -> None:
    """Customers whose referrals bring in the most, by PageRank on the referral graph."""

    async def go() -> None:
        async with open_database() as db:
            rows = top_referrers((await _state(db)).core, first)
            numbers = await _numbers(db, [r.customer_id for r in rows])
        console.print(report.referrers(rows, numbers))

    run_command(go())


@graph_app.command("prospects")
def prospects(first: Annotated[int, typer.Option(help="How many (1-1000).")] = 20) -> None:
    """Household members and referral contacts of HNW customers who hold little."""

    async def go() -> None:
        settings = get_settings()
        async with open_database() as db:
            core = (await _state(db)).core
            rows = find_prospects(
                core, float(settings.tier_hnw_min), float(settings.tier_potential_min), first
            )
            numbers = await _numbers(db, [p.customer_id for p in rows])
        console.print(report.prospects(rows, numbers))

    run_command(go())


@graph_app.command("communities")
def communities(
    first: Annotated[int, typer.Option(help="How many to list (1-1000).")] = 20,
    seed: Annotated[int, typer.Option(help="Louvain's random seed.")] = 42,
    recompute: Annotated[
        bool, typer.Option(help="Run Louvain now instead of reading the stored result.")
    ] = False,
    backend: Annotated[str, typer.Option(help="networkit (C++) or networkx.")] = "networkit",
) -> None:
    """Communities on the customer-household-referral layer, largest first."""

    async def go() -> None:
        if not 1 <= first <= 1000:
            raise InvalidInput("first must be between 1 and 1000")
        if backend not in BACKENDS:
            raise InvalidInput(f"backend must be one of {', '.join(BACKENDS)}")
        async with open_database() as db:
            core = (await _state(db)).core
            started = time.perf_counter()
            found = [] if recompute else stored_communities(core)
            source = "stored by the build"
            if not found:
                found = find_communities(core, seed=seed, backend=backend)
                source = f"Louvain took {time.perf_counter() - started:.1f}s"
            shown = found[:first]
            numbers = await _numbers(db, [c for x in shown for c in x.customers[:3]])
        table = report.communities(shown, numbers, len(found))
        table.caption = source
        console.print(table)

    run_command(go())


@graph_app.command("household")
def household(customer_no: Annotated[str, typer.Argument(help="A member's number.")]) -> None:
    """A customer's household: members, tier, holdings by category, what it lacks."""

    async def go() -> None:
        settings = get_settings()
        async with open_database() as db:
            profile = await _profile(db, customer_no)
            core = (await _state(db)).core
            mine = core.household_of(profile.customer_id)
            if mine is None:
                raise NotFound(f"customer {customer_no} belongs to no household")
            family = view(
                core, mine[0], float(settings.tier_potential_min), float(settings.tier_hnw_min)
            )
            numbers = await _numbers(db, [m.customer_id for m in family.members])
        today = datetime.now(UTC).date()
        console.print(report.household(family, numbers, gaps(core, family, profile, today)))

    run_command(go())


@graph_app.command("evaluate")
def evaluate(
    holdings: Annotated[
        Path | None, typer.Option(help="A holdings file in the import format instead.")
    ] = None,
    sample: Annotated[int, typer.Option(min=100, help="Customers scored per protocol.")] = 20_000,
    seed: Annotated[int, typer.Option(help="Random seed of the splits.")] = 42,
) -> None:
    """Leave-one-out and temporal HR@k / MAP@k next to popularity baselines."""
    settings = get_settings()
    potential, hnw = float(settings.tier_potential_min), float(settings.tier_hnw_min)

    async def live() -> None:
        async with open_database() as db:
            snapshot = await read_snapshot(db)
        results, notes = run_evaluation(
            snapshot.columns, snapshot.products, potential, hnw, sample=sample, seed=seed
        )
        console.print(report.evaluation(results, notes, "offline evaluation (database)"))

    if holdings is None:
        run_command(live())
        return

    async def from_file() -> None:
        data = read_holdings(holdings)
        results, notes = run_evaluation(
            data.columns, data.products, potential, hnw, sample=sample, seed=seed
        )
        notes["file"] = f"{data.rows:,} rows, {data.skipped:,} skipped"
        console.print(report.evaluation(results, notes, f"offline evaluation ({holdings.name})"))

    run_command(from_file())
