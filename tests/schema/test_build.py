"""Schema assembly: the validation cache is effective with the limit rules in place."""

from __future__ import annotations

from typing import Any

import pytest
from strawberry.schema.schema import validate_document

from cdp.config import Settings, get_settings
from schema.build import build_schema
from schema.extensions import validation


def settings(**overrides: object) -> Settings:
    return get_settings().model_copy(update=overrides)


async def test_repeated_documents_are_validated_once(monkeypatch: pytest.MonkeyPatch) -> None:
    validated: list[Any] = []

    def counting(*args: Any) -> Any:
        validated.append(args[1])
        return validate_document(*args)

    monkeypatch.setattr(validation, "validate_document", counting)
    schema = build_schema(settings(max_aliases=3))
    query = "{ first: __typename second: __typename }"
    await schema.execute(query)
    assert len(validated) == 1

    result = await schema.execute(query)

    assert result.errors is None
    assert len(validated) == 1


async def test_limits_follow_the_settings_given() -> None:
    strict = build_schema(settings(max_aliases=1))
    relaxed = build_schema(settings(max_aliases=5))
    query = "{ first: __typename second: __typename }"
    assert (await relaxed.execute(query)).errors is None
    [error] = (await strict.execute(query)).errors or []
    assert error.extensions == {"code": "QUERY_TOO_COMPLEX", "limit": "aliases", "maximum": 1}
