"""Who may read a tag's values: never more than whoever may use what its rule reads.

A tag's value is derived from the fields its rule reads (``permission_fields``,
GraphQL names such as ``Customer.aum``) and from the values of the tags it reads
with ``has_tag``/``tag``. A boolean tag *is* a saved filter, and an enum or number
tag a saved set of them: whether a customer has it says exactly what filtering on
its inputs would say. So a caller may read a tag's values only when the caller may
**filter** on every one of those fields, through the whole dependency chain (a
marketer, who may not filter on the e-mail or the ID number, learns no tag derived
from them). The evidence of a value shows the attribute values themselves, so it
is shown only to callers who also **read** every input in clear; others get the
value without its evidence. A manual tag reads nothing, so it follows only the
``Tag`` fields of the policy.

The decision is per (role set, tag), made once per request from the definitions
(a few hundred rows at most), never per value. The predicates come from the
caller's compiled plan; this module only walks the definitions.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from cdp.db.models import TagDefinition


@dataclass(frozen=True)
class TagInputs:
    """What one tag's values derive from: its own fields and the tags it reads."""

    key: str
    fields: frozenset[str]
    dependencies: frozenset[str]


async def tag_inputs(session: AsyncSession) -> dict[str, TagInputs]:
    """Every definition's inputs, by key."""
    rows = await session.execute(
        select(TagDefinition.key, TagDefinition.permission_fields, TagDefinition.dependencies)
    )
    return {
        key: TagInputs(key, frozenset(fields or ()), frozenset(deps or ()))
        for key, fields, deps in rows
    }


def derived_fields(key: str, inputs: Mapping[str, TagInputs]) -> frozenset[str]:
    """The fields the tag's values derive from, through its dependencies (a DAG, but
    walked with a seen-set so that a damaged one cannot loop)."""
    seen: set[str] = set()
    fields: set[str] = set()
    stack = [key]
    while stack:
        current = stack.pop()
        if current in seen:
            continue
        seen.add(current)
        tag = inputs.get(current)
        if tag is None:
            continue
        fields |= tag.fields
        stack.extend(tag.dependencies)
    return frozenset(fields)


def readable_tags(
    inputs: Mapping[str, TagInputs], reads_in_clear: Callable[[str], bool]
) -> frozenset[str]:
    """The keys whose values a caller may read: every derived field read in clear."""
    return frozenset(
        key for key in inputs if all(reads_in_clear(field) for field in derived_fields(key, inputs))
    )
