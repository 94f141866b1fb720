"""Segment operations, and the policy read beside them, leave the request's
connection usable.

Each case runs on the test's rolled-back transaction (the request's work in a
savepoint) and on a committed database served as in production, then asks again
on the same app: the follow-up must answer, not "savepoint does not exist" or an
aborted transaction.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from typing import Any

import pytest

from cdp.db.engine import Database
from tests.conftest import AppClient
from tests.schema.conftest import Api

Serve = Callable[[], Any]

SEGMENTS = "segments(first: 5) { nodes { key } }"
# NUL cannot be stored in PostgreSQL text; the rule parses, so only the insert
# would notice.
NUL_RULE = (
    """mutation { createSegment(key: "nul", name: "N", rule: "city = 'a\\u0000b'") { key } }"""
)


@pytest.fixture(params=["test-transaction", "committed"])
def serve(
    request: pytest.FixtureRequest,
    app_client: AppClient,
    fresh_database: Callable[[], Awaitable[Database]],
) -> Callable[[], Any]:
    @asynccontextmanager
    async def make() -> AsyncIterator[Api]:
        database = await fresh_database() if request.param == "committed" else None
        async with app_client(database=database) as client:
            yield Api(client)

    return make


async def _still_answers(api: Api) -> None:
    after = await api.data(f"{{ {SEGMENTS} }}")
    assert after["segments"]["nodes"] == []


async def test_a_segment_text_with_nul_is_refused_before_any_statement(serve: Serve) -> None:
    async with serve() as api:
        error = await api.error(NUL_RULE)
        assert error["extensions"]["code"] == "BAD_USER_INPUT"
        assert "NUL" in error["message"]
        await _still_answers(api)


@pytest.mark.parametrize(
    "query",
    [
        f'{{ customer(customerNo: "NOPE") {{ name }} {SEGMENTS} }}',
        f'{{ {SEGMENTS} customer(customerNo: "NOPE") {{ name }} }}',
        '{ customer(customerNo: "NOPE") { name } previewSegment(rule: "city = \'x\'") { count } }',
        '{ customer(customerNo: "NOPE") { name } segment(key: "none") { key } }',
    ],
)
async def test_a_failing_sibling_leaves_segment_reads_whole(serve: Serve, query: str) -> None:
    async with serve() as api:
        body = await api.raw(query)
        codes = {e["extensions"]["code"] for e in body["errors"]}
        assert codes <= {"NOT_FOUND"}, body
        await _still_answers(api)


@pytest.mark.parametrize(
    "query",
    [
        f"{{ policy {{ version }} {SEGMENTS} }}",
        f"{{ {SEGMENTS} policy {{ version }} }}",
        "{ policy { version } customers(first: 3) { nodes { name } } }",
        '{ customer(customerNo: "NOPE") { name } policy { version } }',
    ],
)
async def test_the_policy_is_read_on_the_requests_own_session(serve: Serve, query: str) -> None:
    # A second session beside the request's interleaved its savepoints with the
    # request's on one connection ("savepoint does not exist").
    async with serve() as api:
        body = await api.raw(query)
        assert {e["extensions"]["code"] for e in body.get("errors") or ()} <= {"NOT_FOUND"}, body
        if body["data"]:
            assert len(body["data"]["policy"]["version"]) == 16
        await _still_answers(api)
