"""Input types of the source-system mutations, one per import format.

Field names are the import columns in camelCase, and values that the normaliser
accepts in several spellings (amounts, dates, codes) are strings: the normaliser,
not the GraphQL layer, decides what they mean, exactly as for files.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from schema.mutations.inputs.consent import ConsentInput
from schema.mutations.inputs.customer import CustomerInput
from schema.mutations.inputs.holding import HoldingInput
from schema.mutations.inputs.interaction import InteractionInput
from schema.mutations.inputs.transaction import TransactionInput


def to_row(item: Any) -> dict[str, object]:
    """The item as an import row: the import columns are the fields' Python names,
    and absent values are left out, as a missing key in a JSON Lines file is."""
    return {
        f.name: value
        for f in dataclasses.fields(item)
        if (value := getattr(item, f.name)) is not None
    }


__all__ = [
    "ConsentInput",
    "CustomerInput",
    "HoldingInput",
    "InteractionInput",
    "TransactionInput",
    "to_row",
]
