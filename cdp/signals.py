"""SIGTERM handled like Ctrl-C.

``kill`` and container stops send SIGTERM, whose default action ends a process on
the spot: no ``finally`` blocks, no ``atexit`` handlers, so whatever those release
(the embedded PostgreSQL, see ``cdp.db.embedded``) is left behind. Here SIGTERM
raises an exception instead, as SIGINT does. A server's own graceful handler
(uvicorn's) replaces this one while it serves, and re-raises the signal once it has
shut down, which lands here and unwinds the rest.
"""

from __future__ import annotations

import signal
import threading
from types import FrameType


class Terminated(KeyboardInterrupt):
    """The process was asked to stop (SIGTERM)."""


def _terminate(signum: int, frame: FrameType | None) -> None:
    raise Terminated(f"signal {signum}")


def stop_on_sigterm() -> None:
    """Make SIGTERM unwind this process, unless something else already handles it.

    Only from the main thread, where Python runs signal handlers.
    """
    if threading.current_thread() is not threading.main_thread():
        return
    if signal.getsignal(signal.SIGTERM) in (signal.SIG_DFL, None):
        signal.signal(signal.SIGTERM, _terminate)
