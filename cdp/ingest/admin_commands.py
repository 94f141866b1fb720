"""``cdp import`` (a file, or ``runs``) and ``cdp quarantine list|show|retry``."""

from __future__ import annotations

from typing import Annotated, Any

import orjson
import typer
from rich.console import Console
from rich.table import Table
from typer.core import TyperGroup

from cdp.ingest.commands import import_
from cdp.ingest.quarantined import (
    QuarantinedRow,
    RetryOutcome,
    get_quarantined,
    ids_of_run,
    list_quarantined,
    retry,
)
from cdp.ingest.runs import RunRow, list_runs, reap_abandoned
from cdp.runtime import open_database, run_command

console = Console()


class _FileUnlessCommand(TyperGroup):
    """``cdp import PATH …`` imports a file; ``cdp import runs`` lists runs. Anything
    that is not a subcommand's name is the file (``cdp import ./runs`` for a file
    named like one)."""

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        if args and args[0] not in self.commands and args[0] not in ("--help", "-h"):
            args = ["file", *args]
        return super().parse_args(ctx, args)


import_app = typer.Typer(
    cls=_FileUnlessCommand,
    help="Import a CSV or JSON Lines file from a source system (`cdp import PATH --source S`), "
    "or list import runs (`cdp import runs`).",
    no_args_is_help=True,
)
import_app.command("file", help="Import a file (the default: `cdp import PATH …`).")(import_)


def _when(value: Any) -> str:
    return "" if value is None else f"{value:%Y-%m-%d %H:%M:%S}"


def render_runs(runs: list[RunRow], console: Console) -> None:
    table = Table(title="import runs")
    for column in ("run", "source", "kind", "status", "started", "finished", "counts", "origin"):
        table.add_column(column)
    for r in runs:
        counts = ", ".join(f"{k} {v}" for k, v in sorted(r.counts.items()) if v)
        status = r.status if r.status != "failed" else f"[bold red]{r.status}[/]"
        table.add_row(
            str(r.id), r.source, r.kind, status, _when(r.started_at), _when(r.finished_at),
            counts, r.origin,
        )  # fmt: skip
    console.print(table)


@import_app.command("runs")
def runs(
    source: Annotated[str | None, typer.Option("--source", help="Only this source.")] = None,
    limit: Annotated[int, typer.Option("--limit", help="At most this many, newest first.")] = 20,
) -> None:
    """List import runs, newest first; runs whose process died are marked failed first."""

    async def go() -> list[RunRow]:
        async with open_database() as db:
            await reap_abandoned(db)
            async with db.write_session() as session:
                return await list_runs(session, limit, source)

    render_runs(run_command(go()), console)


quarantine_app = typer.Typer(
    help="Rejected rows waiting in quarantine: list, show, retry.", no_args_is_help=True
)


def render_quarantined(rows: list[QuarantinedRow], console: Console) -> None:
    table = Table(title="quarantined rows")
    for column in ("id", "run", "source", "kind", "row", "source_key", "code", "reason"):
        table.add_column(column)
    for q in rows:
        table.add_row(
            str(q.id), str(q.import_run_id or ""), q.source, q.kind, str(q.row_number or ""),
            q.source_key or "", q.reason_code, q.reason,
        )  # fmt: skip
    console.print(table)


@quarantine_app.command("list")
def list_(
    run: Annotated[int | None, typer.Option("--run", help="Only rows of this import run.")] = None,
    source: Annotated[str | None, typer.Option("--source", help="Only this source.")] = None,
    resolved: Annotated[
        bool, typer.Option("--resolved", help="Include rows a retry has resolved.")
    ] = False,
    limit: Annotated[int, typer.Option("--limit", help="At most this many, newest first.")] = 50,
) -> None:
    """List quarantined rows, newest first (unresolved ones unless --resolved)."""

    async def go() -> list[QuarantinedRow]:
        async with open_database() as db, db.write_session() as session:
            return await list_quarantined(
                session, run_id=run, source=source, include_resolved=resolved, limit=limit
            )

    render_quarantined(run_command(go()), console)


@quarantine_app.command("show")
def show(quarantine_id: Annotated[int, typer.Argument(help="The id from `list`.")]) -> None:
    """One quarantined row: why, where from, and the row as it was read."""

    async def go() -> QuarantinedRow:
        async with open_database() as db, db.write_session() as session:
            return await get_quarantined(session, quarantine_id)

    q = run_command(go())
    for label, value in (
        ("id", q.id), ("import run", q.import_run_id), ("source", q.source), ("kind", q.kind),
        ("row", q.row_number), ("source key", q.source_key), ("field", q.field),
        ("code", q.reason_code), ("reason", q.reason), ("quarantined", _when(q.created_at)),
        ("resolved", _when(q.resolved_at) or "no"),
    ):  # fmt: skip
        console.print(f"[bold]{label}:[/] {'' if value is None else value}", highlight=False)
    console.print("[bold]row as read:[/]")
    console.print_json(orjson.dumps(q.payload, option=orjson.OPT_INDENT_2).decode())


def render_retry(outcomes: list[RetryOutcome], console: Console) -> None:
    table = Table(title="retried")
    for column in ("id", "status", "reason"):
        table.add_column(column)
    for o in outcomes:
        status = f"[bold red]{o.status}[/]" if o.status == "rejected" else o.status
        table.add_row(str(o.quarantine_id), status, o.reason or "")
    console.print(table)


@quarantine_app.command("retry")
def retry_(
    ids: Annotated[list[int] | None, typer.Argument(help="Quarantined row ids.")] = None,
    run: Annotated[
        int | None, typer.Option("--run", help="Every unresolved row of this import run.")
    ] = None,
) -> None:
    """Ingest quarantined rows again; accepted ones are marked resolved."""

    async def go() -> list[RetryOutcome]:
        async with open_database() as db:
            wanted = list(ids or [])
            if run is not None:
                async with db.write_session() as session:
                    wanted += await ids_of_run(session, run)
            return await retry(db, wanted)

    render_retry(run_command(go()), console)
