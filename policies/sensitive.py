"""Which fields hold sensitive personal information (PIPL; JR/T 0171).

One list, so the audit trail, masking defaults and documentation agree on it.
Names are GraphQL ``Type.field`` names, as in policies. Fields listed here that
the API does not expose yet (the contact and identity fields) are covered by name
as soon as they appear.
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
        # Balances and holdings at customer level. ``tier`` is left out: a band of
        # AUM wide enough to be shown to every role that segments customers.
        "Customer.aum",
        "Customer.aumByCategory",
        "Customer.holdings",
        "Customer.annualIncome",
        "Holding.marketValue",
        "Holding.units",
        "Holding.cost",
    }
)


def _by_type(names: frozenset[str]) -> Mapping[str, tuple[str, ...]]:
    grouped: dict[str, list[str]] = {}
    for name in sorted(names):
        type_name, field = name.split(".", 1)
        grouped.setdefault(type_name, []).append(field)
    return MappingProxyType({t: tuple(fs) for t, fs in grouped.items()})


SENSITIVE_BY_TYPE: Final = _by_type(SENSITIVE_FIELDS)
"""The sensitive field names (GraphQL names) of each type, sorted."""
