"""Which fields hold sensitive personal information (PIPL; JR/T 0171).

One list, so the audit trail, masking defaults and documentation agree on it.
Names are GraphQL ``Type.field`` names, as in policies. Fields listed here that
the API does not expose yet (the contact and identity fields) are covered by name
as soon as they appear.

A value computed from sensitive inputs is as sensitive as they are: a household's
AUM is one member's AUM whenever one member is visible, a holder count over a
scope of one says whether that customer holds the product. ``DERIVED`` names the
inputs of every computed field, and a test holds that each one with a sensitive
input is listed here or in ``COARSE`` with the reason it may be shown.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Final

SENSITIVE_FIELDS: Final = frozenset(
    {
        # Identity and contact data.
        "Customer.idNumber",
        "Customer.phone",
        "Customer.email",
        # Balances and holdings at customer level. ``tier`` is left out (``COARSE``).
        "Customer.aum",
        "Customer.aumByCategory",
        "Customer.holdings",
        "Customer.annualIncome",
        "Holding.marketValue",
        "Holding.units",
        "Holding.cost",
        # Derived from the above (see ``DERIVED``).
        "Household.aum",
        "Product.holderCount",
        # The knowledge graph's answers computed from holdings (see ``DERIVED``).
        "Customer.crossSell",
        "Community.aum",
        "Household.holdingsByCategory",
        "ReferralNetwork.totalAum",
        "TopReferrer.cascadeAum",
        "Prospect.connectedAum",
    }
)

DERIVED: Final[Mapping[str, frozenset[str]]] = MappingProxyType(
    {
        "Customer.aum": frozenset({"Holding.marketValue"}),
        "Customer.aumByCategory": frozenset({"Holding.marketValue"}),
        "Customer.tier": frozenset({"Customer.aum"}),
        "Customer.age": frozenset({"Customer.birthDate"}),
        "Customer.riskLevelLabel": frozenset({"Customer.riskLevel"}),
        "Customer.riskAssessmentExpired": frozenset({"Customer.riskAssessedAt"}),
        "Household.aum": frozenset({"Holding.marketValue"}),
        "Product.holderCount": frozenset({"Customer.holdings"}),
        "Advisor.customerCount": frozenset({"Customer.advisor"}),
        # A cross-sell list is ranked on the customer's holdings and, with a
        # household reason, on a housemate's.
        "Customer.crossSell": frozenset(
            {"Customer.holdings", "Holding.marketValue", "Household.members"}
        ),
        "Community.aum": frozenset({"Holding.marketValue"}),
        "Community.size": frozenset({"Customer.household", "Customer.referrals"}),
        "Household.tier": frozenset({"Household.aum"}),
        "Household.holdingsByCategory": frozenset({"Holding.marketValue"}),
        "Household.gaps": frozenset({"Customer.holdings"}),
        "ReferralNetwork.totalAum": frozenset({"Holding.marketValue"}),
        "TopReferrer.influence": frozenset({"Customer.referrals"}),
        "TopReferrer.cascadeAum": frozenset({"Holding.marketValue"}),
        "Prospect.connectedAum": frozenset({"Holding.marketValue"}),
    }
)
"""The inputs of every field the API computes rather than reads from one column."""

COARSE: Final[Mapping[str, str]] = MappingProxyType(
    {
        "Customer.tier": "a band of AUM (below 50万, to 600万, above) wide enough to be "
        "shown to every role that segments customers; filtering by it narrows AUM to "
        "the same band and no further",
        "Household.tier": "the same three bands as Customer.tier, over the household's AUM",
        "Household.gaps": "a category no member holds: coarser than Customer.holdings, "
        "and shown only to callers who see every member",
    }
)
"""Fields derived from sensitive inputs that are deliberately not sensitive, and why."""


def _by_type(names: frozenset[str]) -> Mapping[str, tuple[str, ...]]:
    grouped: dict[str, list[str]] = {}
    for name in sorted(names):
        type_name, field = name.split(".", 1)
        grouped.setdefault(type_name, []).append(field)
    return MappingProxyType({t: tuple(fs) for t, fs in grouped.items()})


SENSITIVE_BY_TYPE: Final = _by_type(SENSITIVE_FIELDS)
"""The sensitive field names (GraphQL names) of each type, sorted."""
