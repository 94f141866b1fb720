from __future__ import annotations

import json
from datetime import datetime
from typing import Any

import strawberry


def tag_value_text(value: Any) -> str:
    """A stored JSON value as text: ``true``, an enum label, a number (``6120000``)."""
    if isinstance(value, str):
        return value
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return json.dumps(value)


@strawberry.type(
    description="A tag value a customer has now, with its why. Shown only for tags whose "
    "every input field the caller reads in clear (see docs/tags.md, Who may read a tag)."
)
class Tag:
    key: str | None = strawberry.field(description="Tag key, e.g. lifecycle_stage.")
    name: str | None = strawberry.field(description="Chinese name of the tag, e.g. 高净值.")
    name_en: str | None = strawberry.field(description="English name of the tag.")
    category: str | None = strawberry.field(description="Category of the tag, e.g. asset.")
    value: str | None = strawberry.field(
        description="The customer's value: true for a boolean tag, the label of an enum "
        "tag, or a number."
    )
    since: datetime | None = strawberry.field(
        description="When the value was last written by a run or a person."
    )
    version: int | None = strawberry.field(
        description="The version of the tag definition that computed or set the value."
    )
    source: str | None = strawberry.field(description="rule, manual or import.")
    explanation: str | None = strawberry.field(
        description="Why the customer has this value, in one line: the evidence joined."
    )
    evidence: list[str] | None = strawberry.field(
        description="The attribute values the rule saw and the branch that fired, "
        "e.g. 'aum = 6,120,000'."
    )
