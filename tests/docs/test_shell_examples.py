"""Every shell example of README.md and docs/*.md runs, one block per fresh database.

``cdp …`` lines go through the CLI (typer's runner) against a migrated database,
in a directory where the repository's ``examples/`` and ``policies/`` are at hand;
each must exit 0. ``curl`` lines are sent as written (method, headers, body, path)
through the ASGI app on the same database, the placeholder key ``cdp_…`` replaced
by an admin key the test issues, and must answer 200 without errors. ``export``
lines set the environment of the lines after them. Lines that start servers, need
Docker or run the test suite are listed below with the reason they are not run;
any other command fails the test until it is run here or listed.
"""

from __future__ import annotations

import asyncio
import json
import os
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest
from sqlalchemy.ext.asyncio import create_async_engine
from typer.testing import CliRunner

from cdp.app import create_app
from cdp.auth.mint import demo_secret
from cdp.cli import app as cli
from cdp.config import get_settings
from cdp.db.engine import Database
from cdp.db.migrate import upgrade
from tests.conftest import DatabaseFactory
from tests.docs.markdown import ROOT, Block, all_blocks, shell_commands

SHELL = all_blocks("sh")

# Command prefixes not run here, and why.
NOT_EXECUTED = {
    ("make", "demo"): "starts an embedded server and serves until stopped; "
    "its parts run here: `cdp seed`, the README's first query, the demo's banner "
    "(tests/docs/test_readme_examples.py)",
    ("make", "test"): "is the test suite itself",
    (".venv/bin/pytest",): "runs part of the test suite itself (with 30 fuzz examples per "
    "role rather than thousands)",
    ("cp", "docker.env.example"): "prepares the Docker run below",
    ("docker",): "needs a Docker engine; tests/test_docker.py checks the build context, "
    "the image's user and mode and the compose file without one",
}
PLACEHOLDER_KEY = "cdp_…"
runner = CliRunner()


def _command(words: list[str]) -> list[str]:
    """The words after any leading ``NAME=value`` assignments."""
    while words and "=" in words[0] and not words[0].startswith("-"):
        words = words[1:]
    return words


def _not_executed(words: list[str]) -> str | None:
    words = _command(words)
    matches = (why for prefix, why in NOT_EXECUTED.items() if tuple(words[: len(prefix)]) == prefix)
    return next(matches, None)


def _export(words: list[str], monkeypatch: pytest.MonkeyPatch) -> None:
    """``export NAME=value``, where the value may be ``$(cat FILE)``."""
    assert len(words) == 2, words
    name, _, value = words[1].partition("=")
    if value.startswith("$(cat ") and value.endswith(")"):
        value = Path(value[len("$(cat ") : -1]).read_text().strip()
    assert "$" not in value, f"{words}: only $(cat FILE) is understood"
    monkeypatch.setenv(name, value)
    get_settings.cache_clear()


@pytest.fixture
def workdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A scratch directory with the example files where the README's paths expect them,
    and the development JWT secret in ``.cdp/`` as `make demo` leaves it."""
    for name in ("examples", "policies"):
        (tmp_path / name).symlink_to(ROOT / name)
    demo_secret(tmp_path / ".cdp")
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.fixture
async def shell_database(
    database_factory: DatabaseFactory, monkeypatch: pytest.MonkeyPatch
) -> AsyncIterator[str]:
    """A migrated database the CLI is pointed at, as an operator's environment would."""
    url = await database_factory.create("cdp_docs_sh")
    await upgrade(url)
    monkeypatch.setenv("CDP_DATABASE_URL", url)
    get_settings.cache_clear()
    yield url
    monkeypatch.undo()
    get_settings.cache_clear()


def _cdp(words: list[str]) -> str:
    result = runner.invoke(cli, words[1:])
    assert result.exit_code == 0, f"{' '.join(words)} exited {result.exit_code}:\n{result.output}"
    return result.output


