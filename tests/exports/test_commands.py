"""``cdp segments``: list, preview, refresh, export as a role; errors as exit codes."""

from __future__ import annotations

import asyncio
import json
import stat
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import create_async_engine
from typer.testing import CliRunner

from cdp.cli import app
from cdp.config import get_settings
from cdp.db.engine import Database
from cdp.db.migrate import upgrade
from cdp.db.models import AuditLog
from policies.masking import mask_name
from tagging.segments import SegmentSpec, create_segment, publish_segment
from tests.conftest import DatabaseFactory
from tests.tagging.tagkit import profiled_customer

runner = CliRunner()


@pytest.fixture
async def cli_database(
    database_factory: DatabaseFactory, monkeypatch: pytest.MonkeyPatch
) -> AsyncIterator[str]:
    url = await database_factory.create("cdp_segments_cli")
    await upgrade(url)
    db = Database(create_async_engine(url))
    async with db.write_session() as session:
        await profiled_customer(session, aum=7_000_000, name="张三丰")
        await profiled_customer(session, aum=100)
        await create_segment(session, SegmentSpec("rich", "Rich", "aum >= 600万"), actor="t")
        await publish_segment(session, "rich")
        await session.commit()
    await db.dispose()
    monkeypatch.setenv("CDP_DATABASE_URL", url)
    get_settings.cache_clear()
    yield url
    monkeypatch.undo()
    get_settings.cache_clear()


async def _export_entries(url: str) -> list[AuditLog]:
    db = Database(create_async_engine(url))
    try:
        async with db.read_session() as session:
            stmt = select(AuditLog).where(AuditLog.operation == "exportSegment:rich")
            return list((await session.scalars(stmt)).all())
    finally:
        await db.dispose()


def test_refresh_preview_list_and_export(cli_database: str, tmp_path: Path) -> None:
    refreshed = runner.invoke(app, ["segments", "refresh", "rich"])
    assert refreshed.exit_code == 0, refreshed.output
    assert "1 members, 1 entered, 0 left" in refreshed.output

    previewed = runner.invoke(app, ["segments", "preview", "rich", "--as-role", "marketer"])
    assert previewed.exit_code == 0, previewed.output
    assert "rich: 1 customers" in previewed.output

    listed = runner.invoke(app, ["segments", "list"], env={"COLUMNS": "200"})
    assert "rich" in listed.output
    assert "active" in listed.output

    out = tmp_path / "rich.jsonl"
    args = ["segments", "export", "rich", "--format", "jsonl", "--out", str(out)]
    denied = runner.invoke(app, [*args, "--fields", "customerNo,email", "--as-role", "marketer"])
    assert denied.exit_code != 0
    assert "Customer.email" in denied.output
    assert not out.exists()

    done = runner.invoke(app, [*args, "--fields", "customerNo,name", "--as-role", "marketer"])
    assert done.exit_code == 0, done.output
    [row] = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert row["name"] == mask_name("张三丰")
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    [entry] = asyncio.run(_export_entries(cli_database))
    assert entry.role == "marketer"
    assert entry.purpose == "marketing"
    assert entry.principal.startswith("cli:")

    bad_role = runner.invoke(app, [*args, "--fields", "customerNo", "--as-role", "root"])
    assert bad_role.exit_code != 0
    assert "unknown role" in bad_role.output
