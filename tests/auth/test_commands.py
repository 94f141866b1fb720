"""``cdp keys``: create prints the key once, list never shows secrets, revoke refuses it."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from typer.testing import CliRunner

from cdp.cli import app
from cdp.config import get_settings
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


@pytest.mark.parametrize(
    ("args", "message"),
    [
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
