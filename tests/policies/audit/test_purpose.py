"""The X-Purpose value and the roles that must state one."""

from __future__ import annotations

import pytest

from cdp.errors import InvalidInput
from policies.audit import parse_purpose, purpose_required


@pytest.mark.parametrize(
    ("raw", "expected"),
    [(None, None), ("claims_review", "claims_review"), ("  kyc refresh ", "kyc refresh")],
)
def test_valid_purposes(raw: str | None, expected: str | None) -> None:
    assert parse_purpose(raw) == expected


@pytest.mark.parametrize("raw", ["", "   ", "x" * 65, "营销", "tab\there", "del\x7f"])
def test_invalid_purposes(raw: str) -> None:
    with pytest.raises(InvalidInput, match="X-Purpose"):
        parse_purpose(raw)


def test_exactly_the_column_width_is_accepted() -> None:
    assert parse_purpose("x" * 64) == "x" * 64


def test_any_listed_role_requires_a_purpose() -> None:
    assert purpose_required({"partner", "marketer"}, ["partner"])
    assert not purpose_required({"admin"}, ["partner"])
    assert not purpose_required({"partner"}, [])
