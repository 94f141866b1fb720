"""A completion plan that breaks is answered the slow way, logged and counted."""

from __future__ import annotations

import logging
from typing import Any

import httpx
import pytest

from cdp.db.engine import AsyncWriteSession
from schema.execution import executor, plans
from tests.factories import create_customer
from tests.schema.execution.plan_failures import plan_failures


async def test_a_failing_plan_falls_back_and_is_counted(
    client: httpx.AsyncClient,
    session: AsyncWriteSession,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    customer = await create_customer(session, name="计划失败")
    # A document of its own, so no plan compiled by another test is reused.
    query = '{ customer(customerNo: "%s") { name city planFailure: customerNo } }'
    query %= customer.customer_no
    expected = {"customer": {"name": "计划失败", "city": customer.city,
                             "planFailure": customer.customer_no}}  # fmt: skip

    compile_plan = plans.object_completer

    def broken(type_: Any, group: Any, subplan: Any) -> Any:
        plan = compile_plan(type_, group, subplan)
        if plan is None or type_.name != "Customer":
            return plan

        def complete(value: Any) -> Any:
            raise RuntimeError("a plan bug")

        return complete

    monkeypatch.setattr(executor, "object_completer", broken)
    before = plan_failures()
    with caplog.at_level(logging.ERROR, logger=executor.__name__):
        response = await client.post("/graphql", json={"query": query})
    assert response.json() == {"data": expected}
    assert plan_failures() == before + 1
    [record] = [r for r in caplog.records if r.name == executor.__name__]
    assert "Customer" in record.getMessage()
    assert record.exc_info is not None
    assert isinstance(record.exc_info[1], RuntimeError)
