"""The embedded PostgreSQL stops with its last user, however that user was stopped.

Real processes: ``cdp serve`` on the embedded server, stopped with SIGTERM as
``kill`` or a container stop does, and killed outright, after which the next
command adopts the orphaned server and stops it when it is done.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from cdp.db.embedded import HANDLES, drop_stale_handles

CDP = str(Path(sys.executable).with_name("cdp"))


@pytest.fixture
def data_dir() -> Iterator[Path]:
    # Not under pytest's tmp_path: the server may run as another user (when tests run
    # as root), which must be able to reach the directory.
    path = Path(tempfile.mkdtemp(prefix="cdp-embedded-"))
    path.chmod(0o755)
    yield path
    pg = path / "pg"
    if (pg / "postmaster.pid").exists():  # a failed test must not leave a server behind
        subprocess.run([CDP, "db", "current"], env=_env(path), capture_output=True, timeout=60)
    shutil.rmtree(path, ignore_errors=True)


def _env(data_dir: Path, port: int = 0) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("CDP_")}
    env |= {"CDP_DATA_DIR": str(data_dir), "CDP_PORT": str(port), "CDP_LOG_JSON": "false"}
    return env


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def _serve(data_dir: Path) -> subprocess.Popen[bytes]:
    port = _free_port()
    process = subprocess.Popen(
        [CDP, "serve", "--port", str(port)],
        env=_env(data_dir, port),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        assert process.poll() is None, "cdp serve exited early"
        try:
            if httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=1).status_code == 200:
                return process
        except httpx.TransportError:
            pass
        time.sleep(0.5)
    process.kill()
    raise AssertionError("cdp serve did not answer in time")


def _postmaster(data_dir: Path) -> int | None:
    pid_file = data_dir / "pg" / "postmaster.pid"
    if not pid_file.exists():
        return None
    return int(pid_file.read_text().split()[0])


def _gone(pid: int, within: float = 20) -> bool:
    """Whether ``pid`` exits within ``within`` seconds (a zombie counts as exited: a
    container's init may never reap the daemonised postmaster)."""
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except FileNotFoundError:
            return True
        if fields[0] in ("Z", "X"):
            return True
        time.sleep(0.2)
    return False


def _handles(data_dir: Path) -> list[int]:
    path = data_dir / "pg" / HANDLES
    return list(json.loads(path.read_text() or "[]")) if path.exists() else []


@pytest.mark.slow
def test_sigterm_stops_the_embedded_server(data_dir: Path) -> None:
    process = _serve(data_dir)
    postmaster = _postmaster(data_dir)
    assert postmaster is not None
    assert process.pid in _handles(data_dir)
    process.send_signal(signal.SIGTERM)
    process.wait(timeout=60)
    assert _gone(postmaster)
    assert _postmaster(data_dir) is None
    assert _handles(data_dir) == []


@pytest.mark.slow
def test_a_server_orphaned_by_a_killed_process_is_stopped_by_the_next(data_dir: Path) -> None:
    process = _serve(data_dir)
    postmaster = _postmaster(data_dir)
    assert postmaster is not None
    process.kill()  # no handler runs: the server is left behind, the handle too
    process.wait(timeout=30)
    assert not _gone(postmaster, within=1)
    assert _handles(data_dir) == [process.pid]
    result = subprocess.run(
        [CDP, "db", "current"], env=_env(data_dir), capture_output=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    assert _gone(postmaster)
    assert _handles(data_dir) == []


def test_stale_handles_are_dropped(tmp_path: Path) -> None:
    ended = subprocess.Popen([sys.executable, "-c", "pass"])
    ended.wait()
    (tmp_path / HANDLES).write_text(json.dumps([os.getpid(), ended.pid]))
    assert drop_stale_handles(tmp_path) == [ended.pid]
    assert json.loads((tmp_path / HANDLES).read_text()) == [os.getpid()]
    assert drop_stale_handles(tmp_path) == []
