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
    settle_heap()
    assert gc.get_freeze_count() > 0
    assert not any(o is built_at_startup for o in gc.get_objects())


@pytest.mark.usefixtures("restored")
def test_the_young_generation_is_collected_less_often() -> None:
    _, older, oldest = gc.get_threshold()
    settle_heap()
    assert gc.get_threshold() == (YOUNG_THRESHOLD, older, oldest)
