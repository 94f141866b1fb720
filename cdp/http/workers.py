"""Several server processes, each accepting on its own ``SO_REUSEPORT`` socket.

uvicorn's own workers share one listening socket, and the kernel hands each new
connection to whichever worker accepts first: under keep-alive load one worker ends
up holding most connections and the tail latency doubles. With a socket per worker
bound with ``SO_REUSEPORT``, Linux spreads new connections across the sockets by
hash instead.

The supervisor here starts the workers, forwards SIGINT/SIGTERM for a graceful
shutdown, fails fast when a worker dies before it is serving, and replaces one that
dies later. It names the app by import string, so it imports nothing of it.
"""

from __future__ import annotations

import errno
import logging
import multiprocessing
import os
import signal
import socket
import sys
import time
from contextlib import suppress
from dataclasses import dataclass, field
from multiprocessing.connection import Connection, wait
from multiprocessing.process import BaseProcess
from types import FrameType
from typing import Any

import uvicorn

log = logging.getLogger("cdp.serve")

# Seconds the workers get to finish their requests after a stop signal.
GRACE = 30.0
# A worker that dies this soon after it started is not restarted at once, so that a
# worker failing on every start (the database gone) does not spin.
RESTART_BACKOFF = 1.0
# uvicorn's exit code when a worker's startup fails.
STARTUP_FAILURE = 3


class StartupError(Exception):
    """The server could not start; the message is one line for the operator."""


def reuseport_available() -> bool:
    # Other systems accept the option but do not balance across the sockets.
    return sys.platform.startswith("linux") and hasattr(socket, "SO_REUSEPORT")


def _socket(host: str, port: int, *, reuseport: bool) -> socket.socket:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    try:
        # As uvicorn does, so that connections in TIME_WAIT do not block a restart.
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        if reuseport:
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
        sock.bind((host, port))
    except BaseException:
        sock.close()
        raise
    return sock


def _probe(host: str, port: int) -> int:
    """The port to serve on, after checking nobody holds it.

    Bound without ``SO_REUSEPORT``, so that it fails even if another server that set
    the option (an old ``cdp serve``) holds the port: the workers' sockets would join
    that server's group and share its connections instead.
    """
    try:
        with _socket(host, port, reuseport=False) as sock:
            return int(sock.getsockname()[1])
    except OSError as e:
        reason = "address already in use" if e.errno == errno.EADDRINUSE else e.strerror
        raise StartupError(f"cannot listen on {host}:{port}: {reason}") from e


def _worker(config: dict[str, Any], host: str, port: int, ready: Connection) -> None:
    """A worker process: its own socket, one uvicorn server, a note when it serves."""

    class Server(uvicorn.Server):
        async def startup(self, sockets: list[socket.socket] | None = None) -> None:
            await super().startup(sockets)
            if self.started:
                ready.send(True)

    sock = _socket(host, port, reuseport=True)
    with sock, ready:
        server = Server(uvicorn.Config(host=host, port=port, **config))
        server.run(sockets=[sock])
    if not server.started:
        sys.exit(STARTUP_FAILURE)


@dataclass
class _Slot:
    process: BaseProcess
    ready: Connection
    started_at: float = field(default_factory=time.monotonic)
    serving: bool = False


class Supervisor:
    def __init__(self, config: dict[str, Any], host: str, port: int, workers: int) -> None:
        self.config, self.host, self.port, self.workers = config, host, port, workers
        self.context = multiprocessing.get_context("spawn")
        self.stopping = False

    def _start(self, index: int) -> _Slot:
        receiver, sender = self.context.Pipe(duplex=False)
        process = self.context.Process(
            target=_worker,
            args=(self.config, self.host, self.port, sender),
            name=f"cdp-worker-{index}",
        )
        process.start()
        # The child holds its own copy; ours would keep the pipe open after it dies.
        sender.close()
        return _Slot(process, receiver)

    def _stop(self, signum: int, frame: FrameType | None) -> None:
        self.stopping = True

    def run(self) -> int:
        previous = {s: signal.signal(s, self._stop) for s in (signal.SIGINT, signal.SIGTERM)}
        slots: list[_Slot] = []
        try:
            slots = [self._start(i) for i in range(self.workers)]
            return self._supervise(slots)
        finally:
            self._shutdown(slots)
            for s, handler in previous.items():
                signal.signal(s, handler)

    def _supervise(self, slots: list[_Slot]) -> int:
        up = False  # every worker has served once: from then on a death is a restart
        due: dict[int, float] = {}  # replacements waiting out the back-off
        while not self.stopping:
            # A short timeout: a stop signal only sets a flag, seen on the next turn.
            waiting: list[Connection | int] = [s.process.sentinel for s in slots]
            waiting += [s.ready for s in slots if not s.serving and s.process.is_alive()]
            wait(waiting, timeout=0.2)
            for i, slot in enumerate(slots):
                if not slot.serving and slot.ready.poll():
                    # EOF: it died before it served, which is seen below.
                    with suppress(EOFError):
                        slot.serving = bool(slot.ready.recv())
                if slot.process.is_alive() or i in due:
                    continue
                code = slot.process.exitcode
                if not up:
                    raise StartupError(f"worker {i} exited with code {code} during startup")
                log.warning("worker %d (pid %s) exited with code %s", i, slot.process.pid, code)
                due[i] = slot.started_at + RESTART_BACKOFF
            if not up and all(s.serving for s in slots):
                up = True
                log.info(
                    "serving on http://%s:%d with %d workers", self.host, self.port, len(slots)
                )
            now = time.monotonic()
            for i, at in list(due.items()):
                if at <= now and not self.stopping:
                    del due[i]
                    slots[i].process.close()
                    slots[i].ready.close()
                    slots[i] = self._start(i)
                    log.warning("worker %d restarted (pid %s)", i, slots[i].process.pid)
        return 0

    def _shutdown(self, slots: list[_Slot]) -> None:
        for slot in slots:
            if slot.process.is_alive() and slot.process.pid is not None:
                # SIGTERM even for a Ctrl-C: the terminal's SIGINT reached the workers
                # too, and a second SIGINT makes uvicorn drop its open requests.
                os.kill(slot.process.pid, signal.SIGTERM)
        deadline = time.monotonic() + GRACE
        for slot in slots:
            slot.process.join(max(0.0, deadline - time.monotonic()))
            if slot.process.is_alive():
                log.warning(
                    "worker pid %s still running after %.0f s; killed", slot.process.pid, GRACE
                )
                slot.process.kill()
                slot.process.join()
            slot.process.close()
            slot.ready.close()


def serve(config: dict[str, Any], host: str, port: int, workers: int) -> int:
    """Serve with ``workers`` processes; the exit code once stopped.

    ``config`` holds the keyword arguments of ``uvicorn.Config`` but host and port.
    Raises ``StartupError`` when the port is taken or a worker dies before serving.
    """
    port = _probe(host, port)
    return Supervisor(config, host, port, workers).run()
