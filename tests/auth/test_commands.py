"""``cdp keys``: create prints the key once, list never shows secrets, revoke refuses it;
``cdp demo`` prints a ready admin key, reused while valid and replaced when not."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cdp.auth.commands import DEMO_KEY_NAME, demo_key
from cdp.auth.store import revoke_key
from cdp.cli import app
from cdp.config import get_settings
from cdp.db.engine import Database
from cdp.db.migrate import upgrade
from tests.conftest import DatabaseFactory

runner = CliRunner()


@pytest.fixture
async def keys_database(
    database_factory: DatabaseFactory, monkeypatch: pytest.MonkeyPatch
) -> AsyncIterator[None]:
    # The CLI commits, so it gets a database of its own.
    url = await database_factory.create("cdp_keys")
    await upgrade(url)
    monkeypatch.setenv("CDP_DATABASE_URL", url)
    get_settings.cache_clear()
    yield
    monkeypatch.undo()
    get_settings.cache_clear()


def test_create_list_revoke(keys_database: None) -> None:
    created = runner.invoke(app, ["keys", "create", "--name", "acme", "--role", "partner"])
    assert created.exit_code == 0, created.output
    token = created.output.strip().splitlines()[-1]
    assert token.startswith("cdp_")
    prefix = token.split("_")[1]

    expiring = runner.invoke(
        app, ["keys", "create", "--name", "crm", "--role", "frontend", "--expires", "90d"]
    )
    assert expiring.exit_code == 0, expiring.output

    listed = runner.invoke(app, ["keys", "list"])
    assert listed.exit_code == 0, listed.output
    assert "acme" in listed.output
    assert "partner" in listed.output
    assert prefix in listed.output
    assert token.split("_", 2)[2] not in listed.output

    revoked = runner.invoke(app, ["keys", "revoke", "acme"])
    assert revoked.exit_code == 0, revoked.output
    assert "revoked" in revoked.output

    duplicate = runner.invoke(app, ["keys", "create", "--name", "acme", "--role", "admin"])
    assert duplicate.exit_code == 5
    assert "exists" in duplicate.output
    missing = runner.invoke(app, ["keys", "revoke", "nobody"])
    assert missing.exit_code == 3


def test_source_system_keys_are_bound_to_sources(keys_database: None) -> None:
    args = ["keys", "create", "--name", "crm", "--role", "source_system"]
    created = runner.invoke(app, [*args, "--source", "crm", "--source", "crm_archive"])
    assert created.exit_code == 0, created.output
    assert "sources crm, crm_archive" in created.output
    runner.invoke(app, ["keys", "create", "--name", "acme", "--role", "partner"])

    listed = runner.invoke(app, ["keys", "list"])
    assert listed.exit_code == 0, listed.output
    header, *rows = [line.split() for line in listed.output.splitlines() if line.strip()]
    assert header[:4] == ["name", "role", "sources", "prefix"]
    by_name = {row[0]: row for row in rows if row[0] in ("crm", "acme")}
    assert by_name["crm"][2] == "crm,crm_archive"
    assert by_name["acme"][2] == "-"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--role", "source_system"], "needs the source names"),
        (["--role", "partner", "--source", "crm"], "only source_system keys"),
        (["--role", "source_system", "--source", "crm system"], "bad source name"),
        (["--role", "superuser"], "unknown role 'superuser'"),
        (["--role", "partner", "--expires", "90 years"], "bad duration '90 years'"),
        (["--role", "partner", "--expires", "0d"], "bad duration"),
    ],
)
def test_bad_input_exits_2_with_a_message(
    keys_database: None, args: list[str], message: str
) -> None:
    result = runner.invoke(app, ["keys", "create", "--name", "x", *args])
    assert result.exit_code == 2
    assert message in result.output


async def test_demo_key_is_reused_then_replaced_after_revocation(
    db: Database, tmp_path: Path
) -> None:
    path = tmp_path / "demo-admin.key"
    first = await demo_key(db, path)
    assert path.read_text().strip() == first
    assert path.stat().st_mode & 0o777 == 0o600
    assert await demo_key(db, path) == first

    async with db.write_session() as session:
        await revoke_key(session, DEMO_KEY_NAME, datetime.now(UTC))
    replaced = await demo_key(db, path)
    assert replaced != first
    assert path.read_text().strip() == replaced
