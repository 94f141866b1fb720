"""``cdp serve --workers 2``: one listening socket, connections dealt out evenly, a clean stop."""

from __future__ import annotations

import http.client
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path

import pytest

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc"),
]

HOST = "127.0.0.1"
LISTEN = "0A"  # TCP state in /proc/net/tcp
ESTABLISHED = "01"


@dataclass
class Served:
    process: subprocess.Popen[bytes]
    port: int
    log: Path

    def workers(self) -> list[int]:
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        pids = [int(pid) for pid in children.read_text().split()]
        # multiprocessing also starts its resource tracker, which serves nothing.
        return [pid for pid in pids if b"spawn_main" in Path(f"/proc/{pid}/cmdline").read_bytes()]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return int(sock.getsockname()[1])


def _command(port: int) -> list[str]:
    serve = ["serve", "--host", HOST, "--port", str(port), "--workers", "2"]
    return [sys.executable, "-m", "cdp.cli", *serve]


def _stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=40)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _healthy(port: int) -> bool:
    connection = http.client.HTTPConnection(HOST, port, timeout=5)
    try:
        connection.request("GET", "/healthz")
        return connection.getresponse().status == 200
    except OSError:
        return False
    finally:
        connection.close()


@pytest.fixture
def served(database_url: str, tmp_path: Path) -> Iterator[Served]:
    port = _free_port()
    log_path = tmp_path / "serve.log"
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            _command(port),
            env={**os.environ, "CDP_DATABASE_URL": database_url, "CDP_LOG_LEVEL": "WARNING"},
            stdout=log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
        )
    try:
        for _ in range(300):
            if process.poll() is not None:
                pytest.fail(f"cdp serve exited with {process.returncode}:\n{log_path.read_text()}")
            # Both workers, not only the first one up: each then holds connections.
            if _healthy(port) and len(_holders(Served(process, port, log_path), 4)) == 2:
                break
            time.sleep(0.1)
        else:
            pytest.fail(f"cdp serve did not answer /healthz:\n{log_path.read_text()}")
        yield Served(process, port, log_path)
    finally:
        _stop(process)


def _sockets(port: int, state: str) -> dict[int, tuple[int, int]]:
    """Inode -> (local port, remote port) of this host's IPv4 TCP sockets on ``port``."""
    found = {}
    for line in Path("/proc/net/tcp").read_text().splitlines()[1:]:
        fields = line.split()
        local, remote, st, inode = fields[1], fields[2], fields[3], int(fields[9])
        local_port, remote_port = int(local.split(":")[1], 16), int(remote.split(":")[1], 16)
        if st == state and local_port == port:
            found[inode] = (local_port, remote_port)
    return found


def _socket_inodes(pid: int) -> set[int]:
    inodes = set()
    for fd in Path(f"/proc/{pid}/fd").iterdir():
        try:
            target = os.readlink(fd)
        except FileNotFoundError:  # closed while we looked
            continue
        if target.startswith("socket:["):
            inodes.add(int(target[len("socket:[") : -1]))
    return inodes


def _holders(served: Served, connections: int) -> list[int]:
    """How many of ``connections`` fresh keep-alive connections each worker holds."""
    with ExitStack() as stack:
        for _ in range(connections):
            connection = http.client.HTTPConnection(HOST, served.port, timeout=10)
            stack.callback(connection.close)
            connection.request("GET", "/healthz")
            response = connection.getresponse()
            response.read()
            assert response.status == 200
        established = _sockets(served.port, ESTABLISHED)
        return sorted(
            n for pid in served.workers() if (n := len(_socket_inodes(pid) & set(established)))
        )


def test_only_the_supervisor_listens(served: Served) -> None:
    listening = set(_sockets(served.port, LISTEN))
    assert len(listening) == 1
    assert listening <= _socket_inodes(served.process.pid)
    for pid in served.workers():
        assert not listening & _socket_inodes(pid)


def test_keep_alive_connections_are_dealt_out_evenly(served: Served) -> None:
    assert _holders(served, 16) == [8, 8]
    # Odd numbers too: one worker holds one more, never all of them.
    assert _holders(served, 5) == [2, 3]


def test_sigterm_stops_every_process(served: Served) -> None:
    workers = served.workers()
    served.process.send_signal(signal.SIGTERM)
    assert served.process.wait(timeout=40) == 0
    for pid in workers:
        # Reaped by the supervisor before it exited, so gone rather than zombies.
        assert not Path(f"/proc/{pid}").exists()


def test_a_port_in_use_is_a_clear_error(database_url: str) -> None:
    with socket.socket() as taken:
        taken.bind((HOST, 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = subprocess.run(
            _command(port),
            env={**os.environ, "CDP_DATABASE_URL": database_url},
            capture_output=True,
            stdin=subprocess.DEVNULL,
            timeout=60,
            check=False,
        )
    assert result.returncode == 1
    assert f"cannot listen on {HOST}:{port}: address already in use" in result.stderr.decode()
