"""Inputs a column or the calendar cannot hold are BAD_USER_INPUT naming the argument.

Each of these failed inside a statement (or a date computation) as an internal
error; now the value is refused before anything runs. Literal and variable values
take the same path.
"""

from __future__ import annotations

import base64
from typing import Any

import httpx
import pytest

from cdp.db.engine import Database
from tests.schema.conftest import Api
from tests.schema.mutations.helpers import (
    RECORD_INTERACTIONS,
    UPSERT_CUSTOMERS,
    count,
    data,
    send,
)

CUSTOMERS = "query($f: CustomerFilter) { customers(filter: $f, first: 5) { totalCount } }"


def _global_id(text: str) -> str:
    return base64.b64encode(text.encode()).decode()


def _refused(body: dict[str, Any], argument: str) -> dict[str, Any]:
    [error] = body["errors"]
    assert error["extensions"]["code"] == "BAD_USER_INPUT", error
    assert error["extensions"]["argument"] == argument
    assert argument in error["message"]
    return dict(error)


async def test_a_nul_byte_in_a_filter_string(api: Api) -> None:
    body = await api.raw(CUSTOMERS, f={"cities": ["上海\x00"]})
    _refused(body, "filter.cities")
    assert "NUL" in body["errors"][0]["message"]


async def test_a_nul_byte_in_a_lookup_argument(api: Api) -> None:
    query = "query($n: String!) { customer(customerNo: $n) { name } }"
    _refused(await api.raw(query, n="C0000000001\x00"), "customerNo")


async def test_a_nul_byte_in_a_literal(api: Api) -> None:
    # JSON carries the NUL into the document as a GraphQL escape.
    _refused(await api.raw('{ customer(customerNo: "C\\u0000") { name } }'), "customerNo")


async def test_a_nul_byte_in_a_mutation_item(client: httpx.AsyncClient, db: Database) -> None:
    body = await send(client, UPSERT_CUSTOMERS, [{"source_key": "K\x001", "name": "张三"}])
    _refused(body, "customers.sourceKey")
    assert await count(db, "customer") == 0


async def test_a_nul_byte_inside_a_json_value(client: httpx.AsyncClient, db: Database) -> None:
    item = {
        "source_key": "I1",
        "customer_key": "K1",
        "kind": "login",
        "occurred_at": "2024-01-01",
        "properties": {"page": ["home", {"x\x00": 1}]},
    }
    _refused(await send(client, RECORD_INTERACTIONS, [item]), "interactions.properties")
    literal = (
        'mutation { recordInteractions(source: "crm", interactions: [{sourceKey: "I1", '
        'customerKey: "K1", kind: "login", occurredAt: "2024-01-01", '
        'properties: {page: "\\u0000"}}]) { counts { rejected } } }'
    )
    body = (await client.post("/graphql", json={"query": literal})).json()
    _refused(body, "interactions.properties")
    assert await count(db, "interaction_event") == 0


@pytest.mark.parametrize("instant", ["0001-01-01T00:00:00+14:00", "9999-12-31T23:59:59-14:00"])
async def test_an_item_timestamp_outside_the_calendar_is_rejected(
    client: httpx.AsyncClient, instant: str
) -> None:
    # Item values are strings normalised as in file imports: one rejected item.
    item = {"source_key": "K1", "name": "张三", "onboarded_at": instant}
    [result] = data(await send(client, UPSERT_CUSTOMERS, [item]))["items"]
    assert result["status"] == "REJECTED"
    assert result["rejection"]["field"] == "onboarded_at"
    assert result["rejection"]["code"] == "date_invalid"


async def test_a_global_id_beyond_64_bits(api: Api) -> None:
    query = "query($id: ID!) { node(id: $id) { id } }"
    body = await api.raw(query, id=_global_id("Customer:99999999999999999999999"))
    _refused(body, "id")


async def test_an_advisor_id_beyond_64_bits_in_a_filter(api: Api) -> None:
    body = await api.raw(CUSTOMERS, f={"advisors": [_global_id("Advisor:" + "9" * 30)]})
    _refused(body, "advisors")


@pytest.mark.parametrize("level", [32768, -32769, 2**31 - 1])
async def test_a_risk_level_beyond_its_smallint_column(api: Api, level: int) -> None:
    _refused(await api.raw(CUSTOMERS, f={"riskLevels": [level]}), "filter.riskLevels")


async def test_a_list_longer_than_bind_parameters_allow(api: Api) -> None:
    error = _refused(await api.raw(CUSTOMERS, f={"riskLevels": [1] * 32768}), "filter.riskLevels")
    assert error["extensions"]["maximum"] == 10_000


@pytest.mark.parametrize("amount", [1e30, "1e30", "-1E+18", "NaN", "Infinity"])
async def test_an_amount_beyond_numeric_20_2(api: Api, amount: object) -> None:
    _refused(await api.raw(CUSTOMERS, f={"aum": {"min": amount}}), "filter.aum.min")


async def test_an_amount_beyond_numeric_20_2_as_a_literal(api: Api) -> None:
    query = '{ customers(filter: {aum: {max: "1e30"}}, first: 1) { totalCount } }'
    _refused(await api.raw(query), "filter.aum.max")


@pytest.mark.parametrize(("bound", "age"), [("min", 100_000), ("max", -100_000), ("min", 151)])
async def test_an_age_that_leaves_the_calendar(api: Api, bound: str, age: int) -> None:
    _refused(await api.raw(CUSTOMERS, f={"age": {bound: age}}), f"filter.age.{bound}")


async def test_an_age_nested_in_or_is_checked_too(api: Api) -> None:
    body = await api.raw(CUSTOMERS, f={"or": [{"tiers": ["MASS"]}, {"age": {"min": 10**6}}]})
    _refused(body, "filter.or.age.min")


@pytest.mark.parametrize("instant", ["0001-01-01T00:00:00+14:00", "9999-12-31T23:59:59-14:00"])
async def test_an_instant_that_leaves_the_calendar_in_utc(api: Api, instant: str) -> None:
    _refused(await api.raw(CUSTOMERS, f={"onboarded": {"min": instant}}), "filter.onboarded.min")
    query = "query($s: DateTime) { auditLog(filter: {since: $s}, first: 5) { totalCount } }"
    _refused(await api.raw(query, s=instant), "filter.since")


async def test_a_source_longer_than_its_column(client: httpx.AsyncClient, db: Database) -> None:
    body = await send(
        client, UPSERT_CUSTOMERS, [{"source_key": "K1", "name": "张三"}], source="s" * 33
    )
    error = _refused(body, "source")
    assert error["extensions"]["maximum"] == 32
    assert await count(db, "import_run") == 0


async def test_values_within_bounds_still_run(api: Api) -> None:
    data = await api.data(
        CUSTOMERS,
        f={
            "riskLevels": [1, 5],
            "age": {"min": 0, "max": 150},
            "aum": {"max": "999999999999999999"},
        },
    )
    assert data["customers"]["totalCount"] >= 0
