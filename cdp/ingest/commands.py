"""CLI commands: ``cdp import`` and the ``cdp merges`` group (registered by the CLI)."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

from cdp.config import get_settings
from cdp.db.enums import RECORD_KINDS
from cdp.errors import InvalidInput
from cdp.ingest.columns import check_kind
from cdp.ingest.encodings import DEFAULT, check_encoding
from cdp.ingest.merges import list_merges, undo_merge
from cdp.ingest.report import render_import, render_merges, render_undo
from cdp.ingest.runner import import_file
from cdp.runtime import open_database, run_command

console = Console()


def _default_rejects(source: str, kind: str) -> Path:
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S")
    return Path(get_settings().data_dir) / "rejects" / f"{source}-{kind}-{stamp}.csv"


async def _import(path: Path, source: str, kind: str, rejects: Path | None, encoding: str) -> None:
    check_kind(kind)
    encoding = check_encoding(encoding)
    if not path.is_file():
        raise InvalidInput(f"no such file: {path}")
    target = rejects or _default_rejects(source, kind)
    async with open_database() as db:
        with Progress(
            SpinnerColumn(),
            TextColumn("{task.description} {task.completed:,} rows"),
            TimeElapsedColumn(),
            console=console,
            transient=True,
        ) as bar:
            task = bar.add_task(f"importing {path.name}")
            report = await import_file(
                db,
                path,
                source=source,
                kind=kind,
                rejects_path=target,
                progress=lambda n: bar.advance(task, n),
                encoding=encoding,
            )
    if rejects is None and not report.counts["rejected"]:
        target.unlink(missing_ok=True)  # no rejects: leave no empty file behind
        report.rejects_path = None
    render_import(report, console)


def import_(
    path: Annotated[Path, typer.Argument(help="CSV (header row) or JSON Lines file.")],
    source: Annotated[str, typer.Option("--source", help="Source system, e.g. core_banking.")],
    kind: Annotated[
        str, typer.Option("--kind", help=f"Record kind: {', '.join(RECORD_KINDS)}.")
    ] = "customers",
    rejects: Annotated[
        Path | None,
        typer.Option("--rejects", help="Write rejected rows here (default: under data_dir)."),
    ] = None,
    encoding: Annotated[
        str,
        typer.Option("--encoding", help="The file's text encoding, e.g. gbk, gb18030, big5."),
    ] = DEFAULT,
) -> None:
    """Import a file of source records; bad rows are quarantined, good rows are kept."""
    run_command(_import(path, source, kind, rejects, encoding))


merges_app = typer.Typer(help="Identity merges: list them, split a wrong one back out.")


async def _list(customer: str | None, limit: int) -> None:
    async with open_database() as db, db.write_session() as session:
        rows = await list_merges(session, customer, limit)
    render_merges(rows, console)


async def _undo(merge_id: int) -> None:
    async with open_database() as db:
        async with db.write_session() as session:
            result = await undo_merge(session, merge_id)
        render_undo(result, console)


@merges_app.command("list")
def list_(
    customer: Annotated[
        str | None,
        typer.Option("--customer", help="Only merges into (or split from) this customer number."),
    ] = None,
    limit: Annotated[int, typer.Option("--limit", help="At most this many, newest first.")] = 200,
) -> None:
    """List identity merges, newest first."""
    run_command(_list(customer, limit))


@merges_app.command("undo")
def undo(merge_id: Annotated[int, typer.Argument(help="The merge id from `merges list`.")]) -> None:
    """Split a wrongly merged source record back into its own customer."""
    run_command(_undo(merge_id))
