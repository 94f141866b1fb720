"""The ``cdp segments`` commands: list, create, preview, refresh, export.

The command line acts as a role (``--as-role``, admin by default): the role's
compiled plan from the policy in force decides which fields a rule may read and
an export may carry, its row scope applies, and exports are audited under the
operating-system user (``cli:<user>``).
"""

from __future__ import annotations

import getpass
from collections.abc import Callable
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from cdp.auth.base import check_role
from cdp.db.engine import Database
from cdp.errors import Forbidden, InvalidInput
from cdp.exports.formats import FORMATS, render, write_private
from cdp.exports.service import PURPOSES, ExportRequest, export_segment
from cdp.principal import Principal
from cdp.runtime import open_database, run_command
from policies.compiled import CompiledPolicy, FieldPlan
from policies.known_fields import known_fields
from policies.language import Decision
from policies.pg_store import PgPolicyStore
from policies.row_scopes import RowScope
from tagging import segments

console = Console()
segments_app = typer.Typer(help="Segments: list, create, preview, refresh and export them.")

RoleOption = Annotated[
    str, typer.Option("--as-role", help="Act as this role: its field plan and row scope apply.")
]


def _principal(role: str) -> Principal:
    return Principal(subject=f"cli:{getpass.getuser()}", kind="cli", roles=frozenset({role}))


async def _plan(db: Database, role: str) -> FieldPlan:
    lines = await PgPolicyStore(db).load()
    return CompiledPolicy.from_lines(lines, known_fields()).plan([check_role(role)])


def _may_filter(plan: FieldPlan) -> Callable[[str], bool]:
    def may(name: str) -> bool:
        type_name, _, field = name.partition(".")
        return field in plan.filterable.get(type_name, frozenset())

    return may


async def _list() -> None:
    async with open_database() as db, db.read_session() as session:
        rows = await segments.list_segments(session, limit=1000)
    table = Table("key", "name", "status", "v", "members", "refreshed", "rule")
    for s in rows:
        refreshed = s.refreshed_at.strftime("%Y-%m-%d %H:%M") if s.refreshed_at else "—"
        table.add_row(s.key, s.name, s.status, str(s.version), f"{s.members:,}", refreshed, s.rule)
    console.print(table)


@segments_app.command("list")
def list_command() -> None:
    """Every segment with its status, version and members at the last refresh."""
    run_command(_list())


async def _preview(key: str, role: str) -> None:
    async with open_database() as db:
        plan = await _plan(db, role)
        async with db.read_session() as session:
            segment = await segments.get_segment(session, key)
            scope = RowScope.of(plan.row_scopes).predicate("customer")
            found = await segments.preview(
                session, segment.rule, filterable=_may_filter(plan), scope=scope
            )
    console.print(f"{key}: [bold]{found.count:,}[/] customers", highlight=False)
    if plan.decision("Customer", "id", "read") is not Decision.DENY:
        console.print("first ids: " + ", ".join(str(i) for i in found.customer_ids))


@segments_app.command("preview")
def preview_command(key: str, as_role: RoleOption = "admin") -> None:
    """Count a segment's rule now (nothing saved), in the role's row scope."""
    run_command(_preview(key, as_role))


async def _create(key: str, name: str, rule: str, role: str, publish: bool) -> None:
    async with open_database() as db:
        plan = await _plan(db, role)
        if not plan.writable.get("Segment"):
            raise Forbidden(f"the role {role} may not write segments")
        async with db.write_session() as session:
            spec = segments.SegmentSpec(key, name, rule)
            actor = f"cli:{getpass.getuser()}"
            segment = await segments.create_segment(
                session, spec, actor=actor, filterable=_may_filter(plan)
            )
            if publish:
                await segments.publish_segment(session, key)
            await session.commit()
    console.print(f"{key}: version {segment.version}, {segment.status}", highlight=False)


@segments_app.command("create")
def create_command(
    key: str,
    name: Annotated[str, typer.Option("--name", help="Display name.")],
    rule: Annotated[str, typer.Option("--rule", help="A boolean rule (tag rule language).")],
    publish: Annotated[bool, typer.Option("--publish", help="Publish it at once.")] = False,
    as_role: RoleOption = "admin",
) -> None:
    """Save a new segment (a draft unless --publish); the rule may only use fields
    the role may filter on."""
    run_command(_create(key, name, rule, as_role, publish))


async def _refresh(key: str) -> None:
    async with open_database() as db, db.write_session() as session:
        run = await segments.refresh_segment(session, key, actor=f"cli:{getpass.getuser()}")
        await session.commit()
    console.print(
        f"{key}: run {run.id}, {run.members:,} members, {run.entered:,} entered, "
        f"{run.left:,} left, {run.seconds:.2f}s",
        highlight=False,
    )


@segments_app.command("refresh")
def refresh_command(key: str) -> None:
    """Recompute an active segment's members and record who entered and left."""
    run_command(_refresh(key))


async def _export(
    key: str, fields: list[str], fmt: str, purpose: str, out: Path, role: str
) -> None:
    if fmt not in FORMATS:
        raise InvalidInput(f"--format must be one of {', '.join(FORMATS)}")
    async with open_database() as db:
        plan = await _plan(db, role)
        async with db.write_session() as session:
            done = await export_segment(
                session, plan, _principal(role), ExportRequest(key, tuple(fields), purpose)
            )
            content = render(done.fields, done.rows, fmt)
            # The audit entry commits first: a file that failed to write is still
            # recorded as exported, never the other way round.
            await session.commit()
    write_private(out, content)
    console.print(
        f"{out}: {len(done.rows):,} customers of {done.members_in_scope:,} in scope "
        f"({done.without_consent:,} left out without {purpose} consent); audited",
        highlight=False,
    )


@segments_app.command("export")
def export_command(
    key: str,
    fields: Annotated[
        str, typer.Option("--fields", help="Comma-separated Customer fields, e.g. customerNo,city.")
    ],
    out: Annotated[Path, typer.Option("--out", help="File to write (created owner-only, 0600).")],
    fmt: Annotated[str, typer.Option("--format", help="csv or jsonl.")] = "csv",
    purpose: Annotated[
        str, typer.Option("--purpose", help=f"One of {', '.join(PURPOSES)}; its consent applies.")
    ] = "marketing",
    as_role: RoleOption = "admin",
) -> None:
    """Export the permitted fields of a segment's members (last refresh) to a file."""
    names = [f.strip() for f in fields.split(",") if f.strip()]
    run_command(_export(key, names, fmt, purpose, out, as_role))
