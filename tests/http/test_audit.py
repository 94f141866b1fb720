"""The graphql-http audit suite against the real app, served by uvicorn on loopback.

The audits are the reference implementation's conformance checks for GraphQL over
HTTP; every MUST and SHOULD has to pass. ``make test`` installs them (``npm ci`` in
tests/http/audit); this test installs nothing.
"""

from __future__ import annotations

import asyncio
import json
import os
import shutil
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.conftest import mint_token

AUDIT_DIR = Path(__file__).parent / "audit"


@pytest.fixture
def server(database_url: str, tmp_path: Path) -> Iterator[str]:
    """The app under uvicorn on a loopback socket bound here, so no port race."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    sock.set_inheritable(True)
    port = sock.getsockname()[1]
    log = (tmp_path / "uvicorn.log").open("wb")
    env = {**os.environ, "CDP_DATABASE_URL": database_url, "CDP_ENV": "test"}
    command = [sys.executable, "-m", "uvicorn", "cdp.app:create_app", "--factory"]
    process = subprocess.Popen(
        [*command, "--fd", str(sock.fileno()), "--log-level", "warning"],
        env=env,
        pass_fds=(sock.fileno(),),
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    sock.close()
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()


async def _wait_until_up(base_url: str) -> None:
    async with httpx.AsyncClient(base_url=base_url) as client:
        # A busy machine (CI shares its cores) can take a while to start uvicorn.
        for _ in range(600):
            try:
                if (await client.get("/healthz")).status_code == 200:
                    return
            except httpx.TransportError:
                pass
            await asyncio.sleep(0.1)
    pytest.fail("the server did not come up within 60 seconds")


async def _audit(url: str) -> list[dict[str, Any]]:
    node = shutil.which("node")
    if node is None:
        pytest.fail("node is required for the graphql-http audit")
    if not (AUDIT_DIR / "node_modules" / "graphql-http").is_dir():
        pytest.fail(
            "graphql-http is not installed: run `npm ci` in tests/http/audit (make test does)"
        )
    # The audits authenticate like any client: an admin token in every request.
    env = {**os.environ, "AUDIT_AUTHORIZATION": f"Bearer {mint_token()}"}
    process = await asyncio.create_subprocess_exec(
        node,
        "audit.mjs",
        url,
        cwd=AUDIT_DIR,
        env=env,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    stdout, stderr = await asyncio.wait_for(process.communicate(), timeout=60)
    assert process.returncode == 0, stderr.decode()
    results: list[dict[str, Any]] = json.loads(stdout)
    return results


async def test_every_must_and_should_audit_passes(server: str) -> None:
    await _wait_until_up(server)

    results = await _audit(f"{server}/graphql")

    required = [r for r in results if r["name"].startswith(("MUST", "SHOULD"))]
    failed = [f"{r['id']} {r['name']}: {r['reason']}" for r in required if r["status"] != "ok"]
    assert len(required) >= 30, "the audit suite looks truncated"
    assert not failed, "graphql-http audits failed:\n" + "\n".join(failed)
