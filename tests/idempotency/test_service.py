"""run_once: at most once per key, also under concurrent retries; expiry."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from typing import Any

import pytest

from cdp.db.engine import AsyncWriteSession, Database
from cdp.errors import Conflict, InvalidInput
from cdp.idempotency import RETENTION, purge_expired, run_once

MakeDb = Callable[[], Awaitable[Database]]


def _runner(response: dict[str, Any], calls: list[str]) -> Callable[[], Awaitable[dict[str, Any]]]:
    async def execute() -> dict[str, Any]:
        calls.append("run")
        return response

    return execute


async def _once(
    session: AsyncWriteSession, execute: Callable[[], Awaitable[dict[str, Any]]], **kw: Any
) -> dict[str, Any]:
    args: dict[str, Any] = {"source": "crm", "operation": "op", "key": "k", "request": {"a": 1}}
    return await run_once(session, execute=execute, **(args | kw))


async def test_runs_once_and_answers_retries_from_the_store(session: AsyncWriteSession) -> None:
    calls: list[str] = []
    first = await _once(session, _runner({"n": 1}, calls))
    retry = await _once(session, _runner({"n": 2}, calls))
    assert first == retry == {"n": 1}
    assert calls == ["run"]


async def test_request_hash_ignores_key_order_but_not_values(session: AsyncWriteSession) -> None:
    calls: list[str] = []
    await _once(session, _runner({}, calls), request={"a": 1, "b": {"x": 1, "y": 2}})
    await _once(session, _runner({}, calls), request={"b": {"y": 2, "x": 1}, "a": 1})
    with pytest.raises(Conflict):
        await _once(session, _runner({}, calls), request={"a": 2, "b": {"x": 1, "y": 2}})
    assert calls == ["run"]


async def test_unusable_keys(session: AsyncWriteSession) -> None:
    for key in ["", " k", "k" * 129]:
        with pytest.raises(InvalidInput):
            await _once(session, _runner({}, []), key=key)


async def test_concurrent_retries_do_not_both_run(fresh_database: MakeDb) -> None:
    db = await fresh_database()
    calls: list[str] = []
    started, release = asyncio.Event(), asyncio.Event()

    async def slow() -> dict[str, Any]:
        calls.append("first")
        started.set()
        await release.wait()
        return {"n": 1}

    async def attempt(execute: Callable[[], Awaitable[dict[str, Any]]]) -> dict[str, Any]:
        async with db.write_session() as session:
            return await _once(session, execute)

    first = asyncio.create_task(attempt(slow))
    await started.wait()
    second = asyncio.create_task(attempt(_runner({"n": 2}, calls)))
    await asyncio.sleep(0.3)
    assert not second.done()  # waits on the first transaction's key
    release.set()
    assert await first == await second == {"n": 1}
    assert calls == ["first"]


async def test_a_rolled_back_run_leaves_no_key(fresh_database: MakeDb) -> None:
    db = await fresh_database()

    async def failing() -> dict[str, Any]:
        raise RuntimeError("the batch failed")

    with pytest.raises(RuntimeError):
        async with db.write_session() as session:
            await _once(session, failing)
    calls: list[str] = []
    async with db.write_session() as session:
        assert await _once(session, _runner({"n": 1}, calls)) == {"n": 1}
    assert calls == ["run"]


async def test_expired_keys_are_purged(session: AsyncWriteSession) -> None:
    await _once(session, _runner({}, []))
    now = datetime.now(UTC)
    assert await purge_expired(session, now) == 0
    assert await purge_expired(session, now + RETENTION + RETENTION) == 1
    calls: list[str] = []
    await _once(session, _runner({}, calls))
    assert calls == ["run"]
