"""CLI commands: the ``cdp keys`` and ``cdp tokens`` groups (registered by the CLI) and the
demo credential."""

from __future__ import annotations

import os
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated

import typer
from rich import box
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from cdp.auth import keys
from cdp.auth.base import KNOWN_ROLES, SOURCE_SYSTEM
from cdp.auth.mint import mint
from cdp.auth.store import create_key, delete_key, find_by_prefix, list_keys, revoke_key
from cdp.config import get_settings
from cdp.db.engine import Database
from cdp.runtime import open_database, run_command

console = Console()
keys_app = typer.Typer(help="API keys of partner systems and services.", no_args_is_help=True)

DEMO_KEY_NAME = "demo-admin"
_LIST_COLUMNS = ("name", "role", "sources", "prefix", "created", "expires", "revoked", "last used")


def _when(value: datetime | None) -> str:
    return value.astimezone(UTC).strftime("%Y-%m-%d %H:%M") if value else "-"


def _day(value: datetime | None) -> str:
    return value.astimezone(UTC).strftime("%Y-%m-%d") if value else "-"


@keys_app.command("create")
def create(
    name: Annotated[str, typer.Option("--name", help="Unique name, e.g. the partner.")],
    role: Annotated[str, typer.Option("--role", help=f"One of {', '.join(KNOWN_ROLES)}.")],
    expires: Annotated[
        str | None, typer.Option("--expires", help="Valid for, e.g. 90d, 12h, 2w; default never.")
    ] = None,
    source: Annotated[
        list[str] | None,
        typer.Option(
            "--source",
            help=f"A source name a {SOURCE_SYSTEM} key may send records as (repeat for "
            "several); required for that role, refused for others.",
        ),
    ] = None,
) -> None:
    """Issue a key and print it once; only its hash is stored."""
    sources = source or []

    async def go() -> str:
        now = datetime.now(UTC)
        valid_for = keys.parse_duration(expires) if expires is not None else None
        async with open_database() as db, db.write_session() as session:
            _, token = await create_key(session, name, role, now, valid_for, sources)
        return token

    token = run_command(go())
    bound = f", sources {', '.join(sorted(set(sources)))}" if sources else ""
    console.print(
        f"created key [bold]{escape(name)}[/] (role {role}{escape(bound)}); "
        "it is shown only this once:"
    )
    print(token)


@keys_app.command("list")
def list_() -> None:
    """Keys with role, bound sources, prefix and dates; never the secret."""

    async def go() -> Table:
        async with open_database() as db, db.write_session() as session:
            rows = await list_keys(session)
        table = Table(box=box.SIMPLE_HEAD, pad_edge=False)
        for column in _LIST_COLUMNS:
            table.add_column(column, no_wrap=True)
        for row in rows:
            table.add_row(
                escape(row.name),
                row.role,
                escape(",".join(row.sources)) or "-",
                row.prefix,
                _day(row.created_at),
                _day(row.expires_at),
                _day(row.revoked_at),
                _when(row.last_used_at),
            )
        return table

    # Wide enough for whole names and times even when piped (rich assumes 80 columns).
    Console(width=max(console.width, 160)).print(run_command(go()))


@keys_app.command("revoke")
def revoke(name: Annotated[str, typer.Argument(help="The key's name.")]) -> None:
    """Refuse a key from now on (every server process within a minute, see README)."""

    async def go() -> datetime | None:
        async with open_database() as db, db.write_session() as session:
            return (await revoke_key(session, name, datetime.now(UTC))).revoked_at

    console.print(f"key [bold]{name}[/] revoked at {_when(run_command(go()))}")


async def demo_key(db: Database, path: Path) -> str:
    """A usable local admin key: the one saved in ``path`` if still valid, else a new one.

    For ``cdp demo`` only: the key is kept in clear in the data directory (mode 0600)
    so every demo run prints the same credential.
    """
    now = datetime.now(UTC)
    saved = path.read_text().strip() if path.is_file() else ""
    parsed = keys.parse(saved)
    async with db.write_session() as session:
        if parsed:
            record = await find_by_prefix(session, parsed[0])
            if (
                record
                and record.name == DEMO_KEY_NAME
                and record.usable_at(now)
                and keys.secret_matches(parsed[1], record.key_hash)
            ):
                return saved
        await delete_key(session, DEMO_KEY_NAME)
        _, token = await create_key(session, DEMO_KEY_NAME, "admin", now)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as file:
        file.write(token + "\n")
    return token


tokens_app = typer.Typer(
    help="Development JWTs signed with CDP_JWT_SECRET (production tokens come from your "
    "identity provider).",
    no_args_is_help=True,
)


@tokens_app.command("create")
def create_token(
    sub: Annotated[str, typer.Option("--sub", help="The token's subject (who is calling).")],
    role: Annotated[
        list[str], typer.Option("--role", help=f"Repeatable; one of {', '.join(KNOWN_ROLES)}.")
    ],
    advisor: Annotated[
        int | None, typer.Option("--advisor", help="Advisor id (advisor role: own customers).")
    ] = None,
    ttl: Annotated[str, typer.Option("--ttl", help="Valid for, e.g. 30m, 12h, 7d.")] = "1h",
) -> None:
    """Sign a JWT with CDP_JWT_SECRET for development and print it."""

    async def go() -> str:
        return mint(get_settings(), sub, role, advisor_id=advisor, ttl=keys.parse_duration(ttl))

    print(run_command(go()))
