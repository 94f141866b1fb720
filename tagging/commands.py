"""CLI commands: the ``cdp tags`` group (registered by the CLI)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, Progress, TaskID, TextColumn, TimeElapsedColumn
from rich.table import Table

from cdp.db.engine import Database
from cdp.errors import InvalidInput
from cdp.runtime import open_database, run_command
from tagging.definitions import list_tags
from tagging.engine import RunReport, run_dirty, run_tags
from tagging.engine.runs import recent_runs
from tagging.library import install_library
from tagging.stats import coverage
from tagging.store import import_values

console = Console()
tags_app = typer.Typer(help="Tags: load the library, run rules, list tags and runs.")

_STAGES = {"features": "features", "evaluate": "tags", "write": "writing"}


def _progress_bar(bar: Progress) -> Callable[[str, int, int], None]:
    tasks: dict[str, TaskID] = {}

    def update(stage: str, done: int, total: int) -> None:
        if stage not in tasks:
            tasks[stage] = bar.add_task(_STAGES.get(stage, stage), total=max(total, 1))
        bar.update(tasks[stage], completed=done, total=max(total, 1))

    return update


def _render_run(report: RunReport) -> None:
    counts = report.counts
    console.print(
        f"run [bold]{report.id}[/] ({report.kind}) {report.status}: "
        f"{report.customers:,} customers, {counts.get('values', 0):,} values, "
        f"{counts.get('entered', 0):,} entered, {counts.get('left', 0):,} left, "
        f"{counts.get('changed', 0):,} changed",
        highlight=False,
    )
    stages = "  ".join(f"{name} {seconds:.2f}s" for name, seconds in report.stages.items())
    console.print(f"  {stages}", highlight=False)


def _bar() -> Progress:
    return Progress(
        TextColumn("{task.description:>9}"),
        BarColumn(),
        TextColumn("{task.completed:,}/{task.total:,}"),
        TimeElapsedColumn(),
        console=console,
        transient=True,
    )


async def run_tags_once(db: Database, keys: list[str] | None = None) -> RunReport:
    """A full run with a progress bar, then its summary."""
    with _bar() as bar:
        report = await run_tags(db, keys=keys or None, progress=_progress_bar(bar))
    _render_run(report)
    return report


async def _run(full: bool, dirty: bool, keys: list[str]) -> None:
    if full and dirty:
        raise InvalidInput("choose --full or --dirty, not both")
    if dirty and keys:
        raise InvalidInput("--dirty recomputes every tag of the dirty customers; drop --tag")
    async with open_database() as db:
        if not dirty:
            await run_tags_once(db, keys)
            return
        with _bar() as bar:
            report = await run_dirty(db, progress=_progress_bar(bar))
    _render_run(report)


@tags_app.command("run")
def run(
    full: Annotated[bool, typer.Option("--full", help="Every customer (the default).")] = False,
    dirty: Annotated[
        bool, typer.Option("--dirty", help="Only customers whose data changed.")
    ] = False,
    tag: Annotated[
        list[str] | None, typer.Option("--tag", help="Only this tag (repeatable).")
    ] = None,
) -> None:
    """Evaluate the active rule tags and write what changed, in one transaction."""
    run_command(_run(full, dirty, tag or []))


async def load_library(db: Database, actor: str) -> None:
    async with db.write_session() as session:
        report = await install_library(session, actor=actor)
    console.print(
        f"library: {len(report.created)} created, {len(report.updated)} updated, "
        f"{len(report.unchanged)} unchanged, {len(report.published)} published"
        + (f", {len(report.archived)} archived left alone" if report.archived else ""),
        highlight=False,
    )


async def _load(actor: str) -> None:
    async with open_database() as db:
        await load_library(db, actor)


@tags_app.command("load")
def load(
    actor: Annotated[str, typer.Option("--actor", help="Recorded as the editor.")] = "library",
) -> None:
    """Install or update the default tag library (idempotent)."""
    run_command(_load(actor))


async def _list() -> None:
    async with open_database() as db, db.read_session() as session:
        definitions = await list_tags(session)
        counts = {row.key: row for row in await coverage(session)}
    table = Table("key", "名称", "name", "category", "type", "status", "v", "customers", "share")
    for d in definitions:
        row = counts.get(d.key)
        table.add_row(
            d.key,
            d.name_zh,
            d.name_en,
            d.category,
            d.value_type,
            d.status,
            str(d.version),
            f"{row.customers:,}" if row else "0",
            f"{row.share:.1%}" if row else "-",
        )
    console.print(table)


@tags_app.command("list")
def list_() -> None:
    """List tag definitions with how many customers have each."""
    run_command(_list())


async def _runs(limit: int) -> None:
    async with open_database() as db, db.read_session() as session:
        rows = await recent_runs(session, limit)
    table = Table("id", "kind", "status", "started", "seconds", "customers", "changes", "error")
    for r in rows:
        seconds = (r.finished_at - r.started_at).total_seconds() if r.finished_at else None
        changes = sum(r.counts.get(k, 0) for k in ("entered", "left", "changed"))
        table.add_row(
            str(r.id),
            r.kind,
            r.status,
            f"{r.started_at:%Y-%m-%d %H:%M:%S}",
            f"{seconds:.1f}" if seconds is not None else "-",
            f"{r.customers:,}",
            f"{changes:,}",
            (r.error or "")[:60],
        )
    console.print(table)


@tags_app.command("runs")
def runs(
    limit: Annotated[int, typer.Option("--limit", help="Newest first.")] = 20,
) -> None:
    """Recent runs with their status, duration and changes."""
    run_command(_runs(limit))


async def _import(path: Path, key: str, actor: str) -> None:
    if not path.is_file():
        raise InvalidInput(f"no such file: {path}")
    async with open_database() as db, db.write_session() as session:
        changed, rows = await import_values(session, path, key, actor=actor)
    console.print(f"{key}: {rows:,} rows read, {changed:,} values changed", highlight=False)


@tags_app.command("import")
def import_(
    path: Annotated[Path, typer.Argument(help="CSV with a header: customer_no,value.")],
    tag: Annotated[str, typer.Option("--tag", help="The manual tag to set.")],
    actor: Annotated[str, typer.Option("--actor", help="Recorded as who set them.")] = "import",
) -> None:
    """Set a manual tag's values from a file (an empty value removes one)."""
    run_command(_import(path, tag, actor))
