"""``cdp audit purge`` against a database of its own (the command commits)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy.ext.asyncio import create_async_engine
from typer.testing import CliRunner

from cdp.cli import app
from cdp.config import get_settings
from cdp.db.engine import Database
from cdp.db.migrate import upgrade
from policies.audit import AuditEntry
from policies.audit.writer import copy_entries
from tests.conftest import DatabaseFactory

runner = CliRunner()


def entry(days_ago: int) -> AuditEntry:
    return AuditEntry(
        principal="alice",
        roles=("advisor",),
        operation="CustomerPage",
        field_paths=("Customer.phone",),
        customer_ids=(1,),
        occurred_at=datetime.now(UTC) - timedelta(days=days_ago),
    )


@pytest.fixture
async def trail_url(database_factory: DatabaseFactory) -> str:
    """A database holding entries 10, 400 and 2,000 days old."""
    url = await database_factory.create("cdp_audit_cli")
    await upgrade(url)
    db = Database(create_async_engine(url))
    try:
        async with db.write_session() as session:
            await copy_entries(session, [entry(10), entry(400), entry(2000)])
    finally:
        await db.dispose()
    return url


@pytest.fixture
def use_trail(trail_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("CDP_DATABASE_URL", trail_url)
    get_settings.cache_clear()
    yield
    monkeypatch.undo()
    get_settings.cache_clear()


def purge(*args: str) -> tuple[int, str]:
    result = runner.invoke(app, ["audit", "purge", *args])
    return result.exit_code, result.output


@pytest.mark.usefixtures("use_trail")
def test_purge_applies_the_retention_setting_then_the_option() -> None:
    # The default retention is five years: only the 2,000-day-old entry goes.
    assert purge() == (0, "removed 1 audit entries older than 1825 days\n")
    assert purge("--older-than-days", "30") == (0, "removed 1 audit entries older than 30 days\n")
    assert purge("--older-than-days", "30") == (0, "removed 0 audit entries older than 30 days\n")
    assert purge("--older-than-days", "1") == (0, "removed 1 audit entries older than 1 days\n")


@pytest.mark.usefixtures("use_trail")
def test_purge_refuses_a_retention_under_a_day() -> None:
    code, output = purge("--older-than-days", "0")
    assert code == 2
    assert "at least 1" in output
    assert "Traceback" not in output
    # Nothing was deleted.
    assert purge("--older-than-days", "5000") == (
        0,
        "removed 0 audit entries older than 5000 days\n",
    )
    assert purge() == (0, "removed 1 audit entries older than 1825 days\n")


def test_purge_refuses_a_number_that_is_not_one() -> None:
    code, output = purge("--older-than-days", "a week")
    assert code == 2
    assert "Invalid value for '--older-than-days'" in output
