"""Server processes behind one listening socket, each new connection handed to the next.

uvicorn's own workers share a listening socket and the kernel gives a new connection
to whichever worker accepts first; ``SO_REUSEPORT`` sockets spread them by hash.
Either way a few keep-alive connections split unevenly (5/11 of 16 was measured),
and the busier worker's queue sets the tail latency. Here the supervisor holds the
only listening socket, accepts, and passes each connection's file descriptor over a
Unix socket pair to the workers in turn, so connections split as evenly as their
number allows. It costs the supervisor a few system calls per connection and
nothing per request: requests go straight to the worker that holds the connection.

The supervisor also starts the workers, forwards SIGINT/SIGTERM for a graceful
shutdown, fails fast when a worker dies before it is serving, and replaces one that
dies later. It names the app by import string, so it imports nothing of it.
"""

from __future__ import annotations

import asyncio
import errno
import logging
import multiprocessing
import os
import signal
import socket
import sys
import time
from collections.abc import Callable
from contextlib import suppress
from dataclasses import dataclass, field
from multiprocessing.connection import wait
from multiprocessing.process import BaseProcess
from types import FrameType
from typing import Any

import uvicorn

from cdp.http.heap import settle_heap
from cdp.signals import stop_on_sigterm

log = logging.getLogger("cdp.serve")

# Seconds the workers get to finish their requests after a stop signal.
GRACE = 30.0
# A worker that dies this soon after it started is not restarted at once, so that a
# worker failing on every start (the database gone) does not spin.
RESTART_BACKOFF = 1.0
# uvicorn's exit code when a worker's startup fails.
STARTUP_FAILURE = 3
# What a worker sends on its channel once it serves; connections carry one byte.
_READY = b"ready"
_CONNECTION = b"c"


class StartupError(Exception):
    """The server could not start; the message is one line for the operator."""


