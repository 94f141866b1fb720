"""Process-level plumbing shared by the CLI commands and the app.

A command or the server opens one ``Database`` for its lifetime; the embedded
server (when no URL is configured) is started on first use and stopped at exit.
``run_command`` is how every CLI command runs its coroutine: a ``CdpError``
becomes a one-line message on stderr and the error's exit code, never a traceback.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Coroutine
from contextlib import asynccontextmanager
from typing import Any, TypeVar

import typer
from rich.console import Console

from cdp.config import Settings, get_settings
from cdp.db.engine import Database, create_engine, database_url
from cdp.errors import CdpError

T = TypeVar("T")

err_console = Console(stderr=True)


@asynccontextmanager
async def open_database(settings: Settings | None = None) -> AsyncIterator[Database]:
    settings = settings or get_settings()
    db = Database(create_engine(settings, database_url(settings)))
    try:
        yield db
    finally:
        await db.dispose()


def run_command(coro: Coroutine[Any, Any, T]) -> T:
    """Run a command's coroutine; map domain errors to a message and exit code."""
    try:
        return asyncio.run(coro)
    except CdpError as exc:
        err_console.print(f"[bold red]error:[/] {exc.message}")
        raise typer.Exit(exc.exit_code) from None
    except (OSError, ConnectionError) as exc:
        err_console.print(f"[bold red]error:[/] cannot reach the database: {exc}")
        raise typer.Exit(6) from None
