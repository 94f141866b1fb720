"""A serving process freezes what startup built and collects young objects less often."""

from __future__ import annotations

import gc
from collections.abc import Iterator

import pytest

from cdp.http.heap import YOUNG_THRESHOLD, settle_heap


@pytest.fixture
def restored() -> Iterator[None]:
    threshold = gc.get_threshold()
    try:
        yield
    finally:
        gc.unfreeze()
        gc.set_threshold(*threshold)


@pytest.mark.usefixtures("restored")
def test_startup_objects_leave_the_collected_generations() -> None:
    built_at_startup = [object(), [], {}]
    assert gc.is_tracked(built_at_startup)
    assert any(o is built_at_startup for o in gc.get_objects())
    settle_heap()
    assert gc.get_freeze_count() > 0
    assert not any(o is built_at_startup for o in gc.get_objects())


def _young_collections(allocations: int) -> int:
    """How many first-generation collections ``allocations`` surviving containers cause."""
    before: int = gc.get_stats()[0]["collections"]
    kept: list[list[int]] = [[] for _ in range(allocations)]
    after: int = gc.get_stats()[0]["collections"]
    assert len(kept) == allocations
    return after - before


@pytest.mark.usefixtures("restored")
def test_the_young_generation_is_collected_less_often() -> None:
    # Measured, not read back: a request's worth of allocations under the interpreter's
    # default threshold, then under the server's.
    _, older, oldest = gc.get_threshold()
    gc.set_threshold(700, older, oldest)
    default = _young_collections(50_000)
    settle_heap()
    settled = _young_collections(50_000)
    assert default >= 50
    assert settled <= 50_000 // YOUNG_THRESHOLD + 1
    assert settled * 10 <= default
    assert gc.get_threshold()[1:] == (older, oldest)
