"""Audit entries: made from a principal, checked against the columns when made."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from cdp.principal import Principal
from policies.audit.entry import COLUMNS, AuditEntry


def test_of_principal_keeps_the_role_set_and_normalises_lists() -> None:
    caller = Principal(subject="crm-sync", kind="api_key", roles=frozenset({"partner", "auditor"}))
    entry = AuditEntry.of(
        caller,
        operation="CustomerPage",
        field_paths=["Customer.phone", "Customer.idNumber", "Customer.phone"],
        customer_ids=[9, 3, 9],
        purpose="partner_sharing",
        policy_version="abc123",
        request_id="req-1",
    )
    assert entry.principal == "crm-sync"
    assert entry.role == "auditor,partner"
    assert entry.field_paths == ("Customer.idNumber", "Customer.phone")
    assert entry.customer_ids == (3, 9)
    assert entry.occurred_at.tzinfo is not None
    record = dict(zip(COLUMNS, entry.as_record(), strict=True))
    assert record["customer_ids"] == [3, 9]
    assert record["role"] == "auditor,partner"


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"roles": ()}, "at least one role"),
        ({"roles": ("a,b",)}, "may not contain"),
        ({"principal": "p" * 101}, "principal longer than 100"),
        ({"roles": ("r" * 20, "s" * 20)}, "role longer than 32"),
        ({"operation": "o" * 201}, "operation longer than 200"),
        ({"request_id": "q" * 65}, "request_id longer than 64"),
        ({"occurred_at": datetime(2024, 1, 1)}, "timezone-aware"),
    ],
)
def test_values_the_log_cannot_store_fail_when_the_entry_is_made(
    changes: dict[str, object], message: str
) -> None:
    values: dict[str, object] = {
        "principal": "u",
        "roles": ("advisor",),
        "operation": "Q",
        "field_paths": ("Customer.phone",),
        "customer_ids": (1,),
        "occurred_at": datetime(2024, 1, 1, tzinfo=UTC),
    }
    with pytest.raises(ValueError, match=message):
        AuditEntry(**(values | changes))  # type: ignore[arg-type]
