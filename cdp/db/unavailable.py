"""Which failures mean the database cannot be reached, rather than a fault in the code.

A restarted or unreachable server, a dropped connection, a server refusing new
connections or a pool with none to give: a caller can only retry later, so the API
says ``UNAVAILABLE`` instead of an internal error. SQLAlchemy wraps the driver's
exception (and marks connections it invalidated), so the whole chain is asked.
"""

from __future__ import annotations

import asyncio
import socket

import asyncpg
from sqlalchemy import exc as sa

# Server states a client cannot fix: class 08 (connection exceptions) is
# PostgresConnectionError; 57P01-57P03 shutdown or starting up; 53300 too many
# connections.
_DRIVER = (
    asyncpg.PostgresConnectionError,
    asyncpg.ConnectionDoesNotExistError,
    asyncpg.AdminShutdownError,
    asyncpg.CrashShutdownError,
    asyncpg.CannotConnectNowError,
    asyncpg.TooManyConnectionsError,
)
# Reaching the server at all: refused, reset, unresolvable, timed out.
_NETWORK = (ConnectionError, socket.gaierror, TimeoutError, asyncio.TimeoutError)


def is_unavailable(error: BaseException | None) -> bool:
    seen: set[int] = set()
    while error is not None and id(error) not in seen:
        seen.add(id(error))
        if isinstance(error, sa.DBAPIError) and error.connection_invalidated:
            return True
        if isinstance(error, (sa.TimeoutError, *_DRIVER, *_NETWORK)):
            return True
        if isinstance(error, asyncpg.InterfaceError) and "connection is closed" in str(error):
            return True
        orig = error.orig if isinstance(error, sa.DBAPIError) else None
        error = orig or error.__cause__ or error.__context__
    return False
