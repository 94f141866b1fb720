"""The timer that keeps a server process's knowledge graph fresh.

Every ``graph_refresh_seconds`` the process's ``GraphService`` switches to a
newer stored snapshot (``cdp graph build``) or catches up from the database since
its watermark, so writes made through any worker reach every worker's answers.
Answers also refresh first when the last refresh is older than that
(``GraphService.fresh``), so the timer only bounds how stale an idle process gets.

The timer runs only on a pooled database: a test's ``Database`` bound to one
connection would have it race the requests on that connection, and there the
refresh before each answer is enough.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging

from cdp.config import Settings
from graph.service import GraphService

log = logging.getLogger(__name__)
# Between refreshes at least this long, whatever the setting (0 means "before
# every answer", not a busy loop).
_MIN_PERIOD = 0.5


async def _loop(service: GraphService, period: float) -> None:
    while True:
        try:
            await service.refresh()
        except asyncio.CancelledError:
            raise
        except Exception:
            # A database hiccup must not end the timer: the next round retries.
            log.exception("knowledge graph refresh failed")
        await asyncio.sleep(period)


def start_refresh(
    service: GraphService, settings: Settings, *, pooled: bool
) -> asyncio.Task[None] | None:
    if not pooled:
        return None
    period = max(settings.graph_refresh_seconds, _MIN_PERIOD)
    return asyncio.create_task(_loop(service, period), name="graph-refresh")


async def stop_refresh(task: asyncio.Task[None] | None) -> None:
    if task is None:
        return
    task.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await task
