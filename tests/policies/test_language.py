"""Field patterns."""

from __future__ import annotations

import pytest

from policies.language import field_match


@pytest.mark.parametrize(
    ("requested", "pattern", "matches"),
    [
        ("Customer.phone", "Customer.phone", True),
        ("Customer.phone", "Customer.name", False),
        ("Customer.phone", "Customer.*", True),
        ("Product.code", "Customer.*", False),
        ("Customer.phone", "*.*", True),
        ("Customer.name", "*.name", True),
        ("Customer.phone", "*.name", False),
        ("Customer.phoneNumber", "Customer.phone", False),
        ("CustomerX.phone", "Customer.*", False),
    ],
)
def test_field_match(requested: str, pattern: str, matches: bool) -> None:
    assert field_match(requested, pattern) is matches
