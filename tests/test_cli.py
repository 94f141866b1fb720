"""The command line: migrations, help everywhere, errors as messages with exit codes."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import make_url
from typer.testing import CliRunner

from cdp.cli import app
from cdp.config import get_settings
from cdp.db.migrate import head
from tests.conftest import DatabaseFactory

runner = CliRunner()


@pytest.fixture
async def empty_database_url(database_factory: DatabaseFactory) -> str:
    return await database_factory.create("cdp_cli")


@pytest.fixture
def use_database(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    yield
    monkeypatch.undo()
    get_settings.cache_clear()


def _point_at(monkeypatch: pytest.MonkeyPatch, url: str) -> None:
    monkeypatch.setenv("CDP_DATABASE_URL", url)
    get_settings.cache_clear()


def test_db_upgrade_current_downgrade(
    empty_database_url: str, monkeypatch: pytest.MonkeyPatch, use_database: None
) -> None:
    _point_at(monkeypatch, empty_database_url)

    before = runner.invoke(app, ["db", "current"])
    assert before.exit_code == 0, before.output
    assert "current: none" in before.output
    assert "needs `cdp db upgrade`" in before.output

    up = runner.invoke(app, ["db", "upgrade"])
    assert up.exit_code == 0, up.output
    assert f"revision {head()}" in up.output
    assert "up to date" in runner.invoke(app, ["db", "current"]).output

    down = runner.invoke(app, ["db", "downgrade", "base"])
    assert down.exit_code == 0, down.output
    assert "base (empty)" in down.output


def test_unreachable_database_is_a_message_and_exit_code(
    monkeypatch: pytest.MonkeyPatch, use_database: None
) -> None:
    _point_at(monkeypatch, "postgresql://postgres@127.0.0.1:1/nowhere")
    result = runner.invoke(app, ["db", "current"])
    assert result.exit_code == 6
    assert "cannot reach the database" in result.output
    assert "Traceback" not in result.output


@pytest.mark.parametrize(
    "command",
    [
        [],
        ["serve"],
        ["demo"],
        ["db"],
        ["db", "upgrade"],
        ["db", "downgrade"],
        ["db", "current"],
        ["seed"],
        ["seed-sources"],
        ["import"],
        ["import", "runs"],
        ["quarantine"],
        ["quarantine", "list"],
        ["quarantine", "show"],
        ["quarantine", "retry"],
        ["merges"],
        ["tokens"],
        ["tokens", "create"],
        ["policy", "check"],
        ["audit"],
        ["audit", "purge"],
    ],
)
def test_help_everywhere(command: list[str]) -> None:
    result = runner.invoke(app, [*command, "--help"])
    assert result.exit_code == 0, result.output
    assert "Usage" in result.output


def test_unmigrated_database_says_to_upgrade(
    empty_database_url: str, monkeypatch: pytest.MonkeyPatch, use_database: None
) -> None:
    _point_at(monkeypatch, empty_database_url)
    result = runner.invoke(app, ["seed", "--customers", "10"])
    assert result.exit_code == 6
    assert "run `cdp db upgrade` first" in result.output
    assert "Traceback" not in result.output


def test_missing_database_is_named(
    empty_database_url: str, monkeypatch: pytest.MonkeyPatch, use_database: None
) -> None:
    # Rename the database in the URL (appending to the string would, for the embedded
    # server, land in its ?host= socket path instead).
    url = make_url(empty_database_url)
    missing = url.set(database=f"{url.database}_missing")
    _point_at(monkeypatch, missing.render_as_string(hide_password=False))
    result = runner.invoke(app, ["db", "current"])
    assert result.exit_code == 6
    assert "does not exist" in result.output


def test_policy_check_of_the_default_policy() -> None:
    result = runner.invoke(app, ["policy", "check"])
    assert result.exit_code == 0, result.output
    assert "no problems" in result.output


def test_policy_check_reports_line_numbers(tmp_path: Path) -> None:
    bad = tmp_path / "policy.csv"
    bad.write_text("p, admin, *.*, read, allow\np, admin, Customer.nope, read, allow\n")
    result = runner.invoke(app, ["policy", "check", str(bad)])
    assert result.exit_code == 2
    assert f"{bad}:2:" in result.output