def curl_request(words: list[str]) -> tuple[str, str, dict[str, str], str | None]:
    """Method, path, headers and body of a curl command line."""
    headers: dict[str, str] = {}
    body: str | None = None
    method: str | None = None
    url: str | None = None
    args = iter(words[1:])
    for arg in args:
        if arg in ("-H", "--header"):
            name, _, value = next(args).partition(":")
            headers[name.strip().lower()] = value.strip()
        elif arg in ("-d", "--data", "--data-raw"):
            body = next(args)
        elif arg in ("-X", "--request"):
            method = next(args)
        elif arg.startswith("http"):
            url = arg
        else:
            raise AssertionError(f"curl option {arg!r} is not understood by this test")
    assert url is not None, f"no URL in {words}"
    return method or ("POST" if body is not None else "GET"), httpx.URL(url).path, headers, body


@pytest.mark.parametrize("block", SHELL, ids=[b.name for b in SHELL])
def test_shell_example(
    block: Block, shell_database: str, workdir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    commands = shell_commands(block)
    assert commands, f"{block.name}: an empty shell block"
    ran = 0
    for words in commands:
        if _not_executed(words):
            continue
        ran += 1
        if words[0] == "cdp":
            _cdp(words)
        elif words[0] == "export":
            _export(words, monkeypatch)
        elif words[0] == "curl":
            asyncio.run(_curl(words, shell_database, _admin_key()))
        else:
            raise AssertionError(
                f"{block.name}: `{' '.join(words)}` is neither run by this test nor listed "
                "in NOT_EXECUTED with a reason"
            )
    skipped = [w for w in commands if _not_executed(w)]
    assert ran + len(skipped) == len(commands)


def _admin_key() -> str:
    """What the reader pastes for ``cdp_…``: a key an operator issued."""
    name = f"docs-{os.urandom(4).hex()}"
    printed = _cdp(["cdp", "keys", "create", "--name", name, "--role", "admin"])
    token = printed.strip().splitlines()[-1]
    assert token.startswith("cdp_"), printed
    return token


async def _curl(words: list[str], url: str, token: str) -> None:
    method, path, headers, body = curl_request(words)
    headers = {k: v.replace(PLACEHOLDER_KEY, token) for k, v in headers.items()}
    db = Database(create_async_engine(url, pool_size=2))
    app = create_app(get_settings(), database=db)
    try:
        async with app.router.lifespan_context(app):
            transport = httpx.ASGITransport(app=app)
            async with httpx.AsyncClient(transport=transport, base_url="http://cdp.test") as client:
                response = await client.request(method, path, headers=headers, content=body)
    finally:
        await db.dispose()
    assert response.status_code == 200, f"{' '.join(words)}: {response.text}"
    answer = response.json()
    shown = json.dumps(answer, ensure_ascii=False)
    assert "errors" not in answer, shown
    assert answer.get("data"), shown


def test_commands_not_run_are_in_the_pages() -> None:
    """Every entry of the list names lines the pages have: none is left over."""
    lines = [_command(w) for b in SHELL for w in shell_commands(b)]
    for prefix in NOT_EXECUTED:
        assert any(tuple(w[: len(prefix)]) == prefix for w in lines), prefix


def test_leading_assignments_are_not_the_command() -> None:
    assert _command(["A=1", "B=2", "make", "demo"]) == ["make", "demo"]
    assert _not_executed(["CDP_FUZZ_EXAMPLES=5", ".venv/bin/pytest", "x"]) is not None
    assert _not_executed(["cdp", "keys", "list"]) is None


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        (
            """curl -H "Authorization: Bearer k" -H "Content-Type: application/json" \\
     -d '{"query": "{ __typename }"}' http://127.0.0.1:8000/graphql""",
            (
                "POST",
                "/graphql",
                {"authorization": "Bearer k", "content-type": "application/json"},
                '{"query": "{ __typename }"}',
            ),
        ),
        ("curl http://127.0.0.1:8000/healthz", ("GET", "/healthz", {}, None)),
    ],
)
def test_curl_lines_are_read_as_curl_would(line: str, expected: tuple[object, ...]) -> None:
    block = Block(ROOT / "README.md", 1, "sh", line + "\n")
    (words,) = shell_commands(block)
    assert curl_request(words) == expected
