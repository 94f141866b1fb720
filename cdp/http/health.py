"""Liveness (/healthz: the process answers) and readiness (/readyz: it can serve).

Ready means the database answers and the permission policy could be read: a
process whose policy store is unreadable denies every field (it fails closed), so
a load balancer should send traffic elsewhere until it recovers. The body names
the cause by kind only (an exception's class name): the probe is open, and
connection details or policy lines are for the logs.
"""

from __future__ import annotations

import asyncio

from sqlalchemy import text
from starlette.requests import Request
from starlette.responses import JSONResponse

from cdp.db.engine import Database


async def healthz(_: Request) -> JSONResponse:
    return JSONResponse({"status": "ok"})


async def _database(db: Database) -> str:
    try:
        # Reads and writes use separate pools; ready means both can reach the server.
        async with asyncio.timeout(2):
            async with db.read_session() as session:
                await session.execute(text("SELECT 1"))
            async with db.write_session() as write:
                await write.execute(text("SELECT 1"))
    except Exception as exc:  # any failure means not ready; say which
        return type(exc).__name__
    return "ok"


def _policy(request: Request) -> str:
    holder = getattr(request.app.state, "policy", None)
    if holder is None:
        return "not loaded"
    error: str | None = holder.error
    return "ok" if error is None else error.split(":", 1)[0]


async def readyz(request: Request) -> JSONResponse:
    body = {"database": await _database(request.app.state.db), "policy": _policy(request)}
    if all(state == "ok" for state in body.values()):
        return JSONResponse({"status": "ok", **body})
    return JSONResponse({"status": "unavailable", **body}, status_code=503)
