"""Schema assembly: the validation cache is effective with the limit rules in place."""

from __future__ import annotations

from typing import Any

from strawberry.extensions.validation_cache import _get_validate_cache

from cdp.config import Settings, get_settings
from schema.build import build_schema


def _hits() -> int:
    cache: Any = _get_validate_cache(1024)  # an lru_cache, typed as a plain callable
    hits: int = cache.cache_info().hits
    return hits


def settings(**overrides: object) -> Settings:
    return get_settings().model_copy(update=overrides)


async def test_repeated_documents_are_validated_once() -> None:
    schema = build_schema(settings(max_aliases=3))
    query = "{ first: __typename second: __typename }"
    await schema.execute(query)
    hits = _hits()

    result = await schema.execute(query)

    assert result.errors is None
    assert _hits() == hits + 1


async def test_limits_follow_the_settings_given() -> None:
    strict = build_schema(settings(max_aliases=1))
    relaxed = build_schema(settings(max_aliases=5))
    query = "{ first: __typename second: __typename }"
    assert (await relaxed.execute(query)).errors is None
    [error] = (await strict.execute(query)).errors or []
    assert error.extensions == {"code": "QUERY_TOO_COMPLEX", "limit": "aliases", "maximum": 1}
