"""One error mapping: parse, validation, variables, domain errors, everything else."""

from __future__ import annotations

from datetime import date

import pytest
import strawberry

from cdp.errors import Conflict
from schema.extensions.errors import MapErrors


@strawberry.type
class Query:
    @strawberry.field
    def on(self, day: date) -> str:
        return day.isoformat()

    @strawberry.field
    def taken(self) -> str:
        raise Conflict("already taken", key="C1")

    @strawberry.field
    def broken(self) -> str:
        raise RuntimeError("password=secret")


def schema(*, hide_suggestions: bool = False) -> strawberry.Schema:
    return strawberry.Schema(
        Query, extensions=[lambda: MapErrors(hide_suggestions=hide_suggestions)]
    )


@pytest.mark.parametrize(
    ("query", "variables", "code"),
    [
        ("{", None, "GRAPHQL_PARSE_FAILED"),
        ("{ nope }", None, "GRAPHQL_VALIDATION_FAILED"),
        ("query($d: Date!) { __typename }", None, "GRAPHQL_VALIDATION_FAILED"),  # unused
        ("query($d: Date!) { on(day: $d) }", {}, "BAD_USER_INPUT"),
        # The date scalar raises ValueError: still the caller's input, not a crash.
        ("query($d: Date!) { on(day: $d) }", {"d": "not a date"}, "BAD_USER_INPUT"),
    ],
)
async def test_request_errors_get_their_code(
    query: str, variables: dict[str, object] | None, code: str
) -> None:
    result = await schema().execute(query, variable_values=variables)
    assert result.data is None
    assert [e.extensions["code"] for e in result.errors or [] if e.extensions] == [code]


async def test_domain_errors_keep_message_and_details() -> None:
    result = await schema().execute("{ taken }")
    [error] = result.errors or []
    assert error.message == "already taken"
    assert error.extensions == {"code": "CONFLICT", "key": "C1"}
    assert error.path == ["taken"]


async def test_anything_else_is_masked() -> None:
    result = await schema().execute("{ broken }")
    [error] = result.errors or []
    assert error.message == "Internal server error"
    assert error.extensions == {"code": "INTERNAL_SERVER_ERROR", "requestId": None}


async def test_suggestions_are_cut_when_hidden() -> None:
    query = "{ taknn }"
    shown = await schema().execute(query)
    hidden = await schema(hide_suggestions=True).execute(query)
    assert "Did you mean 'taken'?" in (shown.errors or [])[0].message
    assert (hidden.errors or [])[0].message == "Cannot query field 'taknn' on type 'Query'."
