"""Development JWTs: minted with CDP_JWT_SECRET, accepted by the server, refused without one."""

from __future__ import annotations

import stat
from datetime import timedelta
from pathlib import Path

import pytest
from pydantic import SecretStr
from typer.testing import CliRunner

from cdp.auth.mint import demo_secret, mint
from cdp.auth.tokens import TokenVerifier
from cdp.cli import app
from cdp.config import Settings, get_settings
from cdp.errors import InvalidInput
from tests.conftest import AppClient, bearer

runner = CliRunner()


def test_a_minted_token_verifies_with_its_claims() -> None:
    settings = Settings(jwt_secret=SecretStr("s" * 32), jwt_issuer="dev", jwt_audience="cdp")
    token = mint(settings, "ana", ["advisor"], advisor_id=7, ttl=timedelta(minutes=5))
    principal = TokenVerifier(settings).verify(token)
    assert (principal.subject, principal.roles, principal.advisor_id) == (
        "ana", frozenset({"advisor"}), 7,
    )  # fmt: skip
    claims = principal.claims
    assert isinstance(claims["exp"], int)
    assert isinstance(claims["iat"], int)
    assert claims["exp"] - claims["iat"] == 300


def test_refused_without_a_secret_or_with_bad_input() -> None:
    with pytest.raises(InvalidInput, match="CDP_JWT_SECRET is not set"):
        mint(Settings(jwt_secret=None), "ana", ["frontend"])
    settings = Settings(jwt_secret=SecretStr("s" * 32))
    with pytest.raises(InvalidInput, match="unknown role"):
        mint(settings, "ana", ["wizard"])
    with pytest.raises(InvalidInput, match="--advisor"):
        mint(settings, "ana", ["advisor"])


def test_cli_prints_a_token_the_api_accepts(monkeypatch: pytest.MonkeyPatch) -> None:
    result = runner.invoke(
        app, ["tokens", "create", "--sub", "web", "--role", "frontend", "--ttl", "2h"]
    )
    assert result.exit_code == 0, result.output
    token = result.output.strip()
    principal = TokenVerifier(get_settings()).verify(token)
    assert principal.roles == frozenset({"frontend"})
    monkeypatch.delenv("CDP_JWT_SECRET")
    get_settings.cache_clear()
    try:
        refused = runner.invoke(app, ["tokens", "create", "--sub", "web", "--role", "frontend"])
    finally:
        monkeypatch.undo()
        get_settings.cache_clear()
    assert refused.exit_code == 2
    assert "CDP_JWT_SECRET is not set" in refused.output


async def test_the_api_answers_a_minted_token(app_client: AppClient) -> None:
    token = mint(get_settings(), "web", ["admin"])
    async with app_client(headers=bearer(token)) as client:
        response = await client.post("/graphql", json={"query": "{ __typename }"})
    assert response.status_code == 200
    assert response.json() == {"data": {"__typename": "Query"}}


def test_demo_secret_is_made_once_and_private(tmp_path: Path) -> None:
    first = demo_secret(tmp_path)
    assert len(first) >= 40
    path = tmp_path / "jwt-secret.dev"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert demo_secret(tmp_path) == first
