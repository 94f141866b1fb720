"""``cdp tags``: load the library, run it, list tags and runs, errors as exit codes."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from sqlalchemy.ext.asyncio import create_async_engine
from typer.testing import CliRunner

from cdp.cli import app
from cdp.config import get_settings
from cdp.db.engine import Database
from cdp.db.migrate import upgrade
from tagging.library import read_library
from tests.conftest import DatabaseFactory
from tests.tagging.tagkit import profiled_customer

runner = CliRunner()


@pytest.fixture
async def cli_database(
    database_factory: DatabaseFactory, monkeypatch: pytest.MonkeyPatch
) -> AsyncIterator[str]:
    url = await database_factory.create("cdp_tags_cli")
    await upgrade(url)
    db = Database(create_async_engine(url))
    async with db.write_session() as session:
        await profiled_customer(session, aum=7_000_000)
        await profiled_customer(session, aum=100)
    await db.dispose()
    monkeypatch.setenv("CDP_DATABASE_URL", url)
    get_settings.cache_clear()
    yield url
    monkeypatch.undo()
    get_settings.cache_clear()


def test_load_run_list(cli_database: str) -> None:
    loaded = runner.invoke(app, ["tags", "load"])
    assert loaded.exit_code == 0, loaded.output
    assert f"{len(read_library())} created" in loaded.output
    again = runner.invoke(app, ["tags", "load"])
    assert "0 created, 0 updated" in again.output

    ran = runner.invoke(app, ["tags", "run", "--full"])
    assert ran.exit_code == 0, ran.output
    assert "succeeded: 2 customers" in ran.output

    listed = runner.invoke(app, ["tags", "list"], env={"COLUMNS": "200"})
    assert listed.exit_code == 0, listed.output
    assert "asset_tier" in listed.output
    assert "资产层级" in listed.output

    runs = runner.invoke(app, ["tags", "runs"], env={"COLUMNS": "200"})
    assert "succeeded" in runs.output

    one = runner.invoke(app, ["tags", "run", "--tag", "million_club"])
    assert one.exit_code == 0, one.output
    assert "0 entered" in one.output


def test_bad_arguments_are_messages_with_exit_codes(cli_database: str) -> None:
    both = runner.invoke(app, ["tags", "run", "--full", "--dirty"])
    assert both.exit_code == 2
    assert "not both" in both.output
    unknown = runner.invoke(app, ["tags", "run", "--tag", "no_such_tag"])
    assert unknown.exit_code == 3
    assert "no tag no_such_tag" in unknown.output
