"""``cdp seed`` and ``cdp seed-sources``: the command functions the CLI registers."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TaskID, TimeElapsedColumn
from rich.table import Table

from cdp.runtime import open_database, run_command
from cdp.seed.report import SeedReport
from cdp.seed.runner import seed_database
from cdp.seed.sources import write_source_files

console = Console()


def seed(
    customers: Annotated[int, typer.Option(help="How many customers to create.", min=1)] = 20_000,
    seed: Annotated[int, typer.Option(help="Random seed; the same seed gives the same data.")] = 42,
    reset: Annotated[
        bool, typer.Option(help="Truncate the data tables first instead of refusing.")
    ] = False,
) -> None:
    """Fill an empty database with a deterministic wealth-management data set."""
    with Progress(
        "[progress.description]{task.description}", BarColumn(), MofNCompleteColumn(),
        TimeElapsedColumn(), console=console, transient=True,
    ) as bar:  # fmt: skip
        tasks: dict[str, TaskID] = {}

        def progress(stage: str, done: int, total: int) -> None:
            if stage not in tasks:
                tasks[stage] = bar.add_task(stage, total=total)
            bar.update(tasks[stage], completed=done, total=total)

        async def go() -> SeedReport:
            async with open_database() as db:
                return await seed_database(
                    db, customers=customers, seed=seed, progress=progress, reset=reset
                )

        report = run_command(go())
    console.print(summary_table(report))


def summary_table(report: SeedReport) -> Table:
    table = Table(title=f"seeded {report.customers:,} customers (seed {report.seed})")
    table.add_column("table")
    table.add_column("rows", justify="right")
    table.add_column("seconds", justify="right")
    for name, rows in report.rows.items():
        table.add_row(name, f"{rows:,}", f"{report.seconds.get(name, 0.0):.1f}")
    table.add_row(
        "[bold]total[/]", f"[bold]{report.total_rows:,}[/]", f"[bold]{report.elapsed:.1f}[/]"
    )
    return table


def seed_sources(
    out_dir: Annotated[Path, typer.Argument(help="Directory for the CSV files.")],
    people: Annotated[
        int, typer.Option(help="Distinct people across both sources.", min=1)
    ] = 10_000,
    seed: Annotated[int, typer.Option(help="Random seed.")] = 42,
    duplicate_share: Annotated[
        float, typer.Option(help="Share of people present in both sources.", min=0.0, max=1.0)
    ] = 0.3,
) -> None:
    """Write core_banking.csv and crm.csv with planted duplicates, and truth.csv."""
    files = write_source_files(out_dir, people=people, seed=seed, duplicate_share=duplicate_share)
    for name, path in files.paths.items():
        console.print(f"wrote {files.rows[name]:,} rows to [bold]{path}[/]")
    console.print(f"{files.people:,} people, {files.in_both:,} of them in both sources")
