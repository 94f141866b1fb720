"""CLI command ``cdp audit purge`` (registered by the CLI, which owns the ``cdp`` app).

Applies the retention setting: entries older than ``audit_retention_days`` (or
``--older-than-days``) are deleted in one transaction. Meant for a daily job.
"""

from __future__ import annotations

from typing import Annotated

import typer
from rich.console import Console

from cdp.config import get_settings
from cdp.errors import InvalidInput
from cdp.runtime import open_database, run_command
from policies.audit.repository import AuditRepository

console = Console()
audit_app = typer.Typer(help="The audit trail of sensitive reads.", no_args_is_help=True)


@audit_app.command("purge")
def purge(
    older_than_days: Annotated[
        int | None,
        typer.Option(
            "--older-than-days",
            help="Delete entries older than this many days (default CDP_AUDIT_RETENTION_DAYS).",
        ),
    ] = None,
) -> None:
    """Delete audit entries past the retention period and print how many."""

    async def go() -> tuple[int, int]:
        days = get_settings().audit_retention_days if older_than_days is None else older_than_days
        if days < 1:
            raise InvalidInput(f"--older-than-days must be at least 1, got {days}")
        async with open_database() as db, db.write_session() as session:
            return await AuditRepository(session).purge_older_than(days), days

    removed, days = run_command(go())
    console.print(f"removed {removed} audit entries older than {days} days")
