"""``cdp graph …`` end to end on a small seeded database, and its errors as exit codes."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterator
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine
from typer.testing import CliRunner

from cdp.cli import app
from cdp.config import get_settings
from cdp.db.engine import Database
from cdp.seed import seed_database

runner = CliRunner()
EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


@pytest.fixture
async def seeded(
    fresh_database: Callable[[], Awaitable[Database]], monkeypatch: pytest.MonkeyPatch
) -> dict[str, str]:
    """A committed seeded database the CLI points at; sample customer numbers."""
    db = await fresh_database()
    await seed_database(db, customers=600, seed=7, workers=1)
    async with db.read_session() as session:
        referrer = (
            await session.execute(
                text(
                    "SELECT c.customer_no FROM referral r JOIN customer c ON c.id = r.referrer_id"
                    " GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT 1"
                )
            )
        ).scalar_one()
        member = (
            await session.execute(
                text(
                    "SELECT c.customer_no FROM household_member m"
                    " JOIN customer c ON c.id = m.customer_id ORDER BY 1 LIMIT 1"
                )
            )
        ).scalar_one()
    assert isinstance(db.bind, AsyncEngine)
    monkeypatch.setenv("CDP_DATABASE_URL", db.bind.url.render_as_string(hide_password=False))
    get_settings.cache_clear()
    return {"referrer": referrer, "member": member}


@pytest.fixture
def _reset_settings() -> Iterator[None]:
    yield
    get_settings.cache_clear()


def _ok(*args: str) -> str:
    result = runner.invoke(app, ["graph", *args], env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    return result.output


@pytest.mark.slow
@pytest.mark.usefixtures("_reset_settings")
def test_commands_on_seeded_data(seeded: dict[str, str]) -> None:
    built = _ok("build")
    assert "graph built" in built
    assert "600 customers" in built
    assert (Path(get_settings().data_dir) / "graph" / "current").is_file()
    assert "referral cascade of" in _ok("referrals", seeded["referrer"])
    assert seeded["referrer"] in _ok("top-referrers", "--first", "5")
    assert "prospects" in _ok("prospects")
    assert "stored by the build" in _ok("communities", "--first", "3")
    assert "Louvain took" in _ok("communities", "--recompute", "--backend", "networkx")
    assert "household" in _ok("household", seeded["member"])
    assert "cross-sell for" in _ok("cross-sell", seeded["member"])
    evaluated = _ok("evaluate", "--sample", "200")
    assert evaluated.count("leave-one-out") >= 3
    assert "popularity" in evaluated
    from_file = _ok("evaluate", "--holdings", str(EXAMPLES / "holdings.csv"))
    assert "holdings.csv" in from_file
    assert "skipped" in from_file


@pytest.mark.usefixtures("_reset_settings")
def test_errors_are_messages_with_exit_codes(seeded: dict[str, str]) -> None:
    unknown = runner.invoke(app, ["graph", "referrals", "NOPE"])
    assert unknown.exit_code == 3
    assert "no customer NOPE" in unknown.output
    depth = runner.invoke(app, ["graph", "referrals", seeded["referrer"], "--depth", "0"])
    assert depth.exit_code == 2
    assert "depth must be between 1 and 10" in depth.output
    missing = runner.invoke(app, ["graph", "evaluate", "--holdings", "/no/such.csv"])
    assert missing.exit_code == 2
    assert "no such file" in missing.output
    purpose = runner.invoke(app, ["graph", "cross-sell", seeded["member"], "--purpose", "x"])
    assert purpose.exit_code == 2
