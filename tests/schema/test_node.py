"""node(id): every node type by global ID, through the same loading as other paths."""

from __future__ import annotations

import base64

import pytest

from cdp.db.engine import AsyncWriteSession
from tests.factories import (
    create_advisor,
    create_customer,
    create_holding,
    create_household,
    create_product,
)
from tests.schema.conftest import Api, admin_id

NODE = """
query($id: ID!) {
  node(id: $id) {
    __typename id
    ... on Customer { customerNo holdings { product { id code } } household { id } }
    ... on Household { householdNo members { relation customer { customerNo } } }
    ... on Product { code holderCount }
    ... on Advisor { employeeNo }
  }
}
"""


async def test_every_node_type_round_trips(api: Api, session: AsyncWriteSession) -> None:
    advisor = await create_advisor(session)
    customer = await create_customer(session, advisor_id=advisor.id)
    product = await create_product(session)
    await create_holding(session, customer, product)
    household = await create_household(session, [(customer, "self")])

    c = (await api.data(NODE, id=admin_id("Customer", customer.id)))["node"]
    assert c["__typename"] == "Customer"
    assert c["customerNo"] == customer.customer_no
    [holding] = c["holdings"]
    assert holding["product"]["id"] == admin_id("Product", product.id)
    assert c["household"]["id"] == admin_id("Household", household.id)

    h = (await api.data(NODE, id=c["household"]["id"]))["node"]
    assert h["__typename"] == "Household"
    assert h["householdNo"] == household.household_no
    assert h["members"] == [{"relation": "self", "customer": {"customerNo": customer.customer_no}}]

    p = (await api.data(NODE, id=holding["product"]["id"]))["node"]
    assert (p["__typename"], p["code"], p["holderCount"]) == ("Product", product.code, 1)

    a = (await api.data(NODE, id=admin_id("Advisor", advisor.id)))["node"]
    assert (a["__typename"], a["employeeNo"]) == ("Advisor", advisor.employee_no)
    assert a["id"] == admin_id("Advisor", advisor.id)


@pytest.mark.parametrize("type_name", ["Customer", "Household", "Product", "Advisor"])
async def test_missing_object_is_null(api: Api, type_name: str) -> None:
    assert (await api.data(NODE, id=admin_id(type_name, 987654321)))["node"] is None


@pytest.mark.parametrize(
    "bad_id",
    [
        "not-base64!",
        base64.b64encode(b"no colon").decode(),
        base64.b64encode(b"Customer:abc").decode(),
        base64.b64encode(b"Holding:1").decode(),
    ],
)
async def test_bad_id_is_bad_input(api: Api, bad_id: str) -> None:
    error = await api.error(NODE, id=bad_id)
    assert error["extensions"]["code"] == "BAD_USER_INPUT"


async def test_an_id_of_another_type_is_bad_input(api: Api) -> None:
    # Sealed for the caller, but not of a node type.
    error = await api.error(NODE, id=admin_id("Holding", 1))
    assert error["extensions"]["code"] == "BAD_USER_INPUT"
    assert "not a node type" in error["message"]


async def test_an_id_built_from_a_known_key_is_refused(
    api: Api, session: AsyncWriteSession
) -> None:
    customer = await create_customer(session)
    built = base64.b64encode(f"Customer:{customer.id}".encode()).decode()
    error = await api.error(NODE, id=built)
    assert error["extensions"]["code"] == "BAD_USER_INPUT"
    assert (await api.data(NODE, id=admin_id("Customer", customer.id)))["node"] is not None
