"""The committed permission matrix is the one the policy generates."""

from __future__ import annotations

from pathlib import Path

from policies.known_fields import known_fields
from policies.lines import read_policy
from policies.matrix import render
from tests.policies.policy_text import lines

README = Path(__file__).resolve().parents[2] / "policies" / "README.md"


def test_committed_readme_matches_the_policy() -> None:
    generated = render(read_policy(), known_fields())
    assert README.read_text(encoding="utf-8") == generated, (
        "policies/README.md is stale: run `make policy-matrix`"
    )


def test_cells_show_read_filter_and_write() -> None:
    text = render(
        lines("""
            p, ops, Customer.*, read, allow
            p, ops, Customer.name, filter, allow
            p, ops, Customer.name, write, allow
            p, ops, Customer.phone, read, mask
            p2, ops, none
        """),
        frozenset({"Customer.name", "Customer.phone", "Customer.city"}),
    )
    assert "| `name` | allow F W |" in text
    assert "| `phone` | mask |" in text
    assert "| `city` | allow |" in text
    assert "| `ops` | — | none |" in text
