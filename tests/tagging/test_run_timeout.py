"""A tag run is a batch job: the API's statement timeout does not cut it short.

The server's tag worker runs on the API's database, whose statements the server
cancels after ``CDP_STATEMENT_TIMEOUT_MS``; a run over a large book takes minutes.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable

import asyncpg
from sqlalchemy import make_url

from cdp.config import get_settings
from cdp.db.engine import Database, api_database
from tagging.engine import run_tags
from tests.tagging.tagkit import active_tag, profiled_customer, values_of


async def test_a_run_outlasts_the_api_statement_timeout(
    fresh_database: Callable[[], Awaitable[Database]],
) -> None:
    db = await fresh_database()
    async with db.write_session() as session:
        await active_tag(session, "hnw", "aum >= 6000000")
        rich = await profiled_customer(session, aum=6_120_000)
        await session.commit()
    url = db.bind.url.render_as_string(hide_password=False)  # type: ignore[union-attr]
    timed = api_database(get_settings().model_copy(update={"statement_timeout_ms": 200}), url)
    # Another session holds the values table longer than the timeout, so a run that
    # kept the API's timeout would be cancelled while it waits to write.
    plain = make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)
    blocker = await asyncpg.connect(plain)
    try:
        lock = blocker.transaction()
        await lock.start()
        await blocker.execute("LOCK TABLE tag_value IN ACCESS EXCLUSIVE MODE")
        run = asyncio.create_task(run_tags(timed))
        await asyncio.sleep(0.8)
        await lock.rollback()
        report = await asyncio.wait_for(run, timeout=60)
    finally:
        await blocker.close()
        await timed.dispose()
    assert report.status == "succeeded"
    async with db.read_session() as session:
        assert await values_of(session, "hnw") == {rich.id: True}
