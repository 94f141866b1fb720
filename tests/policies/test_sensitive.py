"""The list of sensitive fields names fields the API has."""

from __future__ import annotations

from policies.sensitive import SENSITIVE_BY_TYPE, SENSITIVE_FIELDS


def test_every_sensitive_field_exists(fields: frozenset[str]) -> None:
    assert fields >= SENSITIVE_FIELDS, sorted(SENSITIVE_FIELDS - fields)


def test_grouped_by_type() -> None:
    assert SENSITIVE_BY_TYPE["Holding"] == ("cost", "marketValue", "units")
    assert {f"{t}.{f}" for t, fs in SENSITIVE_BY_TYPE.items() for f in fs} == SENSITIVE_FIELDS
