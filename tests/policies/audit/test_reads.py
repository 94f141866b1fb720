"""What a request read of sensitive data, merged into one entry."""

from __future__ import annotations

from cdp.principal import Principal
from policies.audit import SensitiveReads

CALLER = Principal(subject="alice", kind="jwt", roles=frozenset({"partner", "advisor"}))


def entry_of(reads: SensitiveReads) -> object:
    return reads.entry(
        principal=CALLER, operation="Op", purpose="p", policy_version="v1", request_id="r"
    )


def test_nothing_noted_is_falsy_and_makes_no_entry() -> None:
    reads = SensitiveReads()
    assert not reads
    assert entry_of(reads) is None


def test_lists_merge_into_one_entry() -> None:
    reads = SensitiveReads()
    reads.note(["Customer.aum", "Customer.phone"], [3, 1])
    reads.note(["Customer.aum", "Holding.marketValue"], iter([2, 3]))  # any iterable, once
    entry = reads.entry(
        principal=CALLER, operation="Op", purpose="p", policy_version="v1", request_id="r"
    )
    assert reads
    assert entry is not None
    assert entry.field_paths == ("Customer.aum", "Customer.phone", "Holding.marketValue")
    assert entry.customer_ids == (1, 2, 3)
    assert entry.roles == ("advisor", "partner")
    assert (entry.principal, entry.operation, entry.purpose) == ("alice", "Op", "p")
    assert (entry.policy_version, entry.request_id) == ("v1", "r")


def test_no_field_or_no_customer_is_no_read() -> None:
    reads = SensitiveReads()
    reads.note([], [1, 2])
    reads.note(["Customer.aum"], [])
    assert not reads
    assert reads.customer_ids == frozenset()
