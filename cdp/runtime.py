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

import asyncpg
import typer
from rich.console import Console
from sqlalchemy.exc import DBAPIError

from cdp.config import Settings, get_settings
from cdp.db.engine import Database, create_engine, database_url
from cdp.errors import CdpError

T = TypeVar("T")

err_console = Console(stderr=True, soft_wrap=True)  # one error, one line


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
    except DBAPIError as exc:
        orig = exc.orig.__cause__ or exc.orig if exc.orig is not None else exc
        err_console.print(f"[bold red]error:[/] {_explain(orig)}")
        raise typer.Exit(6) from None
    except asyncpg.PostgresError as exc:  # raw COPY paths bypass SQLAlchemy's wrapping
        err_console.print(f"[bold red]error:[/] {_explain(exc)}")
        raise typer.Exit(6) from None


def _explain(exc: BaseException) -> str:
    """One actionable line for an operator instead of a driver traceback."""
    name = type(exc).__name__
    detail = (str(exc).strip().splitlines() or [name])[0]
    if name == "UndefinedTableError":
        return f"the database is not migrated ({detail}); run `cdp db upgrade` first"
    if name == "InvalidCatalogNameError":
        return f"{detail}; create it or fix CDP_DATABASE_URL"
    return f"database error: {detail}"
