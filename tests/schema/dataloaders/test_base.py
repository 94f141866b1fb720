"""The loader contract: one fetch per event-loop turn, values kept, failures not."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence

import pytest
from sqlalchemy import text

from cdp.db.engine import Database
from schema.dataloaders.base import BatchLoader, Deps
from schema.permissions import AllowAll


class Squares(BatchLoader[int, int]):
    """Squares its keys in the database, and notes every batch it was asked for."""

    def __init__(self, deps: Deps, fail: bool = False) -> None:
        super().__init__(deps)
        self.batches: list[list[int]] = []
        self.fail = fail

    async def fetch(self, keys: list[int]) -> Sequence[int]:
        self.batches.append(keys)
        if self.fail:
            self.fail = False
            raise RuntimeError("the first batch fails")
        rows = await self.deps.session.execute(
            text(
                "SELECT k * k FROM unnest(CAST(:keys AS int[])) WITH ORDINALITY AS t(k, i)"
                " ORDER BY i"
            ),
            {"keys": keys},
        )
        return [int(v) for v in rows.scalars()]


@pytest.fixture
async def deps(db: Database) -> Deps:
    async with db.read_session() as session:
        return Deps(session, asyncio.Lock(), AllowAll())


async def test_keys_asked_for_in_one_turn_share_one_fetch(deps: Deps) -> None:
    loader = Squares(deps)
    many, one, again = await asyncio.gather(
        loader.load_many([1, 2, 3]), loader.load(4), loader.load_many([3, 1])
    )
    assert (many, one, again) == ([1, 4, 9], 16, [9, 1])
    assert loader.batches == [[1, 2, 3, 4]]


async def test_loaded_values_are_not_fetched_again(deps: Deps) -> None:
    loader = Squares(deps)
    assert await loader.load_many([2, 5]) == [4, 25]
    assert await loader.load_many([5, 6, 2]) == [25, 36, 4]
    assert loader.batches == [[2, 5], [6]]


async def test_a_failed_batch_fails_its_callers_and_is_not_remembered(deps: Deps) -> None:
    loader = Squares(deps, fail=True)
    results = await asyncio.gather(loader.load(2), loader.load(3), return_exceptions=True)
    assert [str(r) for r in results] == ["the first batch fails"] * 2
    assert await loader.load_many([2, 3]) == [4, 9]
    assert loader.batches == [[2, 3], [2, 3]]


async def test_a_cancelled_caller_leaves_the_batch_to_the_others(deps: Deps) -> None:
    loader = Squares(deps)
    first = asyncio.ensure_future(loader.load(7))
    second = asyncio.ensure_future(loader.load(7))
    await asyncio.sleep(0)
    first.cancel()
    assert await second == 49
    assert first.cancelled()
    assert loader.batches == [[7]]
