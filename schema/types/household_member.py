from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import strawberry

if TYPE_CHECKING:
    from schema.types.customer import Customer


@strawberry.type(description="A customer in a household, with their relation to its head.")
class HouseholdMember:
    relation: str | None = strawberry.field(
        description="Relation to the head: self, spouse, child, parent, sibling or other; "
        "shown only to callers who see every member of the household."
    )
    customer: Annotated[Customer, strawberry.lazy("schema.types.customer")] | None = (
        strawberry.field(description="The member.")
    )
