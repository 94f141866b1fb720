"""The list of sensitive fields names fields the API has."""

from __future__ import annotations

from policies.sensitive import COARSE, DERIVED, SENSITIVE_BY_TYPE, SENSITIVE_FIELDS


def test_every_sensitive_field_exists(fields: frozenset[str]) -> None:
    assert fields >= SENSITIVE_FIELDS, sorted(SENSITIVE_FIELDS - fields)


def test_grouped_by_type() -> None:
    assert SENSITIVE_BY_TYPE["Holding"] == ("cost", "marketValue", "units")
    assert {f"{t}.{f}" for t, fs in SENSITIVE_BY_TYPE.items() for f in fs} == SENSITIVE_FIELDS


def test_a_value_derived_from_sensitive_inputs_is_sensitive() -> None:
    for name, inputs in DERIVED.items():
        if inputs & SENSITIVE_FIELDS:
            assert name in SENSITIVE_FIELDS or name in COARSE, name
    assert "Household.aum" in SENSITIVE_FIELDS
    assert "Customer.aumByCategory" in SENSITIVE_FIELDS
    assert set(COARSE) <= set(DERIVED)


def test_derived_fields_and_inputs_exist(fields: frozenset[str]) -> None:
    named = set(DERIVED) | {i for inputs in DERIVED.values() for i in inputs}
    assert named <= fields, sorted(named - fields)


def test_graph_answers_computed_from_holdings_are_sensitive() -> None:
    for name in (
        "Customer.crossSell",
        "Community.aum",
        "Household.holdingsByCategory",
        "ReferralNetwork.totalAum",
        "TopReferrer.cascadeAum",
        "Prospect.connectedAum",
    ):
        assert name in SENSITIVE_FIELDS, name
        assert DERIVED[name] & SENSITIVE_FIELDS, name