def listen(host: str, port: int, backlog: int = 2048) -> socket.socket:
    """The listening socket, or a ``StartupError`` an operator can act on."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    try:
        # As uvicorn does, so that connections in TIME_WAIT do not block a restart.
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((host, port))
        sock.listen(backlog)
    except OSError as e:
        sock.close()
        reason = "address already in use" if e.errno == errno.EADDRINUSE else e.strerror
        raise StartupError(f"cannot listen on {host}:{port}: {reason}") from e
    return sock


class _Server(uvicorn.Server):
    """uvicorn serving the connections that arrive on ``channel`` (it binds nothing)."""

    def __init__(self, config: uvicorn.Config, channel: socket.socket) -> None:
        super().__init__(config)
        self.channel = channel

    async def startup(self, sockets: list[socket.socket] | None = None) -> None:
        await super().startup(sockets=[])
        if not self.started:
            return
        config, loop = self.config, asyncio.get_running_loop()

        def protocol() -> asyncio.Protocol:
            # What uvicorn's own listening server builds for each connection.
            return config.http_protocol_class(  # type: ignore[call-arg]
                config=config, server_state=self.server_state, app_state=self.lifespan.state
            )

        self.channel.setblocking(False)
        loop.add_reader(self.channel.fileno(), self._receive, loop, protocol)
        settle_heap()
        self.channel.send(_READY)

    def _receive(
        self, loop: asyncio.AbstractEventLoop, protocol: Callable[[], asyncio.Protocol]
    ) -> None:
        while True:
            try:
                message, fds, _, _ = socket.recv_fds(self.channel, len(_CONNECTION), 1)
            except BlockingIOError:
                return
            except OSError:
                message, fds = b"", []
            if not message:
                # The supervisor is gone: nobody hands out connections any more.
                loop.remove_reader(self.channel.fileno())
                self.should_exit = True
                return
            for fd in fds:
                sock = socket.socket(fileno=fd)
                sock.setblocking(False)
                # uvloop (and asyncio) own the socket from here, as after their accept.
                loop.create_task(loop.connect_accepted_socket(protocol, sock))

    async def shutdown(self, sockets: list[socket.socket] | None = None) -> None:
        with suppress(ValueError, OSError):
            asyncio.get_running_loop().remove_reader(self.channel.fileno())
        await super().shutdown(sockets)


def _worker(config: dict[str, Any], channel: socket.socket) -> None:
    stop_on_sigterm()  # after uvicorn's graceful stop, unwind (atexit: embedded database)
    with channel:
        server = _Server(uvicorn.Config(**config), channel)
        server.run()
    if not server.started:
        sys.exit(STARTUP_FAILURE)


@dataclass
class _Slot:
    process: BaseProcess
    channel: socket.socket
    started_at: float = field(default_factory=time.monotonic)
    serving: bool = False


class Supervisor:
    def __init__(self, config: dict[str, Any], sock: socket.socket, workers: int) -> None:
        self.config, self.sock, self.workers = config, sock, workers
        self.context = multiprocessing.get_context("spawn")
        self.stopping = False
        self.turn = 0

    def _start(self, index: int) -> _Slot:
        # Datagram boundaries: one message is one connection (or the ready note).
        ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        process = self.context.Process(
            target=_worker, args=(self.config, theirs), name=f"cdp-worker-{index}"
        )
        process.start()
        # The child holds its own copy; ours would keep the channel open after it dies.
        theirs.close()
        ours.setblocking(False)
        return _Slot(process, ours)

    def _stop(self, signum: int, frame: FrameType | None) -> None:
        self.stopping = True

    def run(self) -> int:
        previous = {s: signal.signal(s, self._stop) for s in (signal.SIGINT, signal.SIGTERM)}
        slots: list[_Slot] = []
        try:
            self.sock.setblocking(False)
            slots = [self._start(i) for i in range(self.workers)]
            return self._supervise(slots)
        finally:
            # Refuse new connections at once; the workers finish the ones they hold.
            self.sock.close()
            self._shutdown(slots)
            for s, handler in previous.items():
                signal.signal(s, handler)

    def _supervise(self, slots: list[_Slot]) -> int:
        up = False  # every worker has served once: from then on a death is a restart
        due: dict[int, float] = {}  # replacements waiting out the back-off
        while not self.stopping:
            # A short timeout: a stop signal only sets a flag, seen on the next turn.
            waiting: list[Any] = [s.process.sentinel for s in slots]
            waiting += [s.channel for s in slots if not s.serving and s.process.is_alive()]
            if any(s.serving for s in slots):
                waiting.append(self.sock)
            wait(waiting, timeout=0.2)
            for i, slot in enumerate(slots):
                if not slot.serving and slot.process.is_alive():
                    with suppress(BlockingIOError, ConnectionError):
                        slot.serving = slot.channel.recv(len(_READY)) == _READY
                if slot.process.is_alive() or i in due:
                    continue
                slot.serving = False
                code = slot.process.exitcode
                if not up:
                    raise StartupError(f"worker {i} exited with code {code} during startup")
                log.warning("worker %d (pid %s) exited with code %s", i, slot.process.pid, code)
                due[i] = slot.started_at + RESTART_BACKOFF
            if not up and all(s.serving for s in slots):
                up = True
                host, port = self.sock.getsockname()[:2]
                log.info("serving on http://%s:%d with %d workers", host, port, len(slots))
            self._hand_out(slots)
            now = time.monotonic()
            for i, at in list(due.items()):
                if at <= now and not self.stopping:
                    del due[i]
                    slots[i].process.close()
                    slots[i].channel.close()
                    slots[i] = self._start(i)
                    log.warning("worker %d restarted (pid %s)", i, slots[i].process.pid)
        return 0

    def _hand_out(self, slots: list[_Slot]) -> None:
        """Accept what is waiting and pass each connection to the next serving worker."""
        while any(s.serving for s in slots):
            try:
                conn, _ = self.sock.accept()
            except (BlockingIOError, InterruptedError):
                return
            except OSError as e:  # out of descriptors, say: retry on the next turn
                log.warning("accept failed: %s", e)
                return
            with conn:
                for _ in range(len(slots)):
                    slot = slots[self.turn % len(slots)]
                    self.turn += 1
                    if not slot.serving:
                        continue
                    try:
                        socket.send_fds(slot.channel, [_CONNECTION], [conn.fileno()])
                    except OSError:
                        # Dead or not reading (a full channel): the next one takes it.
                        continue
                    break
                # Either a worker holds its own copy now, or nobody could take it and
                # the client sees the connection closed.

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
            slot.channel.close()


class _SingleServer(uvicorn.Server):
    async def startup(self, sockets: list[socket.socket] | None = None) -> None:
        await super().startup(sockets)
        if self.started:
            settle_heap()


def serve(config: dict[str, Any], host: str, port: int, workers: int) -> int:
    """Serve with ``workers`` processes; the exit code once stopped.

    ``config`` holds the keyword arguments of ``uvicorn.Config`` but host and port.
    Raises ``StartupError`` when the port is taken or a worker dies before serving.
    """
    # Installed before uvicorn's own handler, which puts this one back and re-raises
    # the signal once it has shut down: the process then unwinds and runs ``atexit``.
    stop_on_sigterm()
    sock = listen(host, port)
    if workers > 1:
        return Supervisor(config, sock, workers).run()
    # One process serves the socket itself; nothing to hand out.
    with sock:
        server = _SingleServer(uvicorn.Config(**config))
        server.run(sockets=[sock])
    return 0 if server.started else STARTUP_FAILURE
